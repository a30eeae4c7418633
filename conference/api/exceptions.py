"""One place that turns domain and database errors into clear API answers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

# More references than this are summarised by their count: the answer stays readable.
MAX_LISTED_REFERENCES = 20


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
    return exception_handler(exc, context)


def not_found(request, exception):
    """A 404 for a URL that no view matches: JSON under /api/, as every other API answer,
    and the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "There is no such resource in the API."}, status=404)
    return defaults.page_not_found(request, exception)
