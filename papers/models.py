import contextlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, Max, Min, OuterRef, Prefetch, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference.core.base import Record, SlugManager, reverse_by_slug
from conference.core.folding import matching_words
from conference.core.history import kept_history
from conference.core.identifiers import (
    doi_url,
    normalize_doi,
    normalize_language_tag,
    validate_doi,
    validate_language_tag,
    validate_web_address,
)
from papers.listing import LIST_COLUMNS, WorkRows
from people.models import Person, institution_columns, person_columns


def programme_order(path=""):
    """Order expressions for talks (at ``path``, e.g. "presentations__") in programme order:
    by day, then session time (untimed sessions after timed ones), session position and the
    talk's position in it; unscheduled talks after every session, the same on every database."""
    return [
        F(f"{path}session__day").asc(nulls_last=True),
        F(f"{path}session__start_time").asc(nulls_last=True),
        F(f"{path}session__position").asc(nulls_last=True),
        F(f"{path}position").asc(),
    ]


class PaperQuerySet(models.QuerySet):
    def with_authors(self):
        """Ordered authors with their affiliations at the time, in one extra query."""
        return self.prefetch_related(
            Prefetch("authorships", queryset=Authorship.objects.with_people())
        )

    def with_details(self):
        """Everything the paper page and the API detail show, in a fixed number of queries."""
        return self.with_authors().prefetch_related(
            "topics",
            "projects",
            Prefetch(
                "presentations",
                queryset=Presentation.objects.newest_meeting_first()
                .select_related("session__meeting")
                .prefetch_related(Prefetch("presenters", queryset=Presenter.objects.with_people())),
            ),
            Prefetch(
                "relations_out",
                queryset=WorkRelation.objects.select_related("target").order_by(
                    "kind", "target__year"
                ),
            ),
            Prefetch(
                "relations_in",
                queryset=WorkRelation.objects.select_related("source").order_by(
                    "kind", "source__year"
                ),
            ),
        )

    def with_related_work_authors(self):
        """Authors of the works this one extends or cites, and of those citing it.

        Chain after ``with_details()``, whose ``relations_out``/``relations_in`` it extends.
        """
        authors = Authorship.objects.select_related("person")
        return self.prefetch_related(
            Prefetch("relations_out__target__authorships", queryset=authors),
            Prefetch("relations_in__source__authorships", queryset=authors),
        )

    def about_topic(self, topic):
        return self.filter(topics=topic)

    def based_on(self, project):
        return self.filter(projects=project)

    def with_topics(self):
        return self.prefetch_related("topics")

    def as_list_rows(self, columns=LIST_COLUMNS, *, topics=False):
        """The works as lists show them, from plain rows (``papers.listing``): ``columns``
        named, each work's contributors in order and, with ``topics``, its topics; read a
        page (a slice) at a time, in one query each."""
        return WorkRows(self, columns, topics=topics)

    def with_citation_data(self):
        """What papers/citations/csl.py reads: authors, topics, presentations with their meeting."""
        return self.with_authors().prefetch_related(
            "topics",
            Prefetch("presentations", queryset=Presentation.objects.select_related("meeting")),
        )

    def presented_at(self, meeting):
        return self.filter(presentations__meeting=meeting)

    def in_programme_order(self):
        """Chain after ``presented_at(meeting)``: the works in the order they were presented."""
        return self.order_by(*programme_order("presentations__"), "pk")

    def presented_in_series(self, series):
        return self.filter(
            pk__in=Presentation.objects.filter(meeting__series=series).values("paper")
        )

    def year_range(self):
        """Every year from the newest work's to the oldest's, newest first.

        From the smallest and largest year, which the year index answers at once; listing
        the distinct years would read the whole table.
        """
        bounds = self.aggregate(first=Min("year"), last=Max("year"))
        if bounds["first"] is None:
            return []
        return list(range(bounds["last"], bounds["first"] - 1, -1))

    def of_type(self, kind):
        return self.filter(kind=kind)

    def from_year(self, year):
        return self.filter(year=year)

    def presented_at_slug(self, slug):
        return self.filter(pk__in=Presentation.objects.filter(meeting__slug=slug).values("paper"))

    def about_topic_slug(self, slug):
        return self.filter(topics__slug=slug)

    def by_author_slug(self, slug):
        return self.filter(pk__in=Authorship.objects.filter(person__slug=slug).values("paper"))

    def by_institution_slug(self, slug):
        return self.filter(pk__in=Authorship.objects.filter(affiliation__slug=slug).values("paper"))

    def by_author(self, person):
        return self.filter(authorships__person=person, authorships__role=Authorship.Role.AUTHOR)

    def by_institution(self, institution):
        return self.filter(
            pk__in=Authorship.objects.filter(affiliation=institution).values("paper")
        )

    def search(self, query):
        """Works whose title, journal or abstract holds every word of ``query`` (accents and
        case folded), or written by a person it names."""
        by_authors = Authorship.objects.filter(
            person__in=Person.objects.search(query).values("pk")
        ).values("paper_id")
        return self.filter(
            matching_words(query, ("title", "journal", "abstract")) | Q(pk__in=by_authors)
        )


