from conference.api.viewsets import ArchiveViewSet
from papers.api.filters import PaperFilter, PresentationFilter
from papers.api.serializers import (
    PaperDetailSerializer,
    PaperListSerializer,
    PaperWriteSerializer,
    PresentationSerializer,
    PresentationWriteSerializer,
)
from papers.models import Paper, Presentation


class PaperViewSet(ArchiveViewSet):
    """Works: conference papers, articles, books, chapters and reports, with ordered authors.

    ``retrieve`` is DRF's own, so other representations (citation formats) can be added as
    renderers chosen by the ``Accept`` header.
    """

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
        if self.action == "list":
            return Paper.objects.with_authors().with_topics()
        return Paper.objects.with_details()


class PresentationViewSet(ArchiveViewSet):
    """Works in meetings' programmes, with their presenters in order. Found by id."""

    lookup_field = "pk"
    queryset = Presentation.objects.all()
    serializer_class = PresentationSerializer
    serializer_classes = {"write": PresentationWriteSerializer}
    filterset_class = PresentationFilter
    search_fields = ["paper__title", "session", "meeting__title"]
    ordering_fields = ["position", "meeting__start_date", "id"]
    ordering = ["-meeting__start_date", "meeting_id", "position", "id"]

    def get_queryset(self):
        return Presentation.objects.in_programme_order().with_meeting()
