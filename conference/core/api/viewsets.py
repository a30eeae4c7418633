"""The base of every resource viewset: slugs in URLs, ETags, read and write serializers."""

from django.db import transaction
from drf_spectacular.openapi import AutoSchema
from rest_framework import viewsets

from conference.core.api.conditional import ConditionalGetMixin


class ArchiveAutoSchema(AutoSchema):
    """Documents writes as answering with the representation the view really returns: a
    separate write serializer answers with the detail one (or the view's default), any other
    serializer with itself."""

    def get_response_serializers(self):
        serializer_classes = self.view.serializer_classes
        if self.method in ("POST", "PUT", "PATCH") and "write" in serializer_classes:
            return serializer_classes.get("retrieve", self.view.serializer_class)
        return super().get_response_serializers()


class ArchiveViewSet(ConditionalGetMixin, viewsets.ModelViewSet):
    """Read for everyone, write with model permissions; records are found by slug.

    ``serializer_classes`` maps an action (``list``, ``retrieve``, ``create``...) to its
    serializer; ``serializer_class`` serves the others. Write serializers answer with the
    detail representation, so a client sees what was stored.
    """

    lookup_field = "slug"
    # A NUL or another control character, which PostgreSQL refuses in a query, is an address
    # no view matches, answered with the API's JSON 404 before any query runs. (DRF's
    # default, less "/" and "."; a slug from a fixture may hold other non-ASCII letters.)
    lookup_value_regex = r"[^/.\x00-\x1f\x7f]+"
    serializer_classes = {}
    schema = ArchiveAutoSchema()

    def get_serializer_class(self):
        write_actions = {"create", "update", "partial_update"}
        if self.action in write_actions and "write" in self.serializer_classes:
            return self.serializer_classes["write"]
        return self.serializer_classes.get(self.action, self.serializer_class)

    def perform_destroy(self, instance):
        # A ProtectedError aborts before anything is deleted; atomic keeps cascades whole.
        with transaction.atomic():
            instance.delete()
