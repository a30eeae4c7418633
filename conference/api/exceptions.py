"""One place that turns domain and database errors into clear API answers."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from rest_framework import status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

# More references than this are summarised by their count: the answer stays readable.
MAX_LISTED_REFERENCES = 20
logger = logging.getLogger(__name__)
# How long a client should wait before retrying while the database does not answer.
DATABASE_RETRY_AFTER_SECONDS = 60


def describe_references(objects):
    """``[{"type": "authorship", "id": 3, "name": "1. Noella Edelmann"}, ...]``, capped."""
    return [
        {"type": obj._meta.verbose_name, "id": obj.pk, "name": str(obj)}
        for obj in list(objects)[:MAX_LISTED_REFERENCES]
    ]


def api_exception_handler(exc, context):
    """DRF's handler, plus 409 for protected deletes and 400 for model validation errors."""
    if isinstance(exc, ProtectedError | RestrictedError):
        referencing = (
            exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        )
        referencing = list(referencing)
        return Response(
            {
                "detail": (
                    f"This cannot be deleted: {len(referencing)} other record(s) still refer to "
                    "it. Remove or reassign them first."
                ),
                "referenced_by": describe_references(referencing),
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        return Response(as_serializer_error(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        # Validation runs before every write; this only happens when two clients race.
        return Response(
            {"detail": "This conflicts with a record that was saved at the same time. Try again."},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is down or restarting: nothing the client did, and worth a retry.
        logger.error("API request failed, the database is not answering: %s", exc)
        return Response(
            {"detail": "The archive's database is not answering. Try again in a minute."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        )
    return exception_handler(exc, context)


def not_found(request, exception):
    """A 404 for a URL that no view matches: JSON under /api/, as every other API answer,
    and the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "There is no such resource in the API."}, status=404)
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def server_error(request):
    """A 500: JSON under /api/, as every other API answer, and the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": (
                    "The server failed to answer this request. It has been logged; try again later."
                )
            },
            status=500,
        )
    return defaults.server_error(request)
