"""Citation formats as DRF renderers: content negotiation for works, as doi.org does it.

``GET /api/papers/<slug>/`` with ``Accept: application/x-bibtex`` answers BibTeX, with
``text/x-bibliography; style=apa`` a formatted reference, and so on. The views hand these
renderers CSL-JSON items (see ``CitationNegotiationMixin``); every format is written by
papers/citations/. Error answers (400, 404, 429) are rendered as plain text.
"""

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import renderers
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.utils.mediatypes import _MediaType

from papers.citations import (
    DEFAULT_STYLE,
    EXPORT_FORMATS,
    UnknownStyleError,
    available_styles,
    format_bibliography,
)
from papers.citations.csl import papers_to_csl
from papers.citations.styles import (
    MAX_BIBLIOGRAPHY_ENTRIES,
    BibliographyTooLargeError,
    UnknownLocaleError,
    style_locale,
)


class CitationRenderer(renderers.BaseRenderer):
    """Renders a list of CSL-JSON items; any other data (an error) as plain text."""

    charset = "utf-8"
    json_errors = False

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if data is None:
            return b""
        if response is not None and response.status_code >= 400:
            return self.write_error(data).encode()
        return self.write(data, accepted_media_type).encode()

    def write(self, items, accepted_media_type):
        raise NotImplementedError

    def write_error(self, data):
        """An error as plain lines: the detail, or one "field: message" line per message."""
        if self.json_errors:
            return json.dumps(data, ensure_ascii=False)
        if isinstance(data, dict) and set(data) == {"detail"}:
            return f"{data['detail']}\n"
        if isinstance(data, dict):
            return "".join(
                f"{field}: {message}\n"
                for field, messages in data.items()
                for message in (messages if isinstance(messages, list) else [messages])
            )
        return f"{data}\n"


def _export_renderer(export_name):
    export = EXPORT_FORMATS[export_name]

    class ExportRenderer(CitationRenderer):
        media_type = export.media_type
        format = export.name
        # CSL-JSON is JSON: its errors are the API's usual JSON error body.
        json_errors = export.name == "csljson"

        def write(self, items, accepted_media_type):
            return export.write(items)

    ExportRenderer.__name__ = f"{export.label.replace('-', '')}Renderer"
    return ExportRenderer


BibTeXRenderer = _export_renderer("bibtex")
RISRenderer = _export_renderer("ris")
CSLJSONRenderer = _export_renderer("csljson")


def bibliography_style(accepted_media_type):
    """The ``style`` parameter of ``text/x-bibliography; style=...`` (APA when absent)."""
    params = _MediaType(accepted_media_type or "").params
    return params.get("style", DEFAULT_STYLE)


def bibliography_locale(accepted_media_type):
    """The ``locale`` parameter (``locale=de-DE``); None for the style's own locale."""
    return _MediaType(accepted_media_type or "").params.get("locale") or None


class BibliographyRenderer(CitationRenderer):
    """``text/x-bibliography; style=<any installed CSL style>``: formatted references."""

    media_type = "text/x-bibliography"
    format = "bibliography"

    def write(self, items, accepted_media_type):
        style = bibliography_style(accepted_media_type)
        locale = bibliography_locale(accepted_media_type)
        return "\n".join(format_bibliography(items, style=style, locale=locale))


CITATION_RENDERERS = [CSLJSONRenderer, BibTeXRenderer, RISRenderer, BibliographyRenderer]


class CitationNegotiationMixin:
    """Lets a viewset answer its works as citations when the client ``Accept``s a citation
    format; JSON stays the default. ``get_citation_papers()`` gives the works to cite."""

    citation_actions = ("retrieve",)

    def get_renderers(self):
        renderers_ = super().get_renderers()
        if getattr(self, "action", None) in self.citation_actions:
            renderers_ += [renderer() for renderer in CITATION_RENDERERS]
        return renderers_

    def wants_citations(self, request):
        return isinstance(getattr(request, "accepted_renderer", None), CitationRenderer)

    def check_citation_style(self, request, count):
        """An unknown style or locale is the client's mistake: 400 listing the choices; so is
        a formatted bibliography of more works than one may hold (a bound on its cost)."""
        if isinstance(request.accepted_renderer, BibliographyRenderer):
            style = bibliography_style(request.accepted_media_type)
            if style not in available_styles():
                raise ParseError(str(UnknownStyleError(style)))
            try:
                style_locale(style, bibliography_locale(request.accepted_media_type))
            except UnknownLocaleError as error:
                raise ParseError(str(error)) from None
            if count > MAX_BIBLIOGRAPHY_ENTRIES:
                raise ParseError(str(BibliographyTooLargeError(count)))

    def citation_response(self, request, papers, *, meeting=None):
        papers = list(papers)
        self.check_citation_style(request, len(papers))
        return Response(papers_to_csl(papers, meeting=meeting))


def citation_responses(json_serializer, *, many=False):
    """OpenAPI responses of a negotiating endpoint: JSON by default, or a citation format."""
    serializer = json_serializer(many=True) if many else json_serializer
    described = {
        CSLJSONRenderer: "CSL-JSON items (CSL data schema 1.0.2)",
        BibTeXRenderer: "BibTeX entries",
        RISRenderer: "RIS records",
        BibliographyRenderer: (
            "Formatted references, one per line. The media type takes a `style` parameter: "
            "apa (default), chicago-author-date, harvard, ieee or any installed CSL style id; "
            "and a `locale` parameter (e.g. de-DE; by default the style's own). An unknown "
            "style or locale answers 400 listing the choices, and so does a bibliography of "
            f"more than {MAX_BIBLIOGRAPHY_ENTRIES} works."
        ),
    }
    responses = {(200, "application/json"): serializer}
    for renderer, description in described.items():
        responses[(200, renderer.media_type)] = OpenApiResponse(
            # CSL-JSON's own schema replaces this one (document_csl_json_answers).
            response=OpenApiTypes.OBJECT if renderer is CSLJSONRenderer else OpenApiTypes.STR,
            description=description,
        )
    return responses


def document_csl_json_answers(result, generator, request, public):
    """A drf-spectacular postprocessing hook: every CSL-JSON answer is an array of CSL-JSON
    items (CSL data schema 1.0.2), one for a single work and never a page of results; the
    view's own schema machinery would wrap a list view's answer in a page."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["CSLJSONItem"] = {
        "type": "object",
        "description": (
            "A CSL-JSON item: its `id`, its `type` and the variables of the CSL data schema "
            "1.0.2 (https://resource.citationstyles.org/schema/v1.0/input/json/csl-data.json)."
        ),
        "properties": {"id": {"type": "string"}, "type": {"type": "string"}},
        "required": ["id", "type"],
        "additionalProperties": True,
    }
    items = {"type": "array", "items": {"$ref": "#/components/schemas/CSLJSONItem"}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            answer = operation.get("responses", {}).get("200", {}).get("content", {})
            if CSLJSONRenderer.media_type in answer:
                answer[CSLJSONRenderer.media_type] = {"schema": items}
    return result
