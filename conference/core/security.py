"""Requests bigger than the site accepts are refused before anything reads them."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from conference.core.api.exceptions import body_too_large_message, is_api_request


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose body is larger than ``MAX_REQUEST_BYTES``.

    Django bounds form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not uploads, which it
    streams to disk; this bounds the whole body, from its declared length.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self.refuse(request, _("The Content-Length header is not a number."), status=400)
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            return self.refuse(request, body_too_large_message(limit), status=413)
        return self.get_response(request)

    def refuse(self, request, message, *, status):
        # API clients read every answer as JSON, the error too.
        if is_api_request(request):
            return JsonResponse({"detail": message}, status=status)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
