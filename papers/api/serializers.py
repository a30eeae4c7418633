import functools

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conference.core.api.fields import (
    HyperlinkedIdentityField,
    SlugOrIdRelatedField,
    record_link_builder,
)
from conference.core.api.summaries import SummarySerializer
from conference.core.api.validation import KnownFieldsOnly, run_service
from conference.core.identifiers import validate_web_address
from conference.meetings import services as meeting_services
from conference.meetings.api.serializers import MeetingDetailSerializer, MeetingWriteSerializer
from conference.meetings.api.summaries import (
    MeetingSummarySerializer,
    ProjectSummarySerializer,
    TopicSummarySerializer,
)
from conference.meetings.models import (
    Meeting,
    Project,
    Room,
    Session,
    SessionChair,
    Topic,
    session_url,
)
from papers import services
from papers.api.programme import (
    ProgrammeDaySerializer,
    ProgrammeRepresentation,
    ProgrammeSessionSerializer,
    ProgrammeTalkSerializer,
    RoomSummarySerializer,
)
from papers.api.summaries import PaperSummarySerializer
from papers.models import Authorship, Discussant, Paper, Presentation, Presenter, WorkRelation
from papers.programme import Programme
from people.api.serializers import PersonSerializer
from people.api.summaries import InstitutionSummarySerializer, PersonSummarySerializer
from people.models import Institution, Person


class AuthorshipSerializer(SummarySerializer):
    person = PersonSummarySerializer(read_only=True)
    affiliation = InstitutionSummarySerializer(
        read_only=True, allow_null=True, help_text="The author's institution at the time."
    )

    class Meta:
        model = Authorship
        fields = ["role", "position", "person", "printed_name", "affiliation"]


class PresenterSerializer(SummarySerializer):
    person = PersonSummarySerializer(source="authorship.person", read_only=True)
    institution = InstitutionSummarySerializer(
        source="authorship.affiliation",
        read_only=True,
        allow_null=True,
        help_text="The presenter's institution at the time of the work.",
    )

    class Meta:
        model = Presenter
        fields = ["position", "person", "institution"]


class DiscussantSerializer(SummarySerializer):
    person = PersonSummarySerializer(read_only=True)
    institution = InstitutionSummarySerializer(
        source="affiliation",
        read_only=True,
        allow_null=True,
        help_text="The discussant's institution at the time of the meeting.",
    )

    class Meta:
        model = Discussant
        fields = ["position", "person", "institution"]


class SessionSummarySerializer(SummarySerializer):
    url = HyperlinkedIdentityField(view_name="api:session-detail")

    class Meta:
        model = Session
        fields = ["id", "slug", "title", "day", "start_time", "end_time", "url"]


class ProgrammeEntrySerializer(serializers.ModelSerializer):
    """One talk in a meeting's programme, with who presented it from which institution."""

    url = HyperlinkedIdentityField(view_name="api:presentation-detail")
    session = SessionSummarySerializer(
        read_only=True, allow_null=True, help_text="Null for a talk not (yet) scheduled."
    )
    work = PaperSummarySerializer(source="paper", read_only=True)
    presenters = PresenterSerializer(many=True, read_only=True)
    discussants = DiscussantSerializer(source="discussant_roles", many=True, read_only=True)

    class Meta:
        model = Presentation
        fields = [
            "id",
            "url",
            "position",
            "session",
            "start_time",
            "end_time",
            "work",
            "presenters",
            "discussants",
        ]


class PresentationSerializer(ProgrammeEntrySerializer):
    meeting = MeetingSummarySerializer(read_only=True)

    class Meta(ProgrammeEntrySerializer.Meta):
        fields = ["id", "url", "meeting", *ProgrammeEntrySerializer.Meta.fields[2:]]


class PaperPresentationSerializer(ProgrammeEntrySerializer):
    """A presentation of a work, seen from the work: where, when and by whom."""

    meeting = MeetingSummarySerializer(read_only=True)

    class Meta(ProgrammeEntrySerializer.Meta):
        fields = [
            "id",
            "url",
            "meeting",
            "position",
            "session",
            "start_time",
            "end_time",
            "presenters",
        ]


class RelationSerializer(serializers.ModelSerializer):
    """This work extends or cites ``work``."""

    work = PaperSummarySerializer(source="target", read_only=True)

    class Meta:
        model = WorkRelation
        fields = ["kind", "work", "note"]


class InverseRelationSerializer(serializers.ModelSerializer):
    """``work`` extends or cites this work."""

    work = PaperSummarySerializer(source="source", read_only=True)

    class Meta:
        model = WorkRelation
        fields = ["kind", "work", "note"]