class Paper(Record):
    """A scholarly work: a talk, a paper in proceedings, an article, a book, a chapter, a report
    or a thesis; the types reference managers know (CSL, BibTeX, RIS, schema.org)."""

    class Kind(models.TextChoices):
        # Given at a meeting and not published: CSL "speech", Zotero's "Presentation".
        PRESENTATION = "presentation", _("Presentation")
        # Published in conference proceedings (their title in ``journal``).
        CONFERENCE_PAPER = "conference_paper", _("Paper in conference proceedings")
        JOURNAL_ARTICLE = "journal_article", _("Journal article")
        BOOK = "book", _("Book")
        CHAPTER = "chapter", _("Book chapter")
        REPORT = "report", _("Report")
        THESIS = "thesis", _("Thesis")

    title = models.CharField(_("title"), max_length=500)
    abstract = models.TextField(_("abstract"), blank=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.PRESENTATION, db_index=True
    )
    genre = models.CharField(
        _("type of work"),
        max_length=100,
        blank=True,
        help_text=_(
            "As references print it: e.g. “Doctoral dissertation”, “Master’s thesis”, "
            "“Keynote”, “Poster”; empty gives “Paper presentation” for a presentation."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=35,
        blank=True,
        validators=[validate_language_tag],
        help_text=_(
            "The language of the work as a BCP 47 tag, e.g. en, de, pt-BR; styles do "
            "not title-case titles in other languages than English."
        ),
    )
    topics = models.ManyToManyField(
        "conference.Topic", blank=True, related_name="papers", verbose_name=_("topics")
    )
    projects = models.ManyToManyField(
        "conference.Project",
        blank=True,
        related_name="papers",
        verbose_name=_("projects"),
        help_text=_("Research projects this work is based on."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    journal = models.CharField(
        _("journal"),
        max_length=255,
        blank=True,
        help_text=_(
            "Journal; for a chapter the book's title; for a paper in proceedings "
            "the proceedings' title."
        ),
    )
    volume = models.CharField(_("volume"), max_length=30, blank=True)
    issue = models.CharField(_("issue"), max_length=30, blank=True)
    pages = models.CharField(
        _("pages"),
        max_length=30,
        blank=True,
        help_text=_("A page range such as 12–34, or an article number such as 43."),
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=255,
        blank=True,
        help_text=_("Publisher; for a report the institution; for a thesis the university."),
    )
    publisher_place = models.CharField(
        _("place of publication"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Cham, Switzerland."),
    )
    doi = models.CharField(
        _("DOI"),
        max_length=255,
        blank=True,
        validators=[validate_doi],
        help_text=_("e.g. 10.3390/admsci13020043; doi: and https://doi.org/ forms are accepted."),
    )
    url = models.URLField(_("URL"), max_length=500, blank=True, validators=[validate_web_address])

    single_line_fields = (
        "title",
        "genre",
        "journal",
        "volume",
        "issue",
        "pages",
        "publisher",
        "publisher_place",
    )
    multi_line_fields = ("abstract",)
    # On PostgreSQL the table also holds the works' full-text vector, generated by the
    # database (papers migration 0008). It is no model field, so that no query for works
    # loads it; only the site search (conference.site.search) reads it, by this name.
    SEARCH_VECTOR_COLUMN = "search_vector"
    # Record's history also keeps which topics and projects each version had.
    _history_m2m_fields = ["topics", "projects"]

    objects = SlugManager.from_queryset(PaperQuerySet)()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        # The default ordering: lists and the API's first pages read it instead of sorting.
        indexes = [models.Index(fields=["-year", "title"], name="paper_year_title_idx")]
        constraints = [
            models.UniqueConstraint(fields=["doi"], condition=~Q(doi=""), name="paper_unique_doi"),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1000, year__lte=2999),
                name="paper_year_plausible",
                violation_error_message=_("The year must have four digits."),
            ),
        ]

    def __str__(self):
        return self.title

    def slug_source(self):
        return self.title

    @property
    def authors(self):
        """Authorships in the author role, in order (from the prefetched contributors)."""
        return [a for a in self.authorships.all() if a.role == Authorship.Role.AUTHOR]

    @property
    def other_contributors(self):
        """Editors, translators… in role order, then position (from the prefetched rows)."""
        return [a for a in self.authorships.all() if a.role != Authorship.Role.AUTHOR]

    def normalize_fields(self):
        super().normalize_fields()
        if self.doi:
            self.doi = normalize_doi(self.doi)
        if self.language:
            # A malformed tag stays as typed; the field's validator names the problem.
            with contextlib.suppress(ValidationError):
                self.language = normalize_language_tag(self.language)
        if self.publication_date and not self.year:
            self.year = self.publication_date.year

    @property
    def doi_url(self):
        return doi_url(self.doi) if self.doi else ""

    def get_absolute_url(self):
        return reverse_by_slug("papers:paper_detail", self.slug)


class AuthorshipQuerySet(models.QuerySet):
    def get_by_natural_key(self, paper_slug, position, role="author"):
        return self.get(paper__slug=paper_slug, position=position, role=role)

    def with_people(self):
        """Ordered authorships with their person and affiliation at the time."""
        return self.select_related("person", "affiliation")

    def programme_rows(self, part):
        """The authors (not editors…) of the works presented in ``part`` (a
        ``ProgrammePart``), in author order, as rows."""
        rows = self.filter(part.talks("paper__presentations__"), role=Authorship.Role.AUTHOR)
        return rows.order_by("paper_id", "position").values(
            "id",
            "paper_id",
            "position",
            "printed_name",
            *person_columns("person"),
            *institution_columns("affiliation"),
        )


class Authorship(models.Model):
    """One contributor to a work: an author, editor, translator…, at a position among the
    contributors of that role, with their affiliation then."""

    class Role(models.TextChoices):
        # CSL name variables; a chapter's editors are the book's (CSL "editor").
        AUTHOR = "author", _("Author")
        EDITOR = "editor", _("Editor")
        TRANSLATOR = "translator", _("Translator")
        COLLECTION_EDITOR = "collection-editor", _("Series editor")
        CONTAINER_AUTHOR = "container-author", _("Author of the book")

    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="authorships", verbose_name=_("paper")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="authorships",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        default=Role.AUTHOR,
        db_default=Role.AUTHOR,
    )
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("1 for the first in this role.")
    )
    affiliation = models.ForeignKey(
        "people.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authorships",
        verbose_name=_("affiliation"),
        help_text=_("The author's institution at the time of the work."),
    )
    printed_name = models.CharField(
        _("name as printed"),
        max_length=255,
        blank=True,
        help_text=_(
            "The name exactly as the work prints it, e.g. “T. Steen”; leave empty when it is "
            "the person's name."
        ),
    )

    objects = AuthorshipQuerySet.as_manager()
    history = kept_history()

    class Meta:
        # Own columns only: ordering by ``paper`` would follow the work's ordering (year,
        # title) and join every work to sort its contributors. Authors first ("author" sorts
        # before the other roles), then position.
        ordering = ["paper_id", "role", "position"]
        verbose_name = _("authorship")
        verbose_name_plural = _("authorships")
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "role", "position"],
                name="authorship_unique_position",
                violation_error_message=_(
                    "Two contributors of this work in the same role have the same position."
                ),
            ),
            models.UniqueConstraint(
                fields=["paper", "person", "role"],
                name="authorship_unique_person",
                violation_error_message=_("This person already has this role on this work."),
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1),
                name="authorship_position_positive",
                violation_error_message=_("Author positions start at 1."),
            ),
        ]
        indexes = [models.Index(fields=["person", "paper"]), models.Index(fields=["affiliation"])]

    def __str__(self):
        if self.role == self.Role.AUTHOR:
            return f"{self.position}. {self.person}"
        return f"{self.position}. {self.person} ({self.get_role_display().lower()})"

    @property
    def display_name(self):
        """The name as printed, else the person's name."""
        return self.printed_name or self.person.full_name

    def natural_key(self):
        # Authors keep the two-part key that fixtures written before roles use.
        if self.role == self.Role.AUTHOR:
            return (self.paper.slug, self.position)
        return (self.paper.slug, self.position, self.role)

    natural_key.dependencies = ["papers.paper", "people.person"]


