import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_countries.fields import CountryField

from conference.core.base import Record, SlugManager, related_model, reverse_by_slug
from conference.core.dates import (
    country_time_zone,
    format_date_range,
    format_time_range,
    meeting_days,
    validate_time_zone,
)
from conference.core.folding import matching_words
from conference.core.history import kept_history
from conference.core.identifiers import validate_web_address
from conference.core.text import country_name, normalize_text, unique_slug
from people.models import institution_columns, person_columns


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
        works = (
            self.model._meta.get_field("papers")
            .through.objects.filter(topic=OuterRef("pk"))
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
        presented = self.filter(
            presentations__presenters__authorship__affiliation=institution
        ).values("pk")
        organized = CommitteeMember.objects.filter(affiliation=institution).values("meeting")
        return self.filter(Q(pk__in=presented) | Q(pk__in=organized))

    def with_talk_counts(self, *, unscheduled=False):
        """``talk_count``: the presentations in each meeting's programme; with
        ``unscheduled``, also ``unscheduled_talk_count``: those in no session."""
        talks = related_model(self.model, "presentations").objects.filter(meeting=OuterRef("pk"))

        def count(rows):
            counted = rows.order_by().values("meeting").annotate(count=Count("pk"))
            return Coalesce(Subquery(counted.values("count")), 0)

        counts = {"talk_count": count(talks)}
        if unscheduled:
            counts["unscheduled_talk_count"] = count(talks.filter(session__isnull=True))
        return self.annotate(**counts)

    def with_page_details(self):
        """Series, topics, committee and supporting projects: the meeting page reads its
        programme separately (``papers.programme``)."""
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
        talks = related_model(self.model, "presentations").objects.in_programme_order()
        return self.with_page_details().prefetch_related(Prefetch("presentations", queryset=talks))


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
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="The IANA name of the time the programme is written in, e.g. Europe/Brussels. "
        "Leave empty for the zone of the meeting's country.",
    )
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
    def zone_name(self):
        """The time zone's IANA name: the meeting's own, its country's, or the site's."""
        return self.time_zone or country_time_zone(self.country) or settings.TIME_ZONE

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.zone_name)

    @property
    def days(self):
        """Every date of the meeting, first to last."""
        return meeting_days(self.start_date, self.end_date)

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
            models.UniqueConstraint(
                fields=["meeting", "topic"],
                name="meeting_topic_unique",
                violation_error_message="This topic is already announced for this meeting.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="meeting_topic_unique_position",
                violation_error_message="Two announced topics of this meeting have the same "
                "position: give each its own.",
            ),
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
    printed_name = models.CharField(
        "name as printed",
        max_length=255,
        blank=True,
        help_text="The name exactly as the meeting's documents print it, e.g. “T. Steen”; "
        "leave empty when it is the person's name.",
    )

    objects = CommitteeMemberManager()
    history = kept_history()

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = "organizing committee member"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="committee_member_unique",
                violation_error_message="This person is already on this meeting's committee.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="committee_member_unique_position",
                violation_error_message="Two committee members of this meeting have the same "
                "position: give each its own.",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}, {self.meeting})"

    @property
    def display_name(self):
        """The name as printed, else the person's name."""
        return self.printed_name or self.person.full_name

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


def session_url(meeting_slug, session_slug):
    """/meetings/<meeting>/sessions/<session>/: a session's page sits under its meeting's."""
    return f"{reverse_by_slug('conference:meeting_detail', meeting_slug)}sessions/{session_slug}/"


class RoomManager(models.Manager):
    def get_by_natural_key(self, meeting_slug, name):
        return self.get(meeting__slug=meeting_slug, name=name)


