"""Requests bigger than the site accepts are refused before anything reads them."""

from django.conf import settings
from django.http import HttpResponse


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
            return HttpResponse(
                "The Content-Length header is not a number.", status=400, content_type="text/plain"
            )
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            return HttpResponse(
                f"The request is too large: at most {limit // (1024 * 1024)} MB is accepted.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
