import contextlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Max, Min, Prefetch, Q

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
                queryset=Presentation.objects.select_related(
                    "meeting", "meeting__series"
                ).prefetch_related(
                    Prefetch("presenters", queryset=Presenter.objects.with_people())
                ),
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
        authors = Authorship.objects.select_related("person").in_author_order()
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

    def with_citation_data(self):
        """What papers/citations/csl.py reads: authors, topics, presentations with their meeting."""
        return self.with_authors().prefetch_related(
            "topics",
            Prefetch("presentations", queryset=Presentation.objects.select_related("meeting")),
        )

    def presented_at(self, meeting):
        return self.filter(presentations__meeting=meeting)

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
        from people.models import Person

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
        PRESENTATION = "presentation", "Presentation"
        # Published in conference proceedings (their title in ``journal``).
        CONFERENCE_PAPER = "conference_paper", "Paper in conference proceedings"
        JOURNAL_ARTICLE = "journal_article", "Journal article"
        BOOK = "book", "Book"
        CHAPTER = "chapter", "Book chapter"
        REPORT = "report", "Report"
        THESIS = "thesis", "Thesis"

    title = models.CharField(max_length=500)
    abstract = models.TextField(blank=True)
    kind = models.CharField(
        "type", max_length=20, choices=Kind.choices, default=Kind.PRESENTATION, db_index=True
    )
    genre = models.CharField(
        "type of work",
        max_length=100,
        blank=True,
        help_text="As references print it: e.g. “Doctoral dissertation”, “Master’s thesis”, "
        "“Keynote”, “Poster”; empty gives “Paper presentation” for a presentation.",
    )
    language = models.CharField(
        max_length=35,
        blank=True,
        validators=[validate_language_tag],
        help_text="The language of the work as a BCP 47 tag, e.g. en, de, pt-BR; styles do "
        "not title-case titles in other languages than English.",
    )
    topics = models.ManyToManyField("conference.Topic", blank=True, related_name="papers")
    projects = models.ManyToManyField(
        "conference.Project",
        blank=True,
        related_name="papers",
        help_text="Research projects this work is based on.",
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    publication_date = models.DateField(null=True, blank=True)
    journal = models.CharField(
        max_length=255,
        blank=True,
        help_text="Journal; for a chapter the book's title; for a paper in proceedings "
        "the proceedings' title.",
    )
    volume = models.CharField(max_length=30, blank=True)
    issue = models.CharField(max_length=30, blank=True)
    pages = models.CharField(
        max_length=30,
        blank=True,
        help_text="A page range such as 12–34, or an article number such as 43.",
    )
    publisher = models.CharField(
        max_length=255,
        blank=True,
        help_text="Publisher; for a report the institution; for a thesis the university.",
    )
    publisher_place = models.CharField(
        "place of publication", max_length=255, blank=True, help_text="e.g. Cham, Switzerland."
    )
    doi = models.CharField(
        "DOI",
        max_length=255,
        blank=True,
        validators=[validate_doi],
        help_text="e.g. 10.3390/admsci13020043; doi: and https://doi.org/ forms are accepted.",
    )
    url = models.URLField("URL", max_length=500, blank=True, validators=[validate_web_address])

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
    # Record's history also keeps which topics and projects each version had.
    _history_m2m_fields = ["topics", "projects"]

    objects = SlugManager.from_queryset(PaperQuerySet)()

    class Meta:
        ordering = ["-year", "title"]
        # The default ordering: lists and the API's first pages read it instead of sorting.
        indexes = [models.Index(fields=["-year", "title"], name="paper_year_title_idx")]
        constraints = [
            models.UniqueConstraint(fields=["doi"], condition=~Q(doi=""), name="paper_unique_doi"),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1000, year__lte=2999),
                name="paper_year_plausible",
                violation_error_message="The year must have four digits.",
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

    def in_author_order(self):
        """By work, then role (authors first), then position, on this table's own columns.

        The default ordering's ``paper`` follows the work's ordering (year, title), which
        joins every work to the authorships and makes PostgreSQL read whole tables.
        """
        return self.order_by("paper_id", "role", "position")

    def with_people(self):
        """Ordered authorships with their person and affiliation at the time."""
        return self.select_related("person", "affiliation").in_author_order()


class Authorship(models.Model):
    """One contributor to a work: an author, editor, translator…, at a position among the
    contributors of that role, with their affiliation then."""

    class Role(models.TextChoices):
        # CSL name variables; a chapter's editors are the book's (CSL "editor").
        AUTHOR = "author", "Author"
        EDITOR = "editor", "Editor"
        TRANSLATOR = "translator", "Translator"
        COLLECTION_EDITOR = "collection-editor", "Series editor"
        CONTAINER_AUTHOR = "container-author", "Author of the book"

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="authorships")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="authorships"
    )
    role = models.CharField(
        max_length=20, choices=Role.choices, default=Role.AUTHOR, db_default=Role.AUTHOR
    )
    position = models.PositiveSmallIntegerField(help_text="1 for the first in this role.")
    affiliation = models.ForeignKey(
        "people.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authorships",
        help_text="The author's institution at the time of the work.",
    )

    objects = AuthorshipQuerySet.as_manager()
    history = kept_history()

    class Meta:
        ordering = ["paper", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "role", "position"],
                name="authorship_unique_position",
                violation_error_message="Two contributors of this work in the same role have "
                "the same position.",
            ),
            models.UniqueConstraint(
                fields=["paper", "person", "role"],
                name="authorship_unique_person",
                violation_error_message="This person already has this role on this work.",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1),
                name="authorship_position_positive",
                violation_error_message="Author positions start at 1.",
            ),
        ]
        indexes = [models.Index(fields=["person", "paper"]), models.Index(fields=["affiliation"])]

    def __str__(self):
        if self.role == self.Role.AUTHOR:
            return f"{self.position}. {self.person}"
        return f"{self.position}. {self.person} ({self.get_role_display().lower()})"

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
        """Presentations with their work and ordered presenters, in two extra queries.

        Ordered on this table's columns (the default ordering's ``meeting`` would join every
        meeting to sort by date); pages listing several meetings reorder.
        """
        return (
            self.select_related("paper")
            .prefetch_related(Prefetch("presenters", queryset=Presenter.objects.with_people()))
            .order_by("meeting_id", "position", "id")
        )

    def with_meeting(self):
        return self.select_related("meeting")

    def of_works_by(self, person):
        """Presentations of works ``person`` wrote, whether they presented or not."""
        return self.filter(paper__in=Authorship.objects.filter(person=person).values("paper"))

    def given_by(self, person):
        return self.filter(presenters__authorship__person=person).distinct()

    def by_members_of(self, institution):
        """Presentations with at least one presenter from ``institution`` at the time."""
        return self.filter(presenters__authorship__affiliation=institution).distinct()

    def newest_meeting_first(self):
        """With the meeting, for pages that list presentations across meetings."""
        return self.select_related("meeting", "meeting__series").order_by(
            "-meeting__start_date", "meeting_id", "position", "id"
        )


