"""Conditional GET for API responses: a strong ETag from the rendered body.

Hashing the body is always right (any change to anything shown changes the tag), costs
no query and needs no bookkeeping of which rows a response depends on. A 304 saves the
client the download; the server still builds the answer, which is cheap here.

The same tag guards writes: a ``PUT``, ``PATCH`` or ``DELETE`` with ``If-Match`` is carried
out only if the record still has the tag the client read, else it is answered 412 and nothing
changes, so two organizers' scripts cannot silently overwrite (or delete) each other's work.
"""

from django.db import transaction
from django.utils.http import http_date, parse_etags
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.response import Response

from conference.core.etags import etag_for


class ConditionalGetMixin:
    """Adds ``ETag`` to successful GET/HEAD answers and ``Last-Modified`` to details.

    ``If-None-Match`` with a matching tag answers 304. ``Last-Modified`` is the record's own
    ``updated_at``; because a detail also shows related records, ``If-Modified-Since`` alone
    is not trusted for a 304, the ETag is.
    """

    last_modified = None
    stale_message = _(
        "This record was changed since you read it (its ETag is no longer the one in "
        "If-Match). Nothing was changed: GET it again, then send your change with the new ETag."
    )

    def get_object(self):
        obj = super().get_object()
        self.last_modified = getattr(obj, "updated_at", None)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != status.HTTP_200_OK:
            return response
        response.render()
        if "Content-Type" not in response:
            # DRF drops the type of an empty body, such as a RIS or BibTeX file of no works;
            # it is still a file of that format, and clients need to know which.
            renderer = response.accepted_renderer
            charset = f"; charset={renderer.charset}" if renderer.charset else ""
            response["Content-Type"] = renderer.media_type + charset
        etag = etag_for(response.content, response.get("Content-Type", ""))
        headers = {"ETag": etag}
        if self.last_modified is not None:
            headers["Last-Modified"] = http_date(self.last_modified.timestamp())
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match and (if_none_match.strip() == "*" or etag in parse_etags(if_none_match)):
            not_modified = Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
            for header in ("Vary", "Cache-Control"):
                if header in response:
                    not_modified[header] = response[header]
            # A bare Response needs what finalize_response would have given it to render.
            not_modified.accepted_renderer = response.accepted_renderer
            not_modified.accepted_media_type = response.accepted_media_type
            not_modified.renderer_context = response.renderer_context
            return not_modified
        for name, value in headers.items():
            response[name] = value
        return response

    def update(self, request, *args, **kwargs):
        return self.write_if_match(super().update, request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        return self.write_if_match(super().destroy, request, *args, **kwargs)

    def write_if_match(self, write, request, *args, **kwargs):
        """Carry out ``write`` only if the record still has the ETag the client sent in
        ``If-Match`` (any state with ``*`` or without the header), else answer 412."""
        if_match = request.headers.get("If-Match")
        if not if_match:
            return write(request, *args, **kwargs)
        with transaction.atomic():
            self.lock_object()
            current = self.current_etag(request)
            if if_match.strip() != "*" and current not in parse_etags(if_match):
                return Response(
                    {"detail": str(self.stale_message)},
                    status=status.HTTP_412_PRECONDITION_FAILED,
                    headers={"ETag": current},
                )
            return write(request, *args, **kwargs)

    def lock_object(self):
        """Hold the row until the write ends, so that no other write slips in after the check."""
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        model = self.get_queryset().model
        rows = model._default_manager.select_for_update().filter(**{self.lookup_field: lookup})
        list(rows.values_list("pk", flat=True))

    def current_etag(self, request):
        """The ETag a GET of this record would answer now, in the format this request accepts."""
        action = self.action
        self.action = "retrieve"
        try:
            response = self.retrieve(request, *self.args, **self.kwargs)
        finally:
            self.action = action
        response = super().finalize_response(request, response)
        response.render()
        return etag_for(response.content, response.get("Content-Type", ""))
