from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from conference.core.api.viewsets import ArchiveViewSet
from papers.api.filters import PaperFilter, PresentationFilter
from papers.api.renderers import CitationNegotiationMixin, citation_responses
from papers.api.serializers import (
    PaperDetailSerializer,
    PaperListReader,
    PaperListSerializer,
    PaperWriteSerializer,
    PresentationSerializer,
    PresentationWriteSerializer,
)
from papers.models import Paper, Presentation


@extend_schema_view(
    retrieve=extend_schema(responses=citation_responses(PaperDetailSerializer)),
    list=extend_schema(responses=citation_responses(PaperListSerializer, many=True)),
)
class PaperViewSet(CitationNegotiationMixin, ArchiveViewSet):
    """Works: conference papers, articles, books, chapters and reports, with ordered authors.

    By ``Accept``, a work (or a page of works) also answers as a citation:
    ``application/vnd.citationstyles.csl+json``, ``application/x-bibtex``,
    ``application/x-research-info-systems`` or ``text/x-bibliography; style=apa``.
    """

    citation_actions = ("retrieve", "list")

    queryset = Paper.objects.all()
    serializer_class = PaperListSerializer
    serializer_classes = {
        "list": PaperListSerializer,
        "retrieve": PaperDetailSerializer,
        "write": PaperWriteSerializer,
    }
    filterset_class = PaperFilter
    search_fields = [
        "title",
        "abstract",
        "journal",
        "authorships__person__family_name",
        "authorships__person__given_name",
    ]
    ordering_fields = ["year", "title", "publication_date", "updated_at"]
    ordering = ["-year", "title"]

    def get_queryset(self):
        if self.wants_citations(self.request):
            return Paper.objects.with_citation_data()
        if self.action == "list":
            # PaperListReader reads only the columns and rows the list shows.
            return Paper.objects.all()
        return Paper.objects.with_details()

    def retrieve(self, request, *args, **kwargs):
        if self.wants_citations(request):
            return self.citation_response(request, [self.get_object()])
        return super().retrieve(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        papers = self.filter_queryset(self.get_queryset())
        if self.wants_citations(request):
            page = self.paginate_queryset(papers)
            return self.citation_response(request, papers if page is None else page)
        reader = PaperListReader(self.get_serializer_context())
        rows = reader.rows(papers)
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(reader.represent(rows))
        return self.get_paginated_response(reader.represent(page))


class PresentationViewSet(ArchiveViewSet):
    """Works in meetings' programmes, with their presenters in order. Found by id."""

    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"
    queryset = Presentation.objects.all()
    serializer_class = PresentationSerializer
    serializer_classes = {"write": PresentationWriteSerializer}
    filterset_class = PresentationFilter
    search_fields = ["paper__title", "session", "meeting__title"]
    ordering_fields = ["position", "meeting__start_date", "id"]
    ordering = ["-meeting__start_date", "meeting_id", "position", "id"]

    def get_queryset(self):
        return Presentation.objects.in_programme_order().with_meeting()
