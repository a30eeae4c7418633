from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_countries.fields import CountryField

from conference.core.base import Record, SlugManager, reverse_by_slug
from conference.core.dates import format_date_range
from conference.core.folding import matching_words
from conference.core.history import kept_history
from conference.core.identifiers import validate_web_address
from conference.core.text import country_name


def ordinal(number):
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


class SeriesQuerySet(models.QuerySet):
    def with_parent_organisation(self):
        return self.select_related("parent_organisation")

    def with_meetings(self):
        """The series' meetings, newest first, in one extra query."""
        return self.prefetch_related(Prefetch("meetings", queryset=Meeting.objects.newest_first()))

    def with_meeting_counts(self):
        return self.annotate(meeting_count=Count("meetings", distinct=True))

    def search(self, query):
        return self.filter(matching_words(query, ("name", "short_name", "description")))


class Series(Record):
    """A meeting series or study group, e.g. an IIAS Study Group."""

    name = models.CharField(
        max_length=255,
        help_text="Full name, e.g. “IIAS Study Group on ‘Coproduction of Public Services’”.",
    )
    short_name = models.CharField(max_length=120, blank=True)
    parent_organisation = models.ForeignKey(
        "people.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="series",
        help_text="The organisation the series belongs to, e.g. IIAS.",
    )
    description = models.TextField(blank=True)
    website = models.URLField(blank=True, validators=[validate_web_address])

    single_line_fields = ("name", "short_name")
    multi_line_fields = ("description",)

    objects = SlugManager.from_queryset(SeriesQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = "meeting series"
        verbose_name_plural = "meeting series"

    def __str__(self):
        return self.name

    def slug_source(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse_by_slug("conference:series_detail", self.slug)


class TopicQuerySet(models.QuerySet):
    def with_counts(self):
        """``work_count`` and ``meeting_count``, counted by subqueries so that a page of
        topics counts only its own rows."""
        from papers.models import Paper

        works = (
            Paper.topics.through.objects.filter(topic=OuterRef("pk"))
            .order_by()
            .values("topic")
            .annotate(count=Count("pk"))
            .values("count")
        )
        meetings = (
            MeetingTopic.objects.filter(topic=OuterRef("pk"))
            .order_by()
            .values("topic")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(
            work_count=Coalesce(Subquery(works), 0),
            meeting_count=Coalesce(Subquery(meetings), 0),
        )

    def search(self, query):
        return self.filter(matching_words(query, ("name", "description")))


class Topic(Record):
    """A subject announced for meetings and assigned to works; reusable across meetings."""

    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True)

    single_line_fields = ("name",)
    multi_line_fields = ("description",)

    objects = SlugManager.from_queryset(TopicQuerySet)()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_by_slug("conference:topic_detail", self.slug)


class ProjectQuerySet(models.QuerySet):
    def search(self, query):
        return self.filter(
            matching_words(
                query, ("acronym", "title", "funder", "programme", "grant_agreement", "description")
            )
        )


class Project(Record):
    """A funded research project that supports meetings and that works are based on."""

    acronym = models.CharField(max_length=60, help_text="e.g. “inGOV”.")
    title = models.CharField(max_length=255, blank=True)
    funder = models.CharField(max_length=255, blank=True, help_text="e.g. “European Union”.")
    programme = models.CharField(
        max_length=255,
        blank=True,
        help_text="e.g. “Horizon 2020 research and innovation programme”.",
    )
    grant_agreement = models.CharField(
        "grant agreement number", max_length=60, blank=True, help_text="e.g. “962563”."
    )
    website = models.URLField(blank=True, validators=[validate_web_address])
    description = models.TextField(blank=True)

    single_line_fields = ("acronym", "title", "funder", "programme", "grant_agreement")
    multi_line_fields = ("description",)

    objects = SlugManager.from_queryset(ProjectQuerySet)()

    class Meta:
        ordering = ["acronym"]

    def __str__(self):
        return self.acronym

    def slug_source(self):
        return self.acronym

    @property
    def funding_statement(self):
        """“the European Union’s Horizon 2020 research and innovation programme under Grant
        Agreement 962563”, or as much of it as is recorded."""
        parts = []
        if self.funder and self.programme:
            parts.append(f"the {self.funder}’s {self.programme}")
        elif self.funder or self.programme:
            parts.append(self.funder or self.programme)
        if self.grant_agreement:
            parts.append(f"under Grant Agreement {self.grant_agreement}")
        return " ".join(parts)

    def get_absolute_url(self):
        return reverse_by_slug("conference:project_detail", self.slug)


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, today=None):
        return self.filter(end_date__gte=today or timezone.localdate())

    def past(self, today=None):
        return self.filter(end_date__lt=today or timezone.localdate())

    def newest_first(self):
        return self.order_by("-start_date", "title")

    def with_series(self):
        return self.select_related("series", "series__parent_organisation")

    def with_topics(self):
        """Announced topics in order, in one extra query."""
        return self.prefetch_related(
            Prefetch("meeting_topics", queryset=MeetingTopic.objects.select_related("topic"))
        )

    def about_topic(self, topic):
        return self.filter(meeting_topics__topic=topic)

    def search(self, query):
        return self.filter(
            matching_words(query, ("title", "city", "venue", "series__name", "description"))
        )

    def in_series(self, series):
        return self.filter(series=series)

    def with_members_from(self, institution):
        """Meetings where someone from ``institution`` presented or sat on the committee."""
        from papers.models import Presenter

        presented = Presenter.objects.filter(authorship__affiliation=institution).values(
            "presentation__meeting"
        )
        organized = CommitteeMember.objects.filter(affiliation=institution).values("meeting")
        return self.filter(Q(pk__in=presented) | Q(pk__in=organized))

    def with_talk_counts(self):
        """``talk_count``: the presentations in each meeting's programme."""
        from papers.models import Presentation

        talks = (
            Presentation.objects.filter(meeting=OuterRef("pk"))
            .order_by()
            .values("meeting")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(talk_count=Coalesce(Subquery(talks), 0))

    def with_page_details(self):
        """Series, topics, committee and supporting projects: the meeting page reads its
        programme separately (``conference.meetings.programme``)."""
        return self.with_series().prefetch_related(
            Prefetch("meeting_topics", queryset=MeetingTopic.objects.select_related("topic")),
            Prefetch(
                "committee",
                queryset=CommitteeMember.objects.select_related("person", "affiliation"),
            ),
            Prefetch("supports", queryset=MeetingSupport.objects.select_related("project")),
        )

    def with_programme(self):
        """Everything the API's meeting detail shows, in a fixed number of queries."""
        from papers.models import Presentation

        return self.with_page_details().prefetch_related(
            Prefetch("presentations", queryset=Presentation.objects.in_programme_order()),
        )


class Meeting(Record):
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="meetings")
    edition = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The meeting's number in its series: 10 for the 10th."
    )
    kind = models.CharField(
        max_length=60, default="open meeting", help_text="e.g. “open meeting”, “workshop”."
    )
    title = models.CharField(
        max_length=255,
        blank=True,
        help_text="Leave empty for “10th open meeting of <series>”.",
    )
    start_date = models.DateField(db_index=True)
    end_date = models.DateField(db_index=True)
    venue = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=120, blank=True)
    country = CountryField(blank=True)
    is_open = models.BooleanField(
        "open to all", default=True, help_text="Open meetings accept participants from outside."
    )
    description = models.TextField(blank=True)
    website = models.URLField(blank=True, validators=[validate_web_address])
    acknowledgment_note = models.TextField(
        blank=True,
        help_text=(
            "Extra thanks printed after the acknowledgment that is built from the supporting "
            "projects (their funder, programme and grant agreement)."
        ),
    )
    topics = models.ManyToManyField(Topic, through="MeetingTopic", related_name="meetings")
    projects = models.ManyToManyField(Project, through="MeetingSupport", related_name="meetings")

    single_line_fields = ("kind", "title", "venue", "city")
    multi_line_fields = ("description", "acknowledgment_note")

    objects = SlugManager.from_queryset(MeetingQuerySet)()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="meeting_end_not_before_start",
                violation_error_message="The meeting cannot end before it starts.",
            ),
            models.UniqueConstraint(
                fields=["series", "edition"], name="meeting_unique_edition_in_series"
            ),
        ]
        indexes = [models.Index(fields=["series", "-start_date"])]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        self.normalize_fields()
        if not self.title and self.series_id:
            self.title = self.default_title()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The meeting cannot end before it starts."})

    def default_title(self):
        prefix = f"{ordinal(self.edition)} {self.kind}" if self.edition else self.kind.capitalize()
        return f"{prefix} of the {self.series.name}"

    @property
    def display_title(self):
        return self.title or (self.default_title() if self.series_id else "New meeting")

    @property
    def edition_label(self):
        return f"{ordinal(self.edition)} {self.kind}" if self.edition else self.kind

    @property
    def date_range(self):
        return format_date_range(self.start_date, self.end_date)

    @property
    def place(self):
        return ", ".join(part for part in (self.city, country_name(self.country)) if part)

    @property
    def is_upcoming(self):
        return self.end_date >= timezone.localdate()

    def get_absolute_url(self):
        return reverse_by_slug("conference:meeting_detail", self.slug)

    def acknowledgment_sentences(self):
        """The acknowledgment, built from the projects flagged as acknowledged.

        Works on prefetched ``supports`` so that the meeting page adds no queries.
        """
        sentences = []
        for support in self.supports.all():
            if not support.acknowledged:
                continue
            project = support.project
            sentence = f"This meeting was supported by the project {project.acronym}"
            if project.funding_statement:
                sentence += f", which received funding from {project.funding_statement}"
            sentences.append(sentence + ".")
        return sentences

    def committee_by_institution(self):
        """The organizing committee grouped by institution, in the order they are listed."""
        groups = {}
        for member in self.committee.all():
            groups.setdefault(member.affiliation, []).append(member)
        return list(groups.items())


