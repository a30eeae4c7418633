from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from conference.core.api.viewsets import ArchiveViewSet
from conference.meetings.api.filters import MeetingFilter
from conference.meetings.api.serializers import (
    MeetingDetailSerializer,
    MeetingListSerializer,
    MeetingWriteSerializer,
    ProjectSerializer,
    SeriesDetailSerializer,
    SeriesSerializer,
    TopicSerializer,
)
from conference.meetings.models import Meeting, Project, Series, Topic
from papers.api.renderers import CitationNegotiationMixin, citation_responses
from papers.api.serializers import PaperListReader, PaperListSerializer
from papers.models import Paper


class MeetingViewSet(CitationNegotiationMixin, ArchiveViewSet):
    """Meetings, newest first. A meeting's detail holds its whole programme: each work with
    its presenters, in order, and their institutions at the time."""

    citation_actions = ("works",)

    queryset = Meeting.objects.all()
    serializer_class = MeetingListSerializer
    serializer_classes = {
        "list": MeetingListSerializer,
        "retrieve": MeetingDetailSerializer,
        "write": MeetingWriteSerializer,
    }
    filterset_class = MeetingFilter
    search_fields = ["title", "city", "venue", "series__name", "series__short_name"]
    ordering_fields = ["start_date", "end_date", "title", "edition", "updated_at"]
    ordering = ["-start_date", "title"]

    def get_queryset(self):
        if self.action == "list":
            return Meeting.objects.with_series().with_topics()
        if self.action == "works":
            return Meeting.objects.all()
        return Meeting.objects.with_programme()

    @extend_schema(
        responses=citation_responses(PaperListSerializer, many=True),
        filters=False,
        description=(
            "The works presented at the meeting, in programme order: JSON by default, or "
            "citations by `Accept` (CSL-JSON, BibTeX, RIS, `text/x-bibliography; style=…`)."
        ),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def works(self, request, slug=None):
        meeting = self.get_object()
        papers = Paper.objects.presented_at(meeting).order_by("presentations__position", "pk")
        if self.wants_citations(request):
            return self.citation_response(request, papers.with_citation_data(), meeting=meeting)
        reader = PaperListReader(self.get_serializer_context())
        return Response(reader.represent(reader.rows(papers)))


class SeriesViewSet(ArchiveViewSet):
    """Meeting series and study groups, with the organisation they belong to."""

    queryset = Series.objects.all()
    serializer_class = SeriesSerializer
    serializer_classes = {"retrieve": SeriesDetailSerializer}
    search_fields = ["name", "short_name", "description"]
    ordering_fields = ["name", "updated_at"]
    ordering = ["name"]

    def get_queryset(self):
        queryset = Series.objects.with_parent_organisation()
        return queryset.with_meetings() if self.action == "retrieve" else queryset


class TopicViewSet(ArchiveViewSet):
    """Subjects announced for meetings and assigned to works."""

    queryset = Topic.objects.all()
    serializer_class = TopicSerializer
    search_fields = ["name", "description"]
    ordering_fields = ["name", "updated_at"]
    ordering = ["name"]


class ProjectViewSet(ArchiveViewSet):
    """Funded research projects, with grant agreement numbers."""

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    search_fields = ["acronym", "title", "funder", "grant_agreement"]
    ordering_fields = ["acronym", "updated_at"]
    ordering = ["acronym"]