class PaperListSerializer(serializers.ModelSerializer):
    url = HyperlinkedIdentityField(view_name="api:paper-detail", lookup_field="slug")
    type = serializers.ChoiceField(source="kind", choices=Paper.Kind.choices, read_only=True)
    authors = AuthorshipSerializer(
        source="authorships",
        many=True,
        read_only=True,
        help_text="Contributors in order: authors first, then editors and other roles.",
    )
    topics = TopicSummarySerializer(many=True, read_only=True)
    doi_url = serializers.CharField(read_only=True, help_text="The DOI as a link, or empty.")

    class Meta:
        model = Paper
        fields = [
            "id",
            "url",
            "slug",
            "title",
            "type",
            "year",
            "authors",
            "topics",
            "journal",
            "doi",
            "doi_url",
            "updated_at",
        ]


NESTED_LIST_FIELDS = frozenset({"url", "authors", "topics"})


# Fields whose ``to_representation`` gives a value of this type back unchanged
# (``str(value)``, ``int(value)``): a page of 50 works skips some 300 calls.
_SHOWN_UNCHANGED = {
    serializers.CharField: str,
    serializers.SlugField: str,
    serializers.IntegerField: int,
}


def _plain(field):
    """A function of a listed work giving what ``field`` shows of it."""
    if isinstance(field, serializers.DateTimeField):
        # DRF looks the time zone up for every value; once gives the same text (``timezone``
        # is what its ``default_timezone`` argument sets).
        field.timezone = field.default_timezone()
    source, show = field.source, field.to_representation
    unchanged = _SHOWN_UNCHANGED.get(type(field))

    def value(work):
        attribute = getattr(work, source)
        if attribute is None or type(attribute) is unchanged:
            return attribute
        return show(attribute)

    return value


@functools.cache
def _list_plan():
    """``PaperListSerializer``'s fields, planned once per process (about 0.8 ms a request
    otherwise): each plain field's reader, by name in order (None for the nested ones, built
    per request from its links), and the columns they read."""
    fields = PaperListSerializer().fields
    plain = {
        name: None if name in NESTED_LIST_FIELDS else _plain(field)
        for name, field in fields.items()
    }
    columns = tuple(
        field.source
        for name, field in fields.items()
        if name not in NESTED_LIST_FIELDS and field.source in PAPER_COLUMNS
    )
    return plain, columns


class PaperListRepresentation:
    """What ``PaperListSerializer(papers, many=True).data`` answers, built from the rows of
    ``Paper.objects.as_list_rows()`` (``papers.listing``) instead of model instances.

    ``PaperListSerializer`` stays the documented response and decides what is shown: its
    fields are read as named columns and shown through its own fields, so a field added to
    its ``Meta.fields`` needs no other edit. Only the links and the nested contributors and
    topics are built here, from links resolved once per request. The tests compare the
    two byte for byte.
    """

    def __init__(self, context):
        def link_builder(view_name):
            return record_link_builder(
                view_name, request=context["request"], format=context.get("format")
            )

        self.paper_link = link_builder("api:paper-detail")
        self.person_link = link_builder("api:person-detail")
        self.institution_link = link_builder("api:institution-detail")
        self.topic_link = link_builder("api:topic-detail")
        nested = {"url": self._url, "authors": self._authors, "topics": self._topics}
        plain, self.columns = _list_plan()
        self.fields = [(name, nested.get(name) or plain[name]) for name in plain]

    def rows(self, papers):
        """The works of ``papers`` with the columns the list shows: paginate these (every
        page reads its contributors and topics), then ``represent`` the page."""
        return papers.as_list_rows(self.columns, topics=True)

    def represent(self, works):
        return [{name: value(work) for name, value in self.fields} for work in works]

    def _url(self, work):
        return self.paper_link(work.slug)

    def _authors(self, work):
        """The work's contributors in order, as ``AuthorshipSerializer`` shows them."""
        return [
            {
                "role": contributor.role,
                "position": contributor.position,
                "person": {
                    "id": contributor.person.id,
                    "slug": contributor.person.slug,
                    "name": contributor.person.full_name,
                    "url": self.person_link(contributor.person.slug),
                },
                "printed_name": contributor.printed_name,
                "affiliation": None
                if contributor.affiliation is None
                else {
                    "id": contributor.affiliation.id,
                    "slug": contributor.affiliation.slug,
                    "name": contributor.affiliation.name,
                    "short_name": contributor.affiliation.short_name,
                    "url": self.institution_link(contributor.affiliation.slug),
                },
            }
            for contributor in work.authorships
        ]

    def _topics(self, work):
        """The work's topics by name, as ``TopicSummarySerializer`` shows them."""
        return [
            {
                "id": topic.id,
                "slug": topic.slug,
                "name": topic.name,
                "url": self.topic_link(topic.slug),
            }
            for topic in work.topics
        ]


