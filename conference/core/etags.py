"""The site's one ETag: a strong tag from a response's type and bytes.

Pages (Django's conditional GET, below), the page cache (``conference.site.caching``) and
the API (``conference.core.api.conditional``, which also checks ``If-Match`` with it) all
tag a response with ``etag_for``, so the same representation has the same tag however it
was served. Hashing the body is always right: any change to anything shown changes it.
"""

import hashlib

from django.middleware import http


def etag_for(content, content_type):
    """The ETag of a body of ``content`` (bytes) served as ``content_type``."""
    digest = hashlib.sha256(content_type.encode() + b"\n" + content).hexdigest()
    return f'"{digest[:40]}"'


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's conditional GET (304 on a matching ``If-None-Match``), tagging a page that
    has no ETag yet with ``etag_for`` where Django would use its own MD5 tag."""

    def process_response(self, request, response):
        if (
            request.method == "GET"
            and self.needs_etag(response)
            and not response.has_header("ETag")
            and not response.streaming
            and response.content
        ):
            response["ETag"] = etag_for(response.content, response.get("Content-Type", ""))
        return super().process_response(request, response)
