import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conference.core.base import Record, SlugManager, related_model, reverse_by_slug
from conference.core.dates import (
    country_time_zone,
    format_date,
    format_date_range,
    format_day_month,
    format_time_range,
    meeting_days,
    validate_time_zone,
)
from conference.core.folding import matching_words
from conference.core.history import kept_history
from conference.core.identifiers import validate_web_address
from conference.core.text import country_name, normalize_text, ordinal, unique_slug
from people.models import institution_columns, person_columns

# The kinds of meeting organizers usually write, in the visitor's language; others are shown as
# written.
MEETING_KINDS = {
    "open meeting": pgettext_lazy("meeting kind", "open meeting"),
    "annual meeting": pgettext_lazy("meeting kind", "annual meeting"),
    "conference": pgettext_lazy("meeting kind", "conference"),
    "workshop": pgettext_lazy("meeting kind", "workshop"),
    "symposium": pgettext_lazy("meeting kind", "symposium"),
    "seminar": pgettext_lazy("meeting kind", "seminar"),
    "colloquium": pgettext_lazy("meeting kind", "colloquium"),
    "summer school": pgettext_lazy("meeting kind", "summer school"),
}


def meeting_kind_label(kind):
    """A meeting's kind in the active language ("open meeting" -> "réunion ouverte")."""
    return str(MEETING_KINDS.get(kind.strip().lower(), kind))


class Translatable:
    """A record whose title or name and description organizers may also give in the site's
    other languages (its ``translations``): pages in that language show those, and the
    original wherever a translation says nothing."""

    def translated(self, field, original):
        """``field`` of this record's translation into the active language, else ``original``.

        Reads the translations once per record and language (none for the site's own
        language); a page of many records prefetches them (``with_translations``)."""
        language = translation.get_language()
        if language == settings.LANGUAGE_CODE:
            return original
        found = self.__dict__.setdefault("_translations_by_language", {})
        if language not in found:
            found[language] = next(
                (row for row in self.translations.all() if row.language == language), None
            )
        return (getattr(found[language], field) if found[language] else "") or original

    @property
    def shown_description(self):
        return self.translated("description", self.description)


class TranslationsQuerySet(models.QuerySet):
    def with_translations(self):
        """Prefetch the translations into the active language, in one query, when the page
        is in another language than the site's."""
        if translation.get_language() == settings.LANGUAGE_CODE:
            return self
        rows = related_model(self.model, "translations").objects.filter(
            language=translation.get_language()
        )
        return self.prefetch_related(Prefetch("translations", queryset=rows))


class SeriesQuerySet(TranslationsQuerySet):
    def with_parent_organisation(self):
        return self.select_related("parent_organisation")

    def with_meetings(self):
        """The series' meetings, newest first, in one extra query."""
        return self.prefetch_related(Prefetch("meetings", queryset=Meeting.objects.newest_first()))

    def with_meeting_counts(self):
        return self.annotate(meeting_count=Count("meetings", distinct=True))

    def search(self, query):
        return self.filter(matching_words(query, ("name", "short_name", "description")))