class PresentationQuerySet(models.QuerySet):
    def get_by_natural_key(self, meeting_slug, paper_slug):
        return self.get(meeting__slug=meeting_slug, paper__slug=paper_slug)

    def in_programme_order(self):
        """Talks with their work, session, ordered presenters and discussants, in three
        extra queries, in programme order (``programme_order``).

        Ordered by the meeting's id, not its date (the default ordering's ``meeting`` would
        join every meeting to sort by date); pages listing several meetings reorder.
        """
        return (
            self.select_related("paper", "session")
            .prefetch_related(
                Prefetch("presenters", queryset=Presenter.objects.with_people()),
                Prefetch(
                    "discussant_roles",
                    queryset=Discussant.objects.select_related("person", "affiliation"),
                ),
            )
            .order_by("meeting_id", *programme_order(), "id")
        )

    def with_meeting(self):
        return self.select_related("meeting")

    def programme_rows(self, part):
        """The talks of ``part`` (a ``ProgrammePart``) as rows, in order within their
        session (or among the unscheduled)."""
        rows = self.filter(part.talks())
        return rows.order_by("position", "id").values(
            "id",
            "session_id",
            "position",
            "start_time",
            "end_time",
            "paper_id",
            "paper__slug",
            "paper__title",
            "paper__kind",
            "paper__year",
            "paper__doi",
        )

    def of_works_by(self, person):
        """Presentations of works ``person`` wrote, whether they presented or not."""
        return self.filter(paper__in=Authorship.objects.filter(person=person).values("paper"))

    def involving(self, person):
        """Talks of works ``person`` wrote and talks they discussed, in one query, each with
        ``presented`` and ``discussed`` saying which of the two ``person`` did."""
        discussed = Discussant.objects.filter(person=person)
        return self.filter(
            Q(paper__in=Authorship.objects.filter(person=person).values("paper"))
            | Q(pk__in=discussed.values("presentation"))
        ).annotate(
            presented=Exists(
                Presenter.objects.filter(presentation=OuterRef("pk"), authorship__person=person)
            ),
            discussed=Exists(discussed.filter(presentation=OuterRef("pk"))),
        )

    def newest_meeting_first(self):
        """With the meeting, for pages that list presentations across meetings."""
        return self.select_related("meeting", "meeting__series").order_by(
            "-meeting__start_date", "meeting_id", *programme_order(), "id"
        )


