from collections import defaultdict

from django.db import connection
from rest_framework import serializers

from conference.core.api.fields import (
    HyperlinkedIdentityField,
    SlugOrIdRelatedField,
    record_link_builder,
)
from conference.core.api.validation import KnownFieldsOnly, run_service
from conference.core.identifiers import doi_url, validate_web_address
from conference.meetings.api.summaries import (
    InstitutionSummarySerializer,
    MeetingSummarySerializer,
    PaperSummarySerializer,
    PersonSummarySerializer,
    ProjectSummarySerializer,
    SummarySerializer,
    TopicSummarySerializer,
)
from conference.meetings.models import Meeting, Project, Topic
from papers import services
from papers.models import Authorship, Paper, Presentation, Presenter, WorkRelation
from people.models import Institution, Person, person_full_name


class AuthorshipSerializer(SummarySerializer):
    person = PersonSummarySerializer(read_only=True)
    affiliation = InstitutionSummarySerializer(
        read_only=True, allow_null=True, help_text="The author's institution at the time."
    )

    class Meta:
        model = Authorship
        fields = ["role", "position", "person", "affiliation"]


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


class ProgrammeEntrySerializer(serializers.ModelSerializer):
    """One work in a meeting's programme, with who presented it from which institution."""

    url = HyperlinkedIdentityField(view_name="api:presentation-detail")
    work = PaperSummarySerializer(source="paper", read_only=True)
    presenters = PresenterSerializer(many=True, read_only=True)

    class Meta:
        model = Presentation
        fields = ["id", "url", "position", "session", "work", "presenters"]


class PresentationSerializer(ProgrammeEntrySerializer):
    meeting = MeetingSummarySerializer(read_only=True)

    class Meta(ProgrammeEntrySerializer.Meta):
        fields = ["id", "url", "meeting", "position", "session", "work", "presenters"]


class PaperPresentationSerializer(ProgrammeEntrySerializer):
    """A presentation of a work, seen from the work: where and by whom."""

    meeting = MeetingSummarySerializer(read_only=True)

    class Meta(ProgrammeEntrySerializer.Meta):
        fields = ["id", "url", "meeting", "position", "session", "presenters"]


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


class PaperListReader:
    """What ``PaperListSerializer(papers, many=True).data`` answers, read from plain rows.

    On a page of 50 works, building model instances for the works and their authors,
    institutions and topics, then walking them through nested serializers, was nine tenths
    of the API list's time. This reads only the columns the list shows: the page, then its
    authors and its topics in one query each, and builds the same dicts in one pass.
    ``PaperListSerializer`` stays the documented response and the reference that the tests
    compare this with.

    The authors' and topics' queries are written out in SQL: they differ only in the works'
    ids, and building and compiling them through the ORM for every request was another
    sixth of the list's time.
    """

    paper_columns = ("id", "slug", "title", "kind", "year", "journal", "doi", "updated_at")

    def __init__(self, context):
        def link_builder(view_name):
            return record_link_builder(
                view_name, request=context["request"], format=context.get("format")
            )

        self.paper_link = link_builder("api:paper-detail")
        self.person_link = link_builder("api:person-detail")
        self.institution_link = link_builder("api:institution-detail")
        self.topic_link = link_builder("api:topic-detail")
        # DRF looks the time zone up for every value; once per request gives the same text.
        self.timestamp = serializers.DateTimeField(
            default_timezone=serializers.DateTimeField().default_timezone()
        )

    def rows(self, papers):
        """The columns of ``papers`` that the list shows: paginate these, then ``represent``."""
        return papers.values_list(*self.paper_columns)

    def represent(self, rows):
        rows = list(rows)
        paper_ids = [row[0] for row in rows]
        authors = self._authors(paper_ids)
        topics = self._topics(paper_ids)
        return [
            {
                "id": paper_id,
                "url": self.paper_link(slug),
                "slug": slug,
                "title": title,
                "type": kind,
                "year": year,
                "authors": authors.get(paper_id, []),
                "topics": topics.get(paper_id, []),
                "journal": journal,
                "doi": doi,
                "doi_url": doi_url(doi) if doi else "",
                "updated_at": self.timestamp.to_representation(updated_at),
            }
            for paper_id, slug, title, kind, year, journal, doi, updated_at in rows
        ]

    def _authors(self, paper_ids):
        """Each work's authors in order, as ``AuthorshipSerializer`` shows them."""
        authors = defaultdict(list)
        rows = self._fetch(
            """
            SELECT a.paper_id, a.role, a.position, a.person_id, p.slug, p.given_name,
                   p.family_name,
                   a.affiliation_id, i.slug, i.name, i.short_name
            FROM papers_authorship a
            JOIN people_person p ON p.id = a.person_id
            LEFT JOIN people_institution i ON i.id = a.affiliation_id
            WHERE a.paper_id IN ({paper_ids})
            ORDER BY a.paper_id, a.role, a.position
            """,
            paper_ids,
        )
        for (
            paper_id,
            role,
            position,
            person_id,
            person_slug,
            given_name,
            family_name,
            institution_id,
            institution_slug,
            institution_name,
            institution_short_name,
        ) in rows:
            person = {
                "id": person_id,
                "slug": person_slug,
                "name": person_full_name(given_name, family_name),
                "url": self.person_link(person_slug),
            }
            affiliation = None
            if institution_id is not None:
                affiliation = {
                    "id": institution_id,
                    "slug": institution_slug,
                    "name": institution_name,
                    "short_name": institution_short_name,
                    "url": self.institution_link(institution_slug),
                }
            authors[paper_id].append(
                {"role": role, "position": position, "person": person, "affiliation": affiliation}
            )
        return authors

    def _topics(self, paper_ids):
        """Each work's topics by name (``Topic``'s ordering), as ``TopicSummarySerializer``
        shows them."""
        topics = defaultdict(list)
        rows = self._fetch(
            """
            SELECT pt.paper_id, t.id, t.slug, t.name
            FROM papers_paper_topics pt
            JOIN conference_topic t ON t.id = pt.topic_id
            WHERE pt.paper_id IN ({paper_ids})
            ORDER BY t.name, t.id
            """,
            paper_ids,
        )
        for paper_id, topic_id, slug, name in rows:
            topics[paper_id].append(
                {
                    "id": topic_id,
                    "slug": slug,
                    "name": name,
                    "url": self.topic_link(slug),
                }
            )
        return topics

    @staticmethod
    def _fetch(sql, paper_ids):
        """The rows of ``sql`` for these works: its ``{paper_ids}`` becomes their placeholders."""
        if not paper_ids:
            return []
        placeholders = ", ".join(["%s"] * len(paper_ids))
        with connection.cursor() as cursor:
            cursor.execute(sql.format(paper_ids=placeholders), paper_ids)
            return cursor.fetchall()


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


class PresentationWriteSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    meeting = SlugOrIdRelatedField(queryset=Meeting.objects.all())
    work = SlugOrIdRelatedField(source="paper", queryset=Paper.objects.all())
    presenters = SlugOrIdRelatedField(
        queryset=Person.objects.all(),
        many=True,
        help_text="People who presented, in order; each must be an author of the work.",
    )

    class Meta:
        model = Presentation
        fields = ["meeting", "work", "position", "session", "presenters"]
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