# The works' own columns, which the list's plain fields read by name.
PAPER_COLUMNS = frozenset(
    field.attname for field in Paper._meta.concrete_fields if not field.is_relation
)


class PaperDetailSerializer(PaperListSerializer):
    external_url = serializers.URLField(source="url", read_only=True, allow_blank=True)
    projects = ProjectSummarySerializer(many=True, read_only=True)
    presentations = PaperPresentationSerializer(many=True, read_only=True)
    relations = RelationSerializer(
        source="relations_out",
        many=True,
        read_only=True,
        help_text="Works this work extends or cites.",
    )
    inverse_relations = InverseRelationSerializer(
        source="relations_in",
        many=True,
        read_only=True,
        help_text="Works that extend or cite this work.",
    )

    class Meta(PaperListSerializer.Meta):
        fields = [
            "id",
            "url",
            "slug",
            "title",
            "type",
            "abstract",
            "year",
            "publication_date",
            "authors",
            "journal",
            "volume",
            "issue",
            "pages",
            "publisher",
            "publisher_place",
            "genre",
            "language",
            "doi",
            "doi_url",
            "external_url",
            "topics",
            "projects",
            "presentations",
            "relations",
            "inverse_relations",
            "created_at",
            "updated_at",
        ]


class AuthorshipWriteSerializer(KnownFieldsOnly, serializers.Serializer):
    person = SlugOrIdRelatedField(
        queryset=Person.objects.all(),
        help_text="A person or an organisation (a person with ``is_organisation``, or with no "
        "given name, is cited by its name as written).",
    )
    role = serializers.ChoiceField(
        choices=Authorship.Role.choices, default=Authorship.Role.AUTHOR, required=False
    )
    position = serializers.IntegerField(
        min_value=1, max_value=1000, help_text="1 for the first in this role."
    )
    affiliation = SlugOrIdRelatedField(
        queryset=Institution.objects.all(),
        allow_null=True,
        required=False,
        default=None,
        help_text="The author's institution at the time of the work.",
    )
    printed_name = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
        help_text="The name exactly as the work prints it (“T. Steen”), if not the person's.",
    )


class RelationWriteSerializer(KnownFieldsOnly, serializers.Serializer):
    kind = serializers.ChoiceField(choices=WorkRelation.Kind.choices)
    work = SlugOrIdRelatedField(
        queryset=Paper.objects.all(), help_text="The work this one extends or cites."
    )
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class PaperWriteSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    """A work with its ordered authors; lists that are sent replace the stored ones."""

    type = serializers.ChoiceField(source="kind", choices=Paper.Kind.choices, required=False)
    external_url = serializers.URLField(
        source="url",
        max_length=500,
        required=False,
        allow_blank=True,
        validators=[validate_web_address],
    )
    authors = AuthorshipWriteSerializer(many=True, allow_empty=False)
    topics = SlugOrIdRelatedField(queryset=Topic.objects.all(), many=True, required=False)
    projects = SlugOrIdRelatedField(queryset=Project.objects.all(), many=True, required=False)
    relations = RelationWriteSerializer(
        many=True, required=False, help_text="Works this work extends or cites."
    )

    class Meta:
        model = Paper
        fields = [
            "slug",
            "title",
            "type",
            "abstract",
            "year",
            "publication_date",
            "authors",
            "journal",
            "volume",
            "issue",
            "pages",
            "publisher",
            "publisher_place",
            "genre",
            "language",
            "doi",
            "external_url",
            "topics",
            "projects",
            "relations",
        ]
        extra_kwargs = {"year": {"min_value": 1000, "max_value": 2999}}
        # Uniqueness (DOI, slug) is checked by the service with clearer messages.
        validators = []

    def create(self, validated_data):
        return run_service(self, services.create_paper, **validated_data)

    def update(self, instance, validated_data):
        return run_service(self, services.update_paper, paper=instance, **validated_data)

    def to_representation(self, instance):
        paper = Paper.objects.with_details().get(pk=instance.pk)
        return PaperDetailSerializer(paper, context=self.context).data


