from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conference.core.api.fields import SlugOrIdRelatedField
from conference.core.api.validation import KnownFieldsOnly, ModelCleanSerializer, run_service
from conference.meetings import services
from conference.meetings.api.summaries import (
    MeetingSummarySerializer,
    ProjectSummarySerializer,
    SeriesSummarySerializer,
    TopicSummarySerializer,
)
from conference.meetings.models import (
    CommitteeMember,
    Meeting,
    MeetingSupport,
    MeetingTopic,
    Project,
    Room,
    Series,
    Topic,
)
from people.api.summaries import InstitutionSummarySerializer, PersonSummarySerializer
from people.models import Institution, Person


class SeriesSerializer(ModelCleanSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:series-detail", lookup_field="slug")
    parent_organisation = SlugOrIdRelatedField(
        queryset=Institution.objects.all(),
        allow_null=True,
        required=False,
        help_text="Id or slug of the institution the series belongs to, e.g. IIAS.",
    )
    parent_organisation_summary = InstitutionSummarySerializer(
        source="parent_organisation", read_only=True, allow_null=True
    )

    class Meta:
        model = Series
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "short_name",
            "parent_organisation",
            "parent_organisation_summary",
            "description",
            "website",
            "created_at",
            "updated_at",
        ]


class SeriesDetailSerializer(SeriesSerializer):
    meetings = MeetingSummarySerializer(many=True, read_only=True)

    class Meta(SeriesSerializer.Meta):
        fields = [*SeriesSerializer.Meta.fields, "meetings"]


