from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from conference.core.api.validation import as_api_error
from conference.core.api.viewsets import ArchiveViewSet
from conference.meetings.api.views import MeetingViewSet as BaseMeetingViewSet
from conference.meetings.models import Meeting, Session, SessionChair
from papers import services
from papers.api.filters import PaperFilter, PresentationFilter, SessionFilter
from papers.api.renderers import CitationNegotiationMixin, citation_responses
from papers.api.serializers import (
    MeetingProgrammeSerializer,
    MeetingProgrammeWriteSerializer,
    MoveSerializer,
    PaperDetailSerializer,
    PaperListRepresentation,
    PaperListSerializer,
    PaperWriteSerializer,
    PersonDetailSerializer,
    PresentationSerializer,
    PresentationWriteSerializer,
    SessionDetailSerializer,
    SessionSerializer,
    SessionWriteSerializer,
)
from papers.models import Paper, Presentation, programme_order
from people.api.views import PersonViewSet as BasePersonViewSet


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
            # PaperListRepresentation reads only the columns and rows the list shows.
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
        listing = PaperListRepresentation(self.get_serializer_context())
        rows = listing.rows(papers)
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(listing.represent(rows))
        return self.get_paginated_response(listing.represent(page))


class PresentationViewSet(ArchiveViewSet):
    """Works in meetings' programmes, with their presenters in order. Found by id."""

    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"
    queryset = Presentation.objects.all()
    serializer_class = PresentationSerializer
    serializer_classes = {"write": PresentationWriteSerializer}
    filterset_class = PresentationFilter
    search_fields = ["paper__title", "session__title", "meeting__title"]
    ordering_fields = ["position", "meeting__start_date", "id"]
    ordering = ["-meeting__start_date", "meeting_id", *programme_order(), "id"]

    def get_queryset(self):
        return Presentation.objects.in_programme_order().with_meeting()

    @extend_schema(
        request=MoveSerializer,
        responses=PresentationSerializer,
        filters=False,
        description=(
            "Move the talk into a session of its meeting (or out of every session, with "
            "`session` null) at a position (default: last), with its times there. The other "
            "talks of both lists move along, keeping their order."
        ),
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def move(self, request, pk=None):
        presentation = self.get_object()
        serializer = MoveSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        try:
            services.move_presentation(presentation=presentation, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc
        moved = self.get_queryset().get(pk=presentation.pk)
        return Response(PresentationSerializer(moved, context=self.get_serializer_context()).data)


class SessionViewSet(ArchiveViewSet):
    """Sessions of meetings' programmes: paper sessions, panels, keynotes, breaks…, with their
    day, times, room and chairs; a session's detail has its talks in full. Found by id.

    Organizers create a session with its chairs and talks (presenters, discussants) in one
    request; deleting a session that holds talks answers 409 (move them first)."""

    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"
    queryset = Session.objects.all()
    serializer_class = SessionSerializer
    serializer_classes = {"retrieve": SessionDetailSerializer, "write": SessionWriteSerializer}
    filterset_class = SessionFilter
    search_fields = ["title", "description"]
    ordering_fields = ["day", "start_time", "position"]
    ordering = ["meeting_id", "day", F("start_time").asc(nulls_last=True), "position"]

    def get_queryset(self):
        if self.action == "retrieve":
            return Session.objects.select_related("meeting")
        return Session.objects.select_related("meeting", "room").prefetch_related(
            Prefetch(
                "session_chairs",
                queryset=SessionChair.objects.select_related("person", "affiliation"),
            ),
            Prefetch(
                "talks",
                queryset=Presentation.objects.order_by("position", "id").only("id", "session_id"),
            ),
        )


@extend_schema_view(
    retrieve=extend_schema(responses={(200, "application/json"): MeetingProgrammeSerializer})
)
class MeetingViewSet(CitationNegotiationMixin, BaseMeetingViewSet):
    __doc__ = BaseMeetingViewSet.__doc__
    # The meetings app's viewset knows no works: this layer adds the programme to the detail
    # and the works presented, with their citations (the site's router registers this one).
    citation_actions = ("works",)
    serializer_classes = {
        **BaseMeetingViewSet.serializer_classes,
        "retrieve": MeetingProgrammeSerializer,
        "write": MeetingProgrammeWriteSerializer,
    }

    def get_queryset(self):
        if self.action == "works":
            return Meeting.objects.all()
        return super().get_queryset()

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
        papers = Paper.objects.presented_at(meeting).in_programme_order()
        if self.wants_citations(request):
            return self.citation_response(request, papers.with_citation_data(), meeting=meeting)
        listing = PaperListRepresentation(self.get_serializer_context())
        return Response(listing.represent(listing.rows(papers)))


class PersonViewSet(BasePersonViewSet):
    __doc__ = BasePersonViewSet.__doc__
    # A person's detail lists the works they wrote: people's own viewset knows no works, so
    # this layer, which does, extends it (the site's router registers this one).
    serializer_classes = {
        **BasePersonViewSet.serializer_classes,
        "retrieve": PersonDetailSerializer,
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.with_works() if self.action in ("retrieve", "merge") else queryset