class Presentation(models.Model):
    """A work presented at a meeting, by one or more of its authors."""

    meeting = models.ForeignKey(
        "conference.Meeting",
        on_delete=models.PROTECT,
        related_name="presentations",
        verbose_name=_("meeting"),
    )
    paper = models.ForeignKey(
        Paper, on_delete=models.PROTECT, related_name="presentations", verbose_name=_("paper")
    )
    session = models.ForeignKey(
        "conference.Session",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name=_("session"),
        help_text=_(
            "Leave empty for a talk not (yet) scheduled. A session with talks cannot be "
            "deleted: move its talks first."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=1,
        help_text=_("Order in its session (or among the unscheduled talks)."),
    )
    start_time = models.TimeField(
        _("start time"),
        null=True,
        blank=True,
        help_text=_("Within the session's times, in the meeting's time zone."),
    )
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    discussants = models.ManyToManyField(
        "people.Person",
        through="Discussant",
        related_name="discussed_presentations",
        blank=True,
        verbose_name=_("discussants"),
    )

    objects = PresentationQuerySet.as_manager()
    history = kept_history()

    class Meta:
        # Own columns only: ``meeting`` would join every meeting to sort by its date.
        ordering = ["meeting_id", "position", "id"]
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "paper"],
                name="presentation_unique",
                violation_error_message=_("This work is already in the programme of this meeting."),
            ),
            models.UniqueConstraint(
                fields=["session", "position"],
                condition=Q(session__isnull=False),
                name="presentation_unique_position_in_session",
                violation_error_message=_(
                    "Two talks of this session have the same position: give each its own."
                ),
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                condition=Q(session__isnull=True),
                name="presentation_unique_unscheduled_position",
                violation_error_message=_(
                    "Two unscheduled talks of this meeting have the same position: give each "
                    "its own."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__gt=F("start_time")),
                name="presentation_ends_after_start",
                violation_error_message=_(
                    "A talk ends after it starts (and has a start time if it has an end time)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=False) | Q(start_time__isnull=True),
                name="presentation_timed_only_in_session",
                violation_error_message=_("Only a talk in a session has a time."),
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "position"]),
            models.Index(fields=["session", "position"], name="presentation_session_order_idx"),
        ]

    def __str__(self):
        # Translators: a talk: the work presented at the meeting.
        return gettext("%(work)s at %(meeting)s") % {"work": self.paper, "meeting": self.meeting}

    def get_absolute_url(self):
        return self.paper.get_absolute_url()

    def clean(self):
        super().clean()
        errors = {}
        session = self.session
        if session is not None and self.meeting_id and session.meeting_id != self.meeting_id:
            errors["session"] = gettext("“%(session)s” is a session of another meeting.") % {
                "session": session
            }
        if session is None and (self.start_time or self.end_time):
            errors["start_time"] = gettext(
                "Only a talk in a session has a time: choose its session."
            )
        elif self.end_time is not None and self.start_time is None:
            errors["start_time"] = gettext("Give the start time too, or leave out the end time.")
        elif self.end_time is not None and self.end_time <= self.start_time:
            errors["end_time"] = gettext(
                "The talk ends after it starts: %(end)s is not after %(start)s."
            ) % {"end": format(self.end_time, "%H:%M"), "start": format(self.start_time, "%H:%M")}
        elif session is not None and "session" not in errors:
            errors.update(self._times_outside(session))
        if errors:
            raise ValidationError(errors)

    def _times_outside(self, session):
        """Messages for talk times outside the session's (when the session has times)."""
        errors = {}
        opens, closes = session.start_time, session.end_time
        span = session.time_range
        for name in ("start_time", "end_time"):
            value = getattr(self, name)
            if value is None:
                continue
            if (opens and value < opens) or (closes and value > closes):
                errors[name] = gettext(
                    "%(time)s is outside the session “%(session)s” (%(times)s): a talk's "
                    "times are within its session's."
                ) % {"time": format(value, "%H:%M"), "session": session, "times": span}
        return errors

    def natural_key(self):
        return (self.meeting.slug, self.paper.slug)

    natural_key.dependencies = ["conference.meeting", "papers.paper"]