class Presentation(models.Model):
    """A work presented at a meeting, by one or more of its authors."""

    meeting = models.ForeignKey(
        "conference.Meeting", on_delete=models.PROTECT, related_name="presentations"
    )
    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="presentations")
    session = models.CharField(max_length=255, blank=True, help_text="Session or panel name.")
    position = models.PositiveSmallIntegerField(default=1, help_text="Order in the programme.")

    objects = PresentationQuerySet.as_manager()
    history = kept_history()

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "paper"], name="presentation_unique"),
        ]
        indexes = [models.Index(fields=["meeting", "position"])]

    def __str__(self):
        return f"{self.paper} at {self.meeting}"

    def get_absolute_url(self):
        return self.paper.get_absolute_url()

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
        """Presenters in order with the author's person and affiliation.

        Ordered on this table's columns: the default ordering's ``presentation`` follows the
        presentation's and the meeting's orderings, joining both to every presenter.
        """
        return self.select_related("authorship__person", "authorship__affiliation").order_by(
            "presentation_id", "position", "id"
        )


class Presenter(models.Model):
    """An author who presented the work; their affiliation is the authorship's."""

    presentation = models.ForeignKey(
        Presentation, on_delete=models.CASCADE, related_name="presenters"
    )
    authorship = models.ForeignKey(
        Authorship,
        on_delete=models.PROTECT,
        related_name="presentations_given",
        help_text="Presenters are authors of the work.",
    )
    position = models.PositiveSmallIntegerField(default=1)

    objects = PresenterQuerySet.as_manager()
    history = kept_history()

    class Meta:
        ordering = ["presentation", "position", "id"]
        indexes = [
            models.Index(fields=["presentation", "position"], name="presenter_order_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["presentation", "authorship"],
                name="presenter_unique",
                violation_error_message="This author is already a presenter of this presentation.",
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

    def clean(self):
        super().clean()
        if (
            self.authorship_id
            and self.presentation_id
            and self.authorship.paper_id != self.presentation.paper_id
        ):
            raise ValidationError(
                {"authorship": "A presenter must be one of the authors of the presented work."}
            )
        if self.authorship_id and self.authorship.role != Authorship.Role.AUTHOR:
            raise ValidationError(
                {"authorship": "A presenter must be an author of the work, not an editor."}
            )

    def natural_key(self):
        return (self.presentation.meeting.slug, self.presentation.paper.slug, self.position)

    natural_key.dependencies = ["papers.presentation", "papers.authorship"]


class WorkRelationManager(models.Manager):
    def get_by_natural_key(self, source_slug, target_slug, kind):
        return self.get(source__slug=source_slug, target__slug=target_slug, kind=kind)


class WorkRelation(models.Model):
    """A typed link between two works: the source extends or cites the target."""

    class Kind(models.TextChoices):
        EXTENDS = "extends", "Extends"
        CITES = "cites", "Cites"

    source = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="relations_in")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CITES)
    note = models.CharField(
        max_length=255,
        blank=True,
        help_text="e.g. “significantly extends previous research output published earlier”.",
    )

    objects = WorkRelationManager()
    history = kept_history()

    class Meta:
        ordering = ["source", "kind", "id"]
        verbose_name = "relation between works"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="work_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="work_relation_not_to_itself",
                violation_error_message="A work cannot extend or cite itself.",
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display().lower()} {self.target}"

    def natural_key(self):
        return (self.source.slug, self.target.slug, self.kind)

    natural_key.dependencies = ["papers.paper"]
