from conference.core.api.viewsets import ArchiveViewSet
from conference.meetings.api.filters import MeetingFilter, RoomFilter
from conference.meetings.api.serializers import (
    MeetingDetailSerializer,
    MeetingListSerializer,
    MeetingWriteSerializer,
    ProjectSerializer,
    RoomSerializer,
    RoomWriteSerializer,
    SeriesDetailSerializer,
    SeriesSerializer,
    TopicSerializer,
)
from conference.meetings.models import Meeting, Project, Room, Series, Topic


class MeetingViewSet(ArchiveViewSet):
    """Meetings, newest first. A meeting's detail holds its whole programme: its days, their
    sessions (times, rooms, chairs) and every talk with all the work's authors in order (the
    presenters marked), the discussants, and their institutions at the time."""

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
        return Meeting.objects.with_page_details()


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


class RoomViewSet(ArchiveViewSet):
    """The rooms of meetings' venues, where sessions take place. Found by id."""

    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"
    queryset = Room.objects.all()
    serializer_class = RoomSerializer
    serializer_classes = {"write": RoomWriteSerializer}
    filterset_class = RoomFilter
    ordering_fields = ["position", "name"]
    ordering = ["meeting_id", "position", "id"]

    def get_queryset(self):
        return Room.objects.select_related("meeting")