class PresenterQuerySet(models.QuerySet):
    def get_by_natural_key(self, meeting_slug, paper_slug, position):
        return self.get(
            presentation__meeting__slug=meeting_slug,
            presentation__paper__slug=paper_slug,
            position=position,
        )

    def with_people(self):
        """Presenters in order with the author's person and affiliation."""
        return self.select_related("authorship__person", "authorship__affiliation")

    def programme_rows(self, part):
        """Which authorships of the talks of ``part`` (a ``ProgrammePart``) presented, and
        in which order."""
        rows = self.filter(part.talks("presentation__"))
        return rows.order_by().values("authorship_id", "position")


class Presenter(models.Model):
    """An author who presented the work; their affiliation is the authorship's."""

    presentation = models.ForeignKey(
        Presentation,
        on_delete=models.CASCADE,
        related_name="presenters",
        verbose_name=_("presentation"),
    )
    authorship = models.ForeignKey(
        Authorship,
        on_delete=models.PROTECT,
        related_name="presentations_given",
        verbose_name=_("authorship"),
        help_text=_("Presenters are authors of the work."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    objects = PresenterQuerySet.as_manager()
    history = kept_history()

    class Meta:
        # Own columns only: ``presentation`` would join the presentation and its meeting.
        ordering = ["presentation_id", "position", "id"]
        verbose_name = _("presenter")
        verbose_name_plural = _("presenters")
        indexes = [
            models.Index(fields=["presentation", "position"], name="presenter_order_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["presentation", "authorship"],
                name="presenter_unique",
                violation_error_message=_(
                    "This author is already a presenter of this presentation."
                ),
            ),
            models.UniqueConstraint(
                fields=["presentation", "position"],
                name="presenter_unique_position",
                violation_error_message=_(
                    "Two presenters of this talk have the same position: give each its own."
                ),
            ),
        ]

    def __str__(self):
        return str(self.authorship.person)

    @property
    def person(self):
        return self.authorship.person

    @property
    def affiliation(self):
        return self.authorship.affiliation

    def natural_key(self):
        return (self.presentation.meeting.slug, self.presentation.paper.slug, self.position)

    natural_key.dependencies = ["papers.presentation", "papers.authorship"]


class DiscussantQuerySet(models.QuerySet):
    def programme_rows(self, part):
        """The discussants of the talks of ``part`` (a ``ProgrammePart``) in order, as rows."""
        rows = self.filter(part.talks("presentation__"))
        return rows.order_by("presentation_id", "position", "id").values(
            "presentation_id",
            "position",
            "printed_name",
            *person_columns("person"),
            *institution_columns("affiliation"),
        )

    def get_by_natural_key(self, meeting_slug, paper_slug, person_slug):
        return self.get(
            presentation__meeting__slug=meeting_slug,
            presentation__paper__slug=paper_slug,
            person__slug=person_slug,
        )


class Discussant(models.Model):
    """A person who discussed a talk (not one of the work's authors), with their institution
    at the time."""

    presentation = models.ForeignKey(
        Presentation,
        on_delete=models.CASCADE,
        related_name="discussant_roles",
        verbose_name=_("presentation"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="discussant_roles",
        verbose_name=_("person"),
    )
    affiliation = models.ForeignKey(
        "people.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discussant_roles",
        verbose_name=_("affiliation"),
        help_text=_("The discussant's institution at the time of the meeting."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    printed_name = models.CharField(
        _("name as printed"),
        max_length=255,
        blank=True,
        help_text=_(
            "The name exactly as the programme prints it, e.g. “T. Steen”; leave "
            "empty when it is the person's name."
        ),
    )

    objects = DiscussantQuerySet.as_manager()
    history = kept_history()

    class Meta:
        ordering = ["presentation_id", "position", "id"]
        verbose_name = _("discussant")
        verbose_name_plural = _("discussants")
        constraints = [
            models.UniqueConstraint(
                fields=["presentation", "person"],
                name="discussant_unique",
                violation_error_message=_("This person already discusses this talk."),
            ),
            models.UniqueConstraint(
                fields=["presentation", "position"],
                name="discussant_unique_position",
                violation_error_message=_(
                    "Two discussants of this talk have the same position: give each its own."
                ),
            ),
        ]

    def __str__(self):
        return gettext("%(person)s (discussant)") % {"person": self.person}

    @property
    def display_name(self):
        """The name as printed, else the person's name."""
        return self.printed_name or self.person.full_name

    def natural_key(self):
        return (self.presentation.meeting.slug, self.presentation.paper.slug, self.person.slug)

    natural_key.dependencies = ["papers.presentation", "people.person"]


class WorkRelationManager(models.Manager):
    def get_by_natural_key(self, source_slug, target_slug, kind):
        return self.get(source__slug=source_slug, target__slug=target_slug, kind=kind)


class WorkRelation(models.Model):
    """A typed link between two works: the source extends or cites the target."""

    class Kind(models.TextChoices):
        EXTENDS = "extends", _("Extends")
        CITES = "cites", _("Cites")

    source = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("source")
    )
    target = models.ForeignKey(
        Paper, on_delete=models.PROTECT, related_name="relations_in", verbose_name=_("target")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CITES)
    note = models.CharField(
        _("note"),
        max_length=255,
        blank=True,
        help_text=_("e.g. “significantly extends previous research output published earlier”."),
    )

    objects = WorkRelationManager()
    history = kept_history()

    class Meta:
        ordering = ["source", "kind", "id"]
        verbose_name = _("relation between works")
        verbose_name_plural = _("relations between works")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="work_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="work_relation_not_to_itself",
                violation_error_message=_("A work cannot extend or cite itself."),
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display().lower()} {self.target}"

    def natural_key(self):
        return (self.source.slug, self.target.slug, self.kind)

    natural_key.dependencies = ["papers.paper"]