class Room(models.Model):
    """A room of a meeting's venue, where sessions take place."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=120, help_text="As signposted, e.g. “Aula 1”, “Room B.02”.")
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seats, if known.", validators=[MinValueValidator(1)]
    )
    position = models.PositiveSmallIntegerField(default=1, help_text="Order in the listing.")

    objects = RoomManager()
    history = kept_history()

    class Meta:
        ordering = ["meeting_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "name"],
                name="room_unique_name",
                violation_error_message="This meeting already has a room of this name.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="room_unique_position",
                violation_error_message="Two rooms of this meeting have the same position: "
                "give each its own.",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="room_capacity_positive",
                violation_error_message="A room's capacity is at least one seat.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.name = normalize_text(self.name)

    def natural_key(self):
        return (self.meeting.slug, self.name)

    natural_key.dependencies = ["conference.meeting"]


@dataclass(frozen=True)
class ProgrammePart:
    """Which talks of ``meeting``'s programme a reader wants: all of them (the default), one
    ``session``'s, those of the sessions on one ``day``, or (``unscheduled``) the talks in no
    session. The programme's readers (the ``programme_rows`` of sessions, chairs, talks,
    authors, presenters and discussants) filter by it, so that a part costs no more than its
    size."""

    meeting: object
    session: object = None
    day: datetime.date | None = None
    unscheduled: bool = False

    def talks(self, path=""):
        """The talks of this part, reached from the rows filtered through ``path`` (e.g.
        ``"presentation__"`` from a presenter); one Q, so that it joins the talk once."""
        condition = Q(**{f"{path}meeting": self.meeting})
        if self.session is not None:
            condition &= Q(**{f"{path}session": self.session})
        if self.day is not None:
            condition &= Q(**{f"{path}session__day": self.day})
        if self.unscheduled:
            condition &= Q(**{f"{path}session__isnull": True})
        return condition

    def sessions(self, path=""):
        """The sessions of this part (none for the unscheduled talks), through ``path``."""
        condition = Q(**{f"{path}meeting": self.meeting})
        if self.session is not None:
            condition &= Q(**{f"{path}pk": self.session.pk})
        if self.day is not None:
            condition &= Q(**{f"{path}day": self.day})
        if self.unscheduled:
            condition &= Q(**{f"{path}pk__in": []})
        return condition


class SessionQuerySet(models.QuerySet):
    def of_meeting(self, meeting):
        return self.filter(meeting=meeting)

    def on_day(self, day):
        return self.filter(day=day)

    def in_room(self, room):
        return self.filter(room=room)

    def in_programme_order(self):
        """By day, then start time (untimed sessions after timed ones), then position."""
        return self.order_by("meeting_id", "day", F("start_time").asc(nulls_last=True), "position")

    def overlapping(self, session):
        """Other timed sessions in ``session``'s room on its day whose times meet its own."""
        if session.room_id is None or session.start_time is None or session.end_time is None:
            return self.none()
        return self.filter(
            room_id=session.room_id,
            day=session.day,
            start_time__lt=session.end_time,
            end_time__gt=session.start_time,
        ).exclude(pk=session.pk)

    def get_by_natural_key(self, meeting_slug, slug):
        return self.get(meeting__slug=meeting_slug, slug=slug)

    def programme_rows(self, part):
        """The sessions of ``part`` (a ``ProgrammePart``) as rows of the columns a programme
        shows, by day and position."""
        rows = self.filter(part.sessions())
        return rows.order_by("day", "position").values(
            "id",
            "slug",
            "title",
            "kind",
            "day",
            "start_time",
            "end_time",
            "description",
            "position",
            "room_id",
            "room__name",
            "room__capacity",
        )


