"""DataCite XML by content negotiation on the API's details, as doi.org answers
``Accept: application/vnd.datacite.datacite+xml``."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from lxml import etree
from rest_framework import renderers
from rest_framework.response import Response

from harvest import datacite
from papers.api.renderers import CitationRenderer


class DataCiteRenderer(renderers.BaseRenderer):
    """Renders a DataCite ``<resource>`` element; an error as plain lines."""

    media_type = datacite.MEDIA_TYPE
    format = "datacite"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, etree._Element):
            return datacite.to_bytes(data)
        return CitationRenderer().write_error(data).encode()


class DataCiteNegotiationMixin:
    """A viewset's ``retrieve`` also answers DataCite XML; ``datacite_resource(obj, request)``
    builds it from ``get_datacite_queryset()``."""

    def get_renderers(self):
        renderers_ = super().get_renderers()
        if getattr(self, "action", None) == "retrieve":
            renderers_.append(DataCiteRenderer())
        return renderers_

    def wants_datacite(self):
        return isinstance(getattr(self.request, "accepted_renderer", None), DataCiteRenderer)

    def get_queryset(self):
        if self.wants_datacite():
            return self.get_datacite_queryset()
        return super().get_queryset()

    def retrieve(self, request, *args, **kwargs):
        if self.wants_datacite():
            return Response(self.datacite_resource(self.get_object(), request))
        return super().retrieve(request, *args, **kwargs)


DATACITE_RESPONSE = {
    (200, datacite.MEDIA_TYPE): OpenApiResponse(
        response=OpenApiTypes.STR, description="DataCite Metadata Schema 4.7 XML"
    )
}