class PersonAtWriteSerializer(KnownFieldsOnly, serializers.Serializer):
    """A chair or discussant: the person and their institution at the time."""

    person = SlugOrIdRelatedField(queryset=Person.objects.all())
    institution = SlugOrIdRelatedField(
        source="affiliation",
        queryset=Institution.objects.all(),
        allow_null=True,
        required=False,
        default=None,
    )


class PresentationWriteSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    meeting = SlugOrIdRelatedField(queryset=Meeting.objects.all())
    work = SlugOrIdRelatedField(source="paper", queryset=Paper.objects.all())
    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.all(),
        allow_null=True,
        required=False,
        help_text="Id of a session of the meeting; null (or left out) for an unscheduled talk.",
    )
    position = serializers.IntegerField(
        min_value=1,
        max_value=32767,
        required=False,
        help_text="Order in its session (or among the unscheduled talks); last if left out.",
    )
    presenters = SlugOrIdRelatedField(
        queryset=Person.objects.all(),
        many=True,
        help_text="People who presented, in order; each must be an author of the work.",
    )
    discussants = PersonAtWriteSerializer(
        many=True,
        required=False,
        help_text="People who discussed the talk, in order; none may be an author of the work.",
    )

    class Meta:
        model = Presentation
        fields = [
            "meeting",
            "work",
            "session",
            "position",
            "start_time",
            "end_time",
            "presenters",
            "discussants",
        ]
        validators = []

    def create(self, validated_data):
        return run_service(self, services.create_presentation, **validated_data)

    def update(self, instance, validated_data):
        return run_service(
            self, services.update_presentation, presentation=instance, **validated_data
        )

    def to_representation(self, instance):
        presentation = Presentation.objects.in_programme_order().with_meeting().get(pk=instance.pk)
        return PresentationSerializer(presentation, context=self.context).data


class SessionChairSerializer(SummarySerializer):
    person = PersonSummarySerializer(read_only=True)
    institution = InstitutionSummarySerializer(
        source="affiliation",
        read_only=True,
        allow_null=True,
        help_text="The chair's institution at the time of the meeting.",
    )

    class Meta:
        model = SessionChair
        fields = ["position", "person", "institution"]


class SessionSerializer(serializers.ModelSerializer):
    """A session of a meeting's programme: its day, times, room and chairs; its talks by id
    (the session's detail has them in full)."""

    url = HyperlinkedIdentityField(view_name="api:session-detail")
    page_url = serializers.SerializerMethodField(help_text="The session's public page.")
    meeting = MeetingSummarySerializer(read_only=True)
    room = RoomSummarySerializer(read_only=True, allow_null=True)
    chairs = SessionChairSerializer(source="session_chairs", many=True, read_only=True)
    talk_ids = serializers.SerializerMethodField(help_text="Ids of the session's talks in order.")

    class Meta:
        model = Session
        fields = [
            "id",
            "url",
            "page_url",
            "meeting",
            "slug",
            "title",
            "kind",
            "day",
            "start_time",
            "end_time",
            "room",
            "chairs",
            "description",
            "position",
            "talk_ids",
        ]

    def get_page_url(self, session) -> str:
        url = session_url(session.meeting.slug, session.slug)
        return self.context["request"].build_absolute_uri(url)

    def get_talk_ids(self, session) -> list[int]:
        return [talk.pk for talk in session.talks.all()]


class SessionDetailSerializer(ProgrammeSessionSerializer):
    """A session with its talks in full: every author of each work in order (the presenters
    marked), the discussants, and their institutions at the time. Read through the
    programme's reader (``papers.programme``), like the session's page."""

    meeting = MeetingSummarySerializer()
    talks = ProgrammeTalkSerializer(many=True)

    def to_representation(self, session):
        meeting = session.meeting
        programme = Programme.of(meeting, session=session)
        representation = ProgrammeRepresentation(self.context)
        meeting_summary = MeetingSummarySerializer(meeting, context=self.context).data
        return {"meeting": meeting_summary, **representation.session_with_talks(programme)}


class TalkWriteSerializer(KnownFieldsOnly, serializers.Serializer):
    """A talk of a new session, in order."""

    work = SlugOrIdRelatedField(source="paper", queryset=Paper.objects.all())
    presenters = SlugOrIdRelatedField(
        queryset=Person.objects.all(),
        many=True,
        help_text="People who presented, in order; each must be an author of the work.",
    )
    discussants = PersonAtWriteSerializer(many=True, required=False, default=list)
    start_time = serializers.TimeField(required=False, allow_null=True, default=None)
    end_time = serializers.TimeField(required=False, allow_null=True, default=None)


class SessionWriteSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    """A session with its chairs in order, and (when it is created) its talks in order: all
    written together or, at the first problem, nothing. Talks of an existing session are
    added with POST /api/presentations/ and moved with POST /api/presentations/{id}/move/."""

    meeting = SlugOrIdRelatedField(queryset=Meeting.objects.all())
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.all(),
        allow_null=True,
        required=False,
        help_text="Id of a room of the meeting.",
    )
    position = serializers.IntegerField(
        min_value=1,
        max_value=32767,
        required=False,
        help_text="Order in the meeting's programme; last if left out.",
    )
    chairs = PersonAtWriteSerializer(many=True, required=False)
    talks = TalkWriteSerializer(
        many=True, required=False, help_text="Only when the session is created."
    )

    class Meta:
        model = Session
        fields = [
            "meeting",
            "slug",
            "title",
            "kind",
            "day",
            "start_time",
            "end_time",
            "room",
            "description",
            "position",
            "chairs",
            "talks",
        ]
        # The services check the slug and position within the meeting, with field messages.
        validators = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and "talks" in attrs:
            raise serializers.ValidationError(
                {
                    "talks": [
                        _(
                            # Translators: keep “POST”, the addresses and “{id}” as they are.
                            "Talks are given only when a session is created: add one with POST "
                            "/api/presentations/ and move one with POST "
                            "/api/presentations/{id}/move/."
                        )
                    ]
                }
            )
        moved = self.instance is not None and "meeting" in attrs
        if moved and attrs["meeting"].pk != self.instance.meeting_id:
            raise serializers.ValidationError(
                {"meeting": [_("A session stays in its meeting: create it in the other one.")]}
            )
        return attrs

    def create(self, validated_data):
        return run_service(self, services.create_session_with_talks, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("meeting", None)
        return run_service(
            self, meeting_services.update_session, session=instance, **validated_data
        )

    def to_representation(self, instance):
        session = Session.objects.select_related("meeting").get(pk=instance.pk)
        return SessionDetailSerializer(session, context=self.context).data


class MoveSerializer(KnownFieldsOnly, serializers.Serializer):
    """Where a talk goes: a session of its meeting (null: unscheduled), a position in it,
    and its times there."""

    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.all(),
        allow_null=True,
        help_text="Id of a session of the talk's meeting; null to unschedule the talk.",
    )
    position = serializers.IntegerField(
        min_value=1,
        max_value=32767,
        required=False,
        allow_null=True,
        default=None,
        help_text="1 for the first; last if left out. The other talks move along.",
    )
    start_time = serializers.TimeField(required=False, allow_null=True, default=None)
    end_time = serializers.TimeField(required=False, allow_null=True, default=None)


class MeetingProgrammeSerializer(MeetingDetailSerializer):
    """Everything about a meeting, with its programme: the days with their sessions, and
    every talk with all the work's authors in order (presenters marked), the discussants and
    their institutions at the time. Read through the programme's reader
    (``papers.programme``), like the meeting's page."""

    days = serializers.SerializerMethodField(
        help_text="The meeting's days that have sessions, each with its sessions in time order."
    )
    programme = serializers.SerializerMethodField(
        help_text="Every talk in programme order: day by day, session by session, then the "
        "talks not (yet) scheduled (with `session` null)."
    )

    class Meta(MeetingDetailSerializer.Meta):
        fields = [
            *MeetingDetailSerializer.Meta.fields[:-2],
            "days",
            "programme",
            "created_at",
            "updated_at",
        ]

    def _programme(self, meeting):
        cached = self.__dict__.get("_read")
        if cached is None or cached[0] != meeting.pk:
            cached = self._read = (
                meeting.pk,
                Programme.of(meeting),
                ProgrammeRepresentation(self.context),
            )
        return cached[1], cached[2]

    @extend_schema_field(ProgrammeDaySerializer(many=True))
    def get_days(self, meeting):
        programme, representation = self._programme(meeting)
        return representation.days(programme)

    @extend_schema_field(ProgrammeTalkSerializer(many=True))
    def get_programme(self, meeting):
        programme, representation = self._programme(meeting)
        return representation.talks(programme)


class MeetingProgrammeWriteSerializer(MeetingWriteSerializer):
    detail_serializer_class = MeetingProgrammeSerializer


class AuthoredWorkSerializer(serializers.ModelSerializer):
    work = PaperSummarySerializer(source="paper", read_only=True)
    affiliation = InstitutionSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Authorship
        fields = ["position", "work", "affiliation"]


class PersonDetailSerializer(PersonSerializer):
    works = AuthoredWorkSerializer(
        many=True, read_only=True, help_text="Works this person wrote, newest first."
    )

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "works"]