class Series(Translatable, Record):
    """A meeting series or study group, e.g. an IIAS Study Group."""

    name = models.CharField(
        _("name"),
        max_length=255,
        help_text=_("Full name, e.g. “IIAS Study Group on ‘Coproduction of Public Services’”."),
    )
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    parent_organisation = models.ForeignKey(
        "people.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="series",
        verbose_name=_("parent organisation"),
        help_text=_("The organisation the series belongs to, e.g. IIAS."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True, validators=[validate_web_address])

    single_line_fields = ("name", "short_name")
    multi_line_fields = ("description",)

    objects = SlugManager.from_queryset(SeriesQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self):
        return self.name

    def slug_source(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse_by_slug("conference:series_detail", self.slug)

    @property
    def shown_name(self):
        return self.translated("name", self.name)


class TopicQuerySet(TranslationsQuerySet):
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


class Topic(Translatable, Record):
    """A subject announced for meetings and assigned to works; reusable across meetings."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    description = models.TextField(_("description"), blank=True)

    single_line_fields = ("name",)
    multi_line_fields = ("description",)

    objects = SlugManager.from_queryset(TopicQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_by_slug("conference:topic_detail", self.slug)

    @property
    def shown_name(self):
        return self.translated("name", self.name)


class ProjectQuerySet(models.QuerySet):
    def search(self, query):
        return self.filter(
            matching_words(
                query, ("acronym", "title", "funder", "programme", "grant_agreement", "description")
            )
        )


class Project(Record):
    """A funded research project that supports meetings and that works are based on."""

    acronym = models.CharField(_("acronym"), max_length=60, help_text=_("e.g. “inGOV”."))
    title = models.CharField(_("title"), max_length=255, blank=True)
    funder = models.CharField(
        _("funder"), max_length=255, blank=True, help_text=_("e.g. “European Union”.")
    )
    programme = models.CharField(
        _("programme"),
        max_length=255,
        blank=True,
        help_text=_("e.g. “Horizon 2020 research and innovation programme”."),
    )
    grant_agreement = models.CharField(
        _("grant agreement number"), max_length=60, blank=True, help_text=_("e.g. “962563”.")
    )
    website = models.URLField(_("website"), blank=True, validators=[validate_web_address])
    description = models.TextField(_("description"), blank=True)

    single_line_fields = ("acronym", "title", "funder", "programme", "grant_agreement")
    multi_line_fields = ("description",)

    objects = SlugManager.from_queryset(ProjectQuerySet)()

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.acronym

    def slug_source(self):
        return self.acronym

    @property
    def funding_statement(self):
        """“the European Union’s Horizon 2020 research and innovation programme under Grant
        Agreement 962563”, or as much of it as is recorded."""
        funder, programme, grant = self.funder, self.programme, self.grant_agreement
        if funder and programme:
            if grant:
                return gettext(
                    "the %(funder)s’s %(programme)s under Grant Agreement %(grant_agreement)s"
                ) % {"funder": funder, "programme": programme, "grant_agreement": grant}
            return gettext("the %(funder)s’s %(programme)s") % {
                "funder": funder,
                "programme": programme,
            }
        if funder or programme:
            if grant:
                # Translators: the source is a funder ("European Union") or a programme.
                return gettext("%(source)s under Grant Agreement %(grant_agreement)s") % {
                    "source": funder or programme,
                    "grant_agreement": grant,
                }
            return funder or programme
        if grant:
            return gettext("under Grant Agreement %(grant_agreement)s") % {"grant_agreement": grant}
        return ""

    def get_absolute_url(self):
        return reverse_by_slug("conference:project_detail", self.slug)


class MeetingQuerySet(TranslationsQuerySet):
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


class Meeting(Translatable, Record):
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("series")
    )
    edition = models.PositiveSmallIntegerField(
        _("edition"),
        null=True,
        blank=True,
        help_text=_("The meeting's number in its series: 10 for the 10th."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=60,
        default="open meeting",
        help_text=_("e.g. “open meeting”, “workshop”."),
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty for “10th open meeting of <series>”."),
    )
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"), db_index=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "The IANA name of the time the programme is written in, e.g. Europe/Brussels. "
            "Leave empty for the zone of the meeting's country."
        ),
    )
    is_open = models.BooleanField(
        _("open to all"),
        default=True,
        help_text=_("Open meetings accept participants from outside."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True, validators=[validate_web_address])
    acknowledgment_note = models.TextField(
        _("acknowledgment note"),
        blank=True,
        help_text=_(
            "Extra thanks printed after the acknowledgment that is built from the supporting "
            "projects (their funder, programme and grant agreement)."
        ),
    )
    topics = models.ManyToManyField(
        Topic, through="MeetingTopic", related_name="meetings", verbose_name=_("topics")
    )
    projects = models.ManyToManyField(
        Project, through="MeetingSupport", related_name="meetings", verbose_name=_("projects")
    )

    single_line_fields = ("kind", "title", "venue", "city")
    multi_line_fields = ("description", "acknowledgment_note")

    objects = SlugManager.from_queryset(MeetingQuerySet)()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="meeting_end_not_before_start",
                violation_error_message=_("The meeting cannot end before it starts."),
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
            raise ValidationError({"end_date": gettext("The meeting cannot end before it starts.")})

    def default_title(self):
        """The title stored when none is given: it is the record's content, so it is written
        in the site's own language whatever the organizer's."""
        with translation.override(settings.LANGUAGE_CODE):
            prefix = (
                f"{ordinal(self.edition)} {self.kind}" if self.edition else self.kind.capitalize()
            )
        return f"{prefix} of the {self.series.name}"

    @property
    def display_title(self):
        return self.title or (self.default_title() if self.series_id else gettext("New meeting"))

    @property
    def shown_title(self):
        """The title a page in the active language shows: the organizers' translation, else
        the title."""
        return self.translated("title", self.display_title)

    @property
    def edition_label(self):
        """The meeting in its series, in the active language: "10th open meeting",
        "10e réunion ouverte"."""
        kind = meeting_kind_label(self.kind)
        if not self.edition:
            return kind
        # Translators: a meeting's edition and kind: "10th open meeting".
        return pgettext("edition", "%(ordinal)s %(kind)s") % {
            "ordinal": ordinal(self.edition),
            "kind": kind,
        }

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
            if funding := project.funding_statement:
                sentence = gettext(
                    "This meeting was supported by the project %(acronym)s, which received "
                    "funding from %(funding_statement)s."
                ) % {"acronym": project.acronym, "funding_statement": funding}
            else:
                sentence = gettext("This meeting was supported by the project %(acronym)s.") % {
                    "acronym": project.acronym
                }
            sentences.append(sentence)
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

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="meeting_topics", verbose_name=_("meeting")
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="meeting_topics", verbose_name=_("topic")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    objects = MeetingTopicManager()
    history = kept_history()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("announced topic")
        verbose_name_plural = _("announced topics")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "topic"],
                name="meeting_topic_unique",
                violation_error_message=_("This topic is already announced for this meeting."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="meeting_topic_unique_position",
                violation_error_message=_(
                    "Two announced topics of this meeting have the same position: give each "
                    "its own."
                ),
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
        # Translators: the chair of a meeting's organizing committee.
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        LOCAL = "local", _("Local organizer")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="committee", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="committee_memberships",
        verbose_name=_("person"),
    )
    affiliation = models.ForeignKey(
        "people.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_memberships",
        verbose_name=_("affiliation"),
        help_text=_("The person's institution at the time of the meeting."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    position = models.PositiveSmallIntegerField(
        _("position"), default=1, help_text=_("Order in the listing.")
    )
    printed_name = models.CharField(
        _("name as printed"),
        max_length=255,
        blank=True,
        help_text=_(
            "The name exactly as the meeting's documents print it, e.g. “T. Steen”; "
            "leave empty when it is the person's name."
        ),
    )

    objects = CommitteeMemberManager()
    history = kept_history()

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("organizing committee member")
        verbose_name_plural = _("organizing committee members")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="committee_member_unique",
                violation_error_message=_("This person is already on this meeting's committee."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="committee_member_unique_position",
                violation_error_message=_(
                    "Two committee members of this meeting have the same position: give each "
                    "its own."
                ),
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
        # Translators: how a project supported a meeting; the page prints "<kind> the meeting".
        ORGANIZED_AND_SUPPORTED = "organized_and_supported", _("Organized and supported")
        SUPPORTED = "supported", _("Supported")
        FUNDED = "funded", _("Funded")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="supports", verbose_name=_("meeting")
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="supports", verbose_name=_("project")
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=Kind.choices, default=Kind.ORGANIZED_AND_SUPPORTED
    )
    acknowledged = models.BooleanField(
        _("acknowledged"),
        default=False,
        help_text=_("Print the project's funding acknowledgment on the meeting page."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    objects = MeetingSupportManager()
    history = kept_history()

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("supporting project")
        verbose_name_plural = _("supporting projects")
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

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("meeting")
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("As signposted, e.g. “Aula 1”, “Room B.02”.")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Seats, if known."),
        validators=[MinValueValidator(1)],
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=1, help_text=_("Order in the listing.")
    )

    objects = RoomManager()
    history = kept_history()

    class Meta:
        ordering = ["meeting_id", "position", "id"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "name"],
                name="room_unique_name",
                violation_error_message=_("This meeting already has a room of this name."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="room_unique_position",
                violation_error_message=_(
                    "Two rooms of this meeting have the same position: give each its own."
                ),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="room_capacity_positive",
                violation_error_message=_("A room's capacity is at least one seat."),
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

    def programme_rows(self, part, *, talk_counts=False):
        """The sessions of ``part`` (a ``ProgrammePart``) as rows of the columns a programme
        shows, by day and position; ``talk_counts`` adds ``talk_count``, how many talks each
        holds (for a programme read without its talks)."""
        rows = self.filter(part.sessions())
        if talk_counts:
            rows = rows.annotate(talk_count=Count("talks"))
        extra = ("talk_count",) if talk_counts else ()
        return rows.order_by("day", "position").values(
            *extra,
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
        PAPER_SESSION = "paper_session", _("Paper session")
        PANEL = "panel", _("Panel")
        # Translators: a plenary session of a meeting.
        PLENARY = "plenary", _("Plenary")
        KEYNOTE = "keynote", _("Keynote")
        ROUNDTABLE = "roundtable", _("Roundtable")
        WORKSHOP = "workshop", _("Workshop")
        POSTER_SESSION = "poster_session", _("Poster session")
        BREAK = "break", _("Break or social event")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("meeting")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        blank=True,
        help_text=_(
            "Used in web addresses, unique within the meeting. Leave empty to make one "
            "from the title."
        ),
    )
    title = models.CharField(
        _("title"), max_length=255, help_text=_("e.g. “Co-creation in health care”.")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.PAPER_SESSION
    )
    day = models.DateField(_("day"), help_text=_("A day of the meeting."))
    start_time = models.TimeField(
        _("start time"), null=True, blank=True, help_text=_("In the meeting's time zone.")
    )
    end_time = models.TimeField(
        _("end time"), null=True, blank=True, help_text=_("In the meeting's time zone.")
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("room"),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=1,
        help_text=_(
            "Order in the meeting's programme (within a day, timed sessions "
            "come in order of their start)."
        ),
    )
    chairs = models.ManyToManyField(
        "people.Person",
        through="SessionChair",
        related_name="chaired_sessions",
        blank=True,
        verbose_name=_("chairs"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SessionQuerySet.as_manager()
    history = kept_history()

    class Meta:
        ordering = ["meeting_id", "day", "position"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "slug"],
                name="session_unique_slug",
                violation_error_message=_("This meeting already has a session with this slug."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="session_unique_position",
                violation_error_message=_(
                    "Two sessions of this meeting have the same position: give each its own."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__gt=F("start_time")),
                name="session_ends_after_start",
                violation_error_message=_(
                    "A session ends after it starts (and has a start time if it has an end time)."
                ),
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
            errors["day"] = gettext(
                "The day must be one of the meeting's days (%(days)s); %(day)s is not."
            ) % {"days": meeting.date_range, "day": format_date(self.day)}
        if self.end_time is not None and self.start_time is None:
            errors["start_time"] = gettext("Give the start time too, or leave out the end time.")
        elif self.end_time is not None and self.end_time <= self.start_time:
            errors["end_time"] = gettext(
                "The session ends after it starts: %(end)s is not after %(start)s."
            ) % {"end": f"{self.end_time:%H:%M}", "start": f"{self.start_time:%H:%M}"}
        if self.room_id and meeting and self.room.meeting_id != meeting.pk:
            errors["room"] = gettext("“%(room)s” is a room of another meeting.") % {
                "room": self.room
            }
        elif not errors:
            other = Session.objects.overlapping(self).first()
            if other is not None:
                errors["room"] = gettext(
                    "%(room)s is taken on %(day)s from %(start)s to %(end)s by “%(title)s”: "
                    "sessions in one room may not overlap."
                ) % {
                    "room": self.room,
                    "day": format_day_month(self.day),
                    "start": f"{other.start_time:%H:%M}",
                    "end": f"{other.end_time:%H:%M}",
                    "title": other.title,
                }
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

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="session_chairs", verbose_name=_("session")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="session_chairs",
        verbose_name=_("person"),
    )
    affiliation = models.ForeignKey(
        "people.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session_chairs",
        verbose_name=_("affiliation"),
        help_text=_("The chair's institution at the time of the meeting."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=1, help_text=_("Order in the listing.")
    )
    printed_name = models.CharField(
        _("name as printed"),
        max_length=255,
        blank=True,
        help_text=_(
            "The name exactly as the programme prints it, e.g. “T. Steen”; leave "
            "empty when it is the person's name."
        ),
    )

    objects = SessionChairQuerySet.as_manager()
    history = kept_history()

    class Meta:
        ordering = ["session_id", "position", "id"]
        verbose_name = _("session chair")
        verbose_name_plural = _("session chairs")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                name="session_chair_unique",
                violation_error_message=_("This person already chairs this session."),
            ),
            models.UniqueConstraint(
                fields=["session", "position"],
                name="session_chair_unique_position",
                violation_error_message=_(
                    "Two chairs of this session have the same position: give each its own."
                ),
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


def translation_languages():
    """The languages a record's text may be translated into: the site's others."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class ContentTranslation(models.Model):
    """A record's text in another of the site's languages, as an organizer wrote it."""

    language = models.CharField(_("language"), max_length=10, choices=translation_languages)
    description = models.TextField(_("description"), blank=True)

    single_line_fields = ()

    class Meta:
        abstract = True

    def __str__(self):
        return self.get_language_display()

    def save(self, *args, **kwargs):
        for name in self.single_line_fields:
            setattr(self, name, normalize_text(getattr(self, name)))
        self.description = normalize_text(self.description, single_line=False)
        super().save(*args, **kwargs)


class SeriesTranslation(ContentTranslation):
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="translations", verbose_name=_("series")
    )
    name = models.CharField(_("name"), max_length=255, blank=True)

    single_line_fields = ("name",)
    history = kept_history()

    class Meta:
        ordering = ["series_id", "language"]
        verbose_name = _("translation of a series")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "language"],
                name="unique_series_translation",
                violation_error_message=_("The series has a translation into this language."),
            )
        ]


class TopicTranslation(ContentTranslation):
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="translations", verbose_name=_("topic")
    )
    name = models.CharField(_("name"), max_length=255, blank=True)

    single_line_fields = ("name",)
    history = kept_history()

    class Meta:
        ordering = ["topic_id", "language"]
        verbose_name = _("translation of a topic")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "language"],
                name="unique_topic_translation",
                violation_error_message=_("The topic has a translation into this language."),
            )
        ]


class MeetingTranslation(ContentTranslation):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="translations", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=255, blank=True)

    single_line_fields = ("title",)
    history = kept_history()

    class Meta:
        ordering = ["meeting_id", "language"]
        verbose_name = _("translation of a meeting")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "language"],
                name="unique_meeting_translation",
                violation_error_message=_("The meeting has a translation into this language."),
            )
        ]
