"""One place that turns domain and database errors into clear API answers."""

import logging

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from rest_framework import status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

# More references than this are summarised by their count: the answer stays readable.
MAX_LISTED_REFERENCES = 20
logger = logging.getLogger(__name__)
# How long a client should wait before retrying while the database does not answer.
DATABASE_RETRY_AFTER_SECONDS = 60


def describe_references(objects):
    """``[{"type": "authorship", "id": 3, "name": "1. Noella Edelmann"}, ...]``, capped.

    ``type`` names a kind of record for programs that read the answer: it is the model's
    verbose name in the site's own language, whatever language the request is answered in."""
    objects = list(objects)[:MAX_LISTED_REFERENCES]
    with translation.override(settings.LANGUAGE_CODE):
        types = [str(obj._meta.verbose_name) for obj in objects]
    return [
        {"type": type_name, "id": obj.pk, "name": str(obj)}
        for type_name, obj in zip(types, objects, strict=True)
    ]


def api_exception_handler(exc, context):
    """DRF's handler, plus 409 for protected deletes and 400 for model validation errors."""
    if isinstance(exc, ProtectedError | RestrictedError):
        referencing = (
            exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        )
        referencing = list(referencing)
        detail = ngettext(
            # Translators: English keeps "record(s)" in both forms; give your language's
            # singular and plural.
            "This cannot be deleted: %(count)d other record(s) still refer to it. "
            "Remove or reassign them first.",
            "This cannot be deleted: %(count)d other record(s) still refer to it. "
            "Remove or reassign them first.",
            len(referencing),
        ) % {"count": len(referencing)}
        return Response(
            {"detail": detail, "referenced_by": describe_references(referencing)},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, RequestDataTooBig):
        # Django reads at most DATA_UPLOAD_MAX_MEMORY_SIZE of a body into memory; larger ones
        # (up to MAX_REQUEST_BYTES, conference.core.security) would otherwise get its HTML 400.
        return Response(
            {"detail": body_too_large_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return Response(
            {"detail": _("The form has too many fields or files. Send the records as JSON.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        return Response(as_serializer_error(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        # Validation runs before every write; this only happens when two clients race.
        return Response(
            {
                "detail": _(
                    "This conflicts with a record that was saved at the same time. Try again."
                )
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is down or restarting: nothing the client did, and worth a retry.
        logger.error("API request failed, the database is not answering: %s", exc)
        return Response(
            {"detail": _("The archive's database is not answering. Try again in a minute.")},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        )
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        # A validation error raised outside a serializer is a bare list of messages; the
        # schema documents every 400 as an object (ValidationErrors).
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response


def body_too_large_message(limit):
    size = filesizeformat(limit).replace("\xa0", " ")
    return _(
        "The request is too large: at most %(size)s is accepted. "
        "Send fewer or shorter records per request."
    ) % {"size": size}


def is_api_request(request):
    return request.path.startswith("/api/")


def bad_request(request, exception):
    """A 400 that Django gives before any view (a malformed request): JSON under /api/."""
    if is_api_request(request):
        return JsonResponse(
            {"detail": _("The request is malformed and cannot be read.")}, status=400
        )
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    """A 403 that Django gives outside DRF's views: JSON under /api/."""
    if is_api_request(request):
        return JsonResponse({"detail": _("You may not do this.")}, status=403)
    return defaults.permission_denied(request, exception)


def not_found(request, exception):
    """A 404 for a URL that no view matches: JSON under /api/, as every other API answer,
    and the site's page elsewhere."""
    if is_api_request(request):
        return JsonResponse({"detail": _("There is no such resource in the API.")}, status=404)
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def server_error(request):
    """A 500: JSON under /api/, as every other API answer, and the site's page elsewhere."""
    if is_api_request(request):
        return JsonResponse(
            {
                "detail": _(
                    "The server failed to answer this request. It has been logged; try again later."
                )
            },
            status=500,
        )
    return defaults.server_error(request)