class MeetingTopicManager(models.Manager):
    def get_by_natural_key(self, meeting_slug, topic_slug):
        return self.get(meeting__slug=meeting_slug, topic__slug=topic_slug)


class MeetingTopic(models.Model):
    """A topic as announced for one meeting, in the order of the call."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="meeting_topics")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="meeting_topics")
    position = models.PositiveSmallIntegerField(default=1)

    objects = MeetingTopicManager()
    history = kept_history()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = "announced topic"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "topic"], name="meeting_topic_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.topic}"

    def natural_key(self):
        return (self.meeting.slug, self.topic.slug)

    natural_key.dependencies = ["conference.meeting", "conference.topic"]


class CommitteeMemberManager(models.Manager):
    def get_by_natural_key(self, meeting_slug, person_slug):
        return self.get(meeting__slug=meeting_slug, person__slug=person_slug)


class CommitteeMember(models.Model):
    """A member of a meeting's organizing committee, with their institution at the time."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        MEMBER = "member", "Member"
        LOCAL = "local", "Local organizer"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="committee")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="committee_memberships"
    )
    affiliation = models.ForeignKey(
        "people.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_memberships",
        help_text="The person's institution at the time of the meeting.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    position = models.PositiveSmallIntegerField(default=1, help_text="Order in the listing.")

    objects = CommitteeMemberManager()
    history = kept_history()

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = "organizing committee member"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="committee_member_unique"),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}, {self.meeting})"

    def natural_key(self):
        return (self.meeting.slug, self.person.slug)

    natural_key.dependencies = ["conference.meeting", "people.person"]


class MeetingSupportManager(models.Manager):
    def get_by_natural_key(self, meeting_slug, project_slug):
        return self.get(meeting__slug=meeting_slug, project__slug=project_slug)


class MeetingSupport(models.Model):
    """How a research project supported a meeting (“organized and supported by”)."""

    class Kind(models.TextChoices):
        ORGANIZED_AND_SUPPORTED = "organized_and_supported", "Organized and supported"
        SUPPORTED = "supported", "Supported"
        FUNDED = "funded", "Funded"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="supports")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="supports")
    kind = models.CharField(
        max_length=30, choices=Kind.choices, default=Kind.ORGANIZED_AND_SUPPORTED
    )
    acknowledged = models.BooleanField(
        default=False,
        help_text="Print the project's funding acknowledgment on the meeting page.",
    )
    position = models.PositiveSmallIntegerField(default=1)

    objects = MeetingSupportManager()
    history = kept_history()

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = "supporting project"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "project"], name="meeting_support_unique"),
        ]

    def __str__(self):
        return f"{self.project} – {self.get_kind_display().lower()} {self.meeting}"

    def natural_key(self):
        return (self.meeting.slug, self.project.slug)

    natural_key.dependencies = ["conference.meeting", "conference.project"]