class TopicSerializer(ModelCleanSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")

    class Meta:
        model = Topic
        fields = ["id", "url", "slug", "name", "description", "created_at", "updated_at"]


class ProjectSerializer(ModelCleanSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail", lookup_field="slug")
    funding_statement = serializers.CharField(
        read_only=True,
        help_text="e.g. “the European Union’s Horizon 2020 research and innovation programme "
        "under Grant Agreement 962563”.",
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "url",
            "slug",
            "acronym",
            "title",
            "funder",
            "programme",
            "grant_agreement",
            "funding_statement",
            "website",
            "description",
            "created_at",
            "updated_at",
        ]


class AnnouncedTopicSerializer(serializers.ModelSerializer):
    topic = TopicSummarySerializer(read_only=True)

    class Meta:
        model = MeetingTopic
        fields = ["position", "topic"]


class OrganizerSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    institution = InstitutionSummarySerializer(
        source="affiliation",
        read_only=True,
        allow_null=True,
        help_text="The organizer's institution at the time of the meeting.",
    )

    class Meta:
        model = CommitteeMember
        fields = ["position", "role", "person", "printed_name", "institution"]


class SupportSerializer(serializers.ModelSerializer):
    project = ProjectSummarySerializer(read_only=True)
    funding_statement = serializers.CharField(source="project.funding_statement", read_only=True)

    class Meta:
        model = MeetingSupport
        fields = ["position", "kind", "acknowledged", "project", "funding_statement"]


class MeetingListSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail", lookup_field="slug")
    series = SeriesSummarySerializer(read_only=True)
    country = CountryField(read_only=True, allow_blank=True)
    country_name = serializers.CharField(source="country.name", read_only=True)
    date_range = serializers.CharField(read_only=True, help_text="e.g. “11–12 May 2023”.")
    place = serializers.CharField(read_only=True, help_text="e.g. “Nijmegen, Netherlands”.")
    time_zone = serializers.CharField(
        source="zone_name",
        read_only=True,
        help_text="The IANA name of the zone the programme's times are in: the meeting's own, "
        "else its country's, else the site's.",
    )
    topics = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "slug",
            "title",
            "series",
            "edition",
            "kind",
            "start_date",
            "end_date",
            "date_range",
            "venue",
            "city",
            "country",
            "country_name",
            "place",
            "time_zone",
            "is_open",
            "topics",
            "updated_at",
        ]

    @extend_schema_field(TopicSummarySerializer(many=True))
    def get_topics(self, meeting):
        topics = [meeting_topic.topic for meeting_topic in meeting.meeting_topics.all()]
        return TopicSummarySerializer(topics, many=True, context=self.context).data


class SeriesWithParentSerializer(SeriesSummarySerializer):
    parent_organisation = InstitutionSummarySerializer(read_only=True, allow_null=True)

    class Meta(SeriesSummarySerializer.Meta):
        fields = [*SeriesSummarySerializer.Meta.fields, "parent_organisation"]


class MeetingDetailSerializer(MeetingListSerializer):
    """Everything about a meeting but its programme, which the papers app adds
    (``papers.api.serializers.MeetingProgrammeSerializer``)."""

    series = SeriesWithParentSerializer(read_only=True)
    announced_topics = AnnouncedTopicSerializer(source="meeting_topics", many=True, read_only=True)
    organizers = OrganizerSerializer(source="committee", many=True, read_only=True)
    supporting_projects = SupportSerializer(source="supports", many=True, read_only=True)
    acknowledgments = serializers.ListField(
        source="acknowledgment_sentences", child=serializers.CharField(), read_only=True
    )

    class Meta(MeetingListSerializer.Meta):
        fields = [
            *MeetingListSerializer.Meta.fields[:-1],
            "description",
            "website",
            "announced_topics",
            "organizers",
            "supporting_projects",
            "acknowledgments",
            "acknowledgment_note",
            "created_at",
            "updated_at",
        ]


class SupportWriteSerializer(KnownFieldsOnly, serializers.Serializer):
    project = SlugOrIdRelatedField(queryset=Project.objects.all())
    kind = serializers.ChoiceField(
        choices=MeetingSupport.Kind.choices, default=MeetingSupport.Kind.ORGANIZED_AND_SUPPORTED
    )
    acknowledged = serializers.BooleanField(default=False)


class OrganizerWriteSerializer(KnownFieldsOnly, serializers.Serializer):
    person = SlugOrIdRelatedField(queryset=Person.objects.all())
    institution = SlugOrIdRelatedField(
        source="affiliation",
        queryset=Institution.objects.all(),
        allow_null=True,
        required=False,
        default=None,
    )
    role = serializers.ChoiceField(
        choices=CommitteeMember.Role.choices, default=CommitteeMember.Role.MEMBER
    )


class MeetingWriteSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    """A meeting with its announced topics, organizers and supporting projects, in order.

    Lists that are sent replace the stored ones; the programme is written through
    ``/api/presentations/``.
    """

    series = SlugOrIdRelatedField(queryset=Series.objects.all())
    country = CountryField(required=False, allow_blank=True)
    topics = SlugOrIdRelatedField(
        queryset=Topic.objects.all(), many=True, required=False, help_text="In announced order."
    )
    organizers = OrganizerWriteSerializer(source="committee", many=True, required=False)
    supporting_projects = SupportWriteSerializer(source="supports", many=True, required=False)

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "title",
            "series",
            "edition",
            "kind",
            "start_date",
            "end_date",
            "venue",
            "city",
            "country",
            "time_zone",
            "is_open",
            "description",
            "website",
            "acknowledgment_note",
            "topics",
            "organizers",
            "supporting_projects",
        ]
        # The service checks (series, edition) and the dates with field messages.
        validators = []

    detail_serializer_class = MeetingDetailSerializer

    def create(self, validated_data):
        return run_service(self, services.create_meeting, **validated_data)

    def update(self, instance, validated_data):
        return run_service(self, services.update_meeting, meeting=instance, **validated_data)

    def to_representation(self, instance):
        meeting = Meeting.objects.with_page_details().get(pk=instance.pk)
        return self.detail_serializer_class(meeting, context=self.context).data


class RoomSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:room-detail")
    meeting = MeetingSummarySerializer(read_only=True)

    class Meta:
        model = Room
        fields = ["id", "url", "meeting", "name", "capacity", "position"]


class RoomWriteSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    """A room of a meeting's venue; added last in the listing unless a position is given."""

    meeting = SlugOrIdRelatedField(queryset=Meeting.objects.all())
    position = serializers.IntegerField(min_value=1, max_value=32767, required=False)

    class Meta:
        model = Room
        fields = ["meeting", "name", "capacity", "position"]
        # The service checks the name and position within the meeting, with field messages.
        validators = []

    def create(self, validated_data):
        return run_service(self, services.create_room, **validated_data)

    def update(self, instance, validated_data):
        return run_service(self, services.update_room, room=instance, **validated_data)

    def to_representation(self, instance):
        room = Room.objects.select_related("meeting").get(pk=instance.pk)
        return RoomSerializer(room, context=self.context).data