class Session(models.Model):
    """A block of a meeting's programme: a paper session, a panel, a keynote, a break…, on
    one day, maybe at set times and in a room, with its chairs and talks in order."""

    class Kind(models.TextChoices):
        PAPER_SESSION = "paper_session", "Paper session"
        PANEL = "panel", "Panel"
        PLENARY = "plenary", "Plenary"
        KEYNOTE = "keynote", "Keynote"
        ROUNDTABLE = "roundtable", "Roundtable"
        WORKSHOP = "workshop", "Workshop"
        POSTER_SESSION = "poster_session", "Poster session"
        BREAK = "break", "Break or social event"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    slug = models.SlugField(
        max_length=100,
        blank=True,
        help_text="Used in web addresses, unique within the meeting. Leave empty to make one "
        "from the title.",
    )
    title = models.CharField(max_length=255, help_text="e.g. “Co-creation in health care”.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PAPER_SESSION)
    day = models.DateField(help_text="A day of the meeting.")
    start_time = models.TimeField(null=True, blank=True, help_text="In the meeting's time zone.")
    end_time = models.TimeField(null=True, blank=True, help_text="In the meeting's time zone.")
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=1,
        help_text="Order in the meeting's programme (within a day, timed sessions "
        "come in order of their start).",
    )
    chairs = models.ManyToManyField(
        "people.Person", through="SessionChair", related_name="chaired_sessions", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()
    history = kept_history()

    class Meta:
        ordering = ["meeting_id", "day", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "slug"],
                name="session_unique_slug",
                violation_error_message="This meeting already has a session with this slug.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="session_unique_position",
                violation_error_message="Two sessions of this meeting have the same position: "
                "give each its own.",
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__gt=F("start_time")),
                name="session_ends_after_start",
                violation_error_message="A session ends after it starts (and has a start "
                "time if it has an end time).",
            ),
        ]
        indexes = [models.Index(fields=["room", "day"], name="session_room_day_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.normalize_fields()
        if not self.slug:
            self.slug = unique_slug(
                self, self.title, among=Session.objects.filter(meeting_id=self.meeting_id)
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return session_url(self.meeting.slug, self.slug)

    def normalize_fields(self):
        self.title = normalize_text(self.title)
        self.description = normalize_text(self.description, single_line=False)

    def clean(self):
        super().clean()
        self.normalize_fields()
        errors = {}
        meeting = self.meeting if self.meeting_id else None
        if meeting and self.day and not (meeting.start_date <= self.day <= meeting.end_date):
            errors["day"] = (
                f"The day must be one of the meeting's days ({meeting.date_range}); "
                f"{self.day.day} {self.day:%B %Y} is not."
            )
        if self.end_time is not None and self.start_time is None:
            errors["start_time"] = "Give the start time too, or leave out the end time."
        elif self.end_time is not None and self.end_time <= self.start_time:
            errors["end_time"] = (
                f"The session ends after it starts: {self.end_time:%H:%M} is not after "
                f"{self.start_time:%H:%M}."
            )
        if self.room_id and meeting and self.room.meeting_id != meeting.pk:
            errors["room"] = f"“{self.room}” is a room of another meeting."
        elif not errors:
            other = Session.objects.overlapping(self).first()
            if other is not None:
                errors["room"] = (
                    f"{self.room} is taken on {self.day.day} {self.day:%B} from "
                    f"{other.start_time:%H:%M} to {other.end_time:%H:%M} by “{other.title}”: "
                    "sessions in one room may not overlap."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def time_range(self):
        return format_time_range(self.start_time, self.end_time)

    def natural_key(self):
        return (self.meeting.slug, self.slug)

    natural_key.dependencies = ["conference.meeting", "conference.room"]


class SessionChairQuerySet(models.QuerySet):
    def programme_rows(self, part):
        """The chairs of the sessions of ``part`` (a ``ProgrammePart``) in order, as rows."""
        rows = self.filter(part.sessions("session__"))
        return rows.order_by("session_id", "position", "id").values(
            "session_id",
            "position",
            "printed_name",
            *person_columns("person"),
            *institution_columns("affiliation"),
        )

    def get_by_natural_key(self, meeting_slug, session_slug, person_slug):
        return self.get(
            session__meeting__slug=meeting_slug,
            session__slug=session_slug,
            person__slug=person_slug,
        )


class SessionChair(models.Model):
    """A person chairing a session, with their institution at the time."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="session_chairs")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="session_chairs"
    )
    affiliation = models.ForeignKey(
        "people.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session_chairs",
        help_text="The chair's institution at the time of the meeting.",
    )
    position = models.PositiveSmallIntegerField(default=1, help_text="Order in the listing.")
    printed_name = models.CharField(
        "name as printed",
        max_length=255,
        blank=True,
        help_text="The name exactly as the programme prints it, e.g. “T. Steen”; leave "
        "empty when it is the person's name.",
    )

    objects = SessionChairQuerySet.as_manager()
    history = kept_history()

    class Meta:
        ordering = ["session_id", "position", "id"]
        verbose_name = "session chair"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                name="session_chair_unique",
                violation_error_message="This person already chairs this session.",
            ),
            models.UniqueConstraint(
                fields=["session", "position"],
                name="session_chair_unique_position",
                violation_error_message="Two chairs of this session have the same position: "
                "give each its own.",
            ),
        ]

    def __str__(self):
        return f"{self.person} (chair, {self.session})"

    @property
    def display_name(self):
        """The name as printed, else the person's name."""
        return self.printed_name or self.person.full_name

    def natural_key(self):
        return (self.session.meeting.slug, self.session.slug, self.person.slug)

    natural_key.dependencies = ["conference.session", "people.person"]
