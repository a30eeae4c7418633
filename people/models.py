from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.db.models.lookups import IStartsWith
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conference.core.base import Record, SlugManager, related_model, reverse_by_slug
from conference.core.folding import Folded, matching_words
from conference.core.history import kept_history
from conference.core.identifiers import (
    normalize_orcid,
    normalize_ror,
    orcid_url,
    ror_url,
    validate_orcid,
    validate_ror,
    validate_web_address,
)
from conference.core.text import ascii_fold, country_name, normalize_text


def person_full_name(given_name, family_name):
    """A person's name as every page and citation shows it: “Noella Edelmann”."""
    return f"{given_name} {family_name}".strip()


def person_columns(path):
    """The columns a programme shows of the person at ``path`` (``values()`` names)."""
    return (f"{path}_id", f"{path}__slug", f"{path}__given_name", f"{path}__family_name")


def institution_columns(path):
    """The columns a programme shows of the institution at ``path``, its id first."""
    return (
        f"{path}_id",
        f"{path}__slug",
        f"{path}__name",
        f"{path}__short_name",
        f"{path}__country",
    )


class InstitutionQuerySet(models.QuerySet):
    def with_members(self):
        """The institution page: committee seats and the series it runs (``people.timeline``
        reads its people)."""
        CommitteeMember = apps.get_model("conference", "CommitteeMember")

        return self.prefetch_related(
            Prefetch(
                "committee_memberships",
                queryset=CommitteeMember.objects.select_related(
                    "person", "meeting", "meeting__series"
                ).order_by("-meeting__start_date", "position"),
            ),
            "series",
        )

    def search(self, query):
        return self.filter(institution_matches(query))

    def linked_to(self, institution):
        """Its parts, predecessors and successors in one query, with ``is_part``,
        ``is_predecessor`` and ``is_successor``."""
        links = self.model.predecessors.through.objects
        predecessor = links.filter(from_institution=institution, to_institution=OuterRef("pk"))
        successor = links.filter(from_institution=OuterRef("pk"), to_institution=institution)
        return (
            self.annotate(
                is_predecessor=Exists(predecessor),
                is_successor=Exists(successor),
                is_part=Q(parent=institution),
            )
            .filter(Q(parent=institution) | Q(is_predecessor=True) | Q(is_successor=True))
            .order_by("name", "pk")
        )

    def with_names(self):
        """Every recorded name (former, translations, acronyms) in one extra query."""
        return self.prefetch_related("names")

    def with_counts(self):
        """``work_count`` and ``people_count`` (authors of those works), counted by subqueries
        so that a page of institutions counts only its own rows."""
        authorships = apps.get_model("papers", "Authorship").objects.filter(
            affiliation=OuterRef("pk")
        )
        works = (
            authorships.order_by()
            .values("affiliation")
            .annotate(count=Count("paper", distinct=True))
        )
        people = (
            authorships.order_by()
            .values("affiliation")
            .annotate(count=Count("person", distinct=True))
        )
        return self.annotate(
            work_count=Coalesce(Subquery(works.values("count")), 0),
            people_count=Coalesce(Subquery(people.values("count")), 0),
        )

    def in_country(self, country):
        return self.filter(country=country)

    def country_counts(self):
        """``[(code, name, institutions)]`` for every country with institutions, by name."""
        rows = self.exclude(country="").order_by().values_list("country").annotate(n=Count("pk"))
        return sorted(
            ((code, country_name(code), number) for code, number in rows), key=lambda row: row[1]
        )


def institution_matches(query, prefix=""):
    """A filter: the institution's own columns, or one of its other names, hold every word of
    ``query`` ("Danube University Krems" finds the University for Continuing Education Krems).
    The names are tested by one ``EXISTS``, so a query never multiplies rows."""
    names = InstitutionName.objects.filter(
        matching_words(query, ("name",)), institution=OuterRef(prefix + "pk")
    )
    own = matching_words(query, tuple(prefix + name for name in ("name", "short_name", "city")))
    return own | Q(Exists(names))


class Institution(Record):
    """A university, institute or organisation that people belong to or that runs a series.

    ``name`` is the current official name; former names, translations and acronyms, with the
    years they were valid, are ``names`` (:class:`InstitutionName`).
    """

    name = models.CharField(
        _("name"), max_length=255, help_text=_("Full official name, e.g. “KU Leuven”.")
    )
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        help_text=_("The short code documents use, e.g. “KLU”, “DUK”, “Radboud”."),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True, validators=[validate_web_address])
    ror_id = models.CharField(
        _("ROR id"),
        max_length=40,
        blank=True,
        validators=[validate_ror],
        help_text=_(
            "Research Organization Registry id, e.g. 016xsfp80 or https://ror.org/016xsfp80."
        ),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("parent"),
        help_text=_("The institution this one is part of: a faculty's university."),
    )
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name=_("predecessors"),
        help_text=_("Institutions this one continues (after a merger or a split)."),
    )

    single_line_fields = ("name", "short_name", "city")

    objects = SlugManager.from_queryset(InstitutionQuerySet)()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="institution_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["ror_id"], condition=~Q(ror_id=""), name="institution_unique_ror_id"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The name as pages and lists spell it: “KU Leuven (KLU)”, or the name alone."""
        if self.short_name and self.short_name != self.name:
            return f"{self.name} ({self.short_name})"
        return self.name

    def slug_source(self):
        return self.short_name or self.name

    @property
    def display_short_name(self):
        return self.short_name or self.name

    @property
    def alternative_names(self):
        """Every other name as text, in the order recorded (uses prefetched ``names``)."""
        return [name.name for name in self.names.all()]

    def name_in(self, year):
        """The name the institution had in ``year``: a former (or earlier official) name whose
        years cover it, else the current name. Uses prefetched ``names``."""
        if year:
            for name in self.names.all():
                if name.kind in InstitutionName.DATED_KINDS and name.covers(year):
                    return name.name
        return self.name

    @property
    def ror_url(self):
        return ror_url(self.ror_id) if self.ror_id else ""

    def normalize_fields(self):
        super().normalize_fields()
        if self.ror_id:
            self.ror_id = normalize_ror(self.ror_id)

    def get_absolute_url(self):
        return reverse_by_slug("people:institution_detail", self.slug)


class InstitutionNameManager(models.Manager):
    def get_by_natural_key(self, institution_slug, name, kind):
        return self.get(institution__slug=institution_slug, name=name, kind=kind)


class InstitutionName(models.Model):
    """One more name of an institution, typed as ROR types them, with the years it was valid."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Official name (earlier)")
        FORMER = "former", _("Former name")
        ACRONYM = "acronym", _("Acronym")
        TRANSLATION = "translation", _("Translation")
        ALIAS = "alias", _("Other name")

    DATED_KINDS = (Kind.OFFICIAL, Kind.FORMER)

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="names",
        verbose_name=_("institution"),
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ALIAS)
    language = models.CharField(
        _("language"),
        max_length=12,
        blank=True,
        help_text=_("Language tag of the name, e.g. “de”."),
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        _("end year"), null=True, blank=True, help_text=_("The last year the name was used.")
    )

    objects = InstitutionNameManager()
    # Named here so that the history model's names stay lazy (simple_history would otherwise
    # build them from this model's names when the models load).
    history = kept_history(
        verbose_name=_("historical institution name"),
        verbose_name_plural=_("historical institution names"),
    )

    class Meta:
        verbose_name = _("institution name")
        verbose_name_plural = _("institution names")
        ordering = ["institution_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name", "kind"], name="institution_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="institution_name_end_not_before_start",
                violation_error_message=_("The end year cannot be before the start year."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.institution.slug, self.name, self.kind)

    natural_key.dependencies = ["people.institution"]

    def covers(self, year):
        """Whether the name was in use in ``year``: a former name with no end year covers
        nothing, since the archive does not know when it stopped."""
        if self.start_year is None and self.end_year is None:
            return False
        return (self.start_year or 0) <= year <= (self.end_year or 9999)


def name_key(name):
    """A name reduced for comparison: NFC, accents folded, case folded, hyphens as spaces."""
    folded = ascii_fold(normalize_text(name or "")).casefold().replace("-", " ")
    return " ".join(folded.replace(".", " ").split())


def _initials(name):
    return "".join(word[0] for word in name_key(name).split())


LINK_COLUMNS = ("person_id", "institution_id", "year_from", "year_to", "role", "source")


def linking_records(*, person=None, institution=None):
    """What ties people to institutions, from the three records that say so, in one query:
    dicts with ``LINK_COLUMNS``, ``source`` being "affiliation" (years as recorded),
    "works" (the work's year) or "committee" (the meeting's year, ``role`` the seat's)."""
    Authorship = apps.get_model("papers", "Authorship")
    CommitteeMember = apps.get_model("conference", "CommitteeMember")
    text, number = CharField(), IntegerField()
    affiliations = Affiliation.objects.annotate(
        year_from=F("start_year"),
        year_to=F("end_year"),
        source=Value("affiliation", output_field=text),
    )
    authorships = Authorship.objects.filter(affiliation__isnull=False).annotate(
        institution_id=F("affiliation_id"),
        year_from=Coalesce(F("paper__year"), Value(None, output_field=number)),
        year_to=F("paper__year"),
        # Authorship has a ``role`` of its own (author, editor…): the post is another column.
        post=Value("", output_field=text),
        source=Value("works", output_field=text),
    )
    committees = CommitteeMember.objects.filter(affiliation__isnull=False).annotate(
        institution_id=F("affiliation_id"),
        year_from=ExtractYear("meeting__start_date"),
        year_to=ExtractYear("meeting__start_date"),
        source=Value("committee", output_field=text),
    )
    selects = []
    authorship_columns = tuple("post" if column == "role" else column for column in LINK_COLUMNS)
    for queryset, institution_field, columns in (
        (affiliations, "institution", LINK_COLUMNS),
        (authorships, "affiliation", authorship_columns),
        (committees, "affiliation", LINK_COLUMNS),
    ):
        if person is not None:
            queryset = queryset.filter(person=person)
        if institution is not None:
            queryset = queryset.filter(**{institution_field: institution})
        selects.append(queryset.order_by().values_list(*columns))
    records = [
        dict(zip(LINK_COLUMNS, row, strict=True))
        for row in selects[0].union(*selects[1:], all=True)
    ]
    for record in records:
        # PostgreSQL's EXTRACT answers a numeric (Decimal): years are whole numbers.
        for column in ("year_from", "year_to"):
            if record[column] is not None:
                record[column] = int(record[column])
    return records


# The columns a person is found by: their name and its variants.
PERSON_NAME_FIELDS = ("given_name", "family_name", "other_names")


class PersonQuerySet(models.QuerySet):
    def search(self, query):
        return self.filter(matching_words(query, PERSON_NAME_FIELDS))

    def starting_with(self, letter):
        """Family names starting with ``letter``, accents folded: "D" lists "Dvořák"."""
        return self.filter(IStartsWith(Folded(F("family_name")), letter.lower()))

    def with_latest_institution(self):
        """``latest_institution_id``: the latest recorded affiliation's institution, or else
        the affiliation on the person's latest work."""
        Authorship = apps.get_model("papers", "Authorship")
        affiliation = (
            Affiliation.objects.filter(person=OuterRef("pk"))
            .order_by(F("end_year").desc(nulls_first=True), F("start_year").desc(nulls_last=True))
            .values("institution")[:1]
        )
        authorship = (
            Authorship.objects.filter(person=OuterRef("pk"), affiliation__isnull=False)
            .order_by(F("paper__year").desc(nulls_last=True), "-paper_id")
            .values("affiliation")[:1]
        )
        return self.annotate(
            latest_institution_id=Coalesce(Subquery(affiliation), Subquery(authorship))
        )

    def active_in_series(self, series):
        """Everyone who presented at or organized a meeting of ``series``, with
        ``talk_count`` and ``organized_count``, by name."""
        Presenter = apps.get_model("papers", "Presenter")
        CommitteeMember = apps.get_model("conference", "CommitteeMember")
        presenters = Presenter.objects.filter(presentation__meeting__series=series)
        organizers = CommitteeMember.objects.filter(meeting__series=series)
        talks = (
            presenters.filter(authorship__person=OuterRef("pk"))
            .order_by()
            .values("authorship__person")
            .annotate(count=Count("pk"))
            .values("count")
        )
        organized = (
            organizers.filter(person=OuterRef("pk"))
            .order_by()
            .values("person")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            # One set of ids (a UNION), which PostgreSQL joins by hash; "in A or in B"
            # would test every person against both.
            self.filter(
                pk__in=presenters.order_by()
                .values_list("authorship__person", flat=True)
                .union(organizers.order_by().values_list("person", flat=True))
            )
            .annotate(
                talk_count=Coalesce(Subquery(talks), 0),
                organized_count=Coalesce(Subquery(organized), 0),
            )
            .order_by("family_name", "given_name", "pk")
        )

    def coauthors_of(self, person):
        """The people who wrote works with ``person``, with ``shared_works``, most first."""
        return (
            self.filter(authorships__paper__authorships__person=person)
            .exclude(pk=person.pk)
            .annotate(shared_works=Count("authorships__paper", distinct=True))
            .order_by("-shared_works", "family_name", "given_name")
        )

    def find_match(self, *, given_name, family_name, orcid=""):
        """The one person these details name, and why: ``(person, "ORCID" | "name")``.

        An ORCID iD decides first. Otherwise the family name must match (ignoring case; names
        are stored in NFC, so composed and decomposed accents are equal) and the given name
        must match too (ignoring case and accents), or be initials of it ("N." for Noella)
        when that leaves a single candidate; or the whole name must be one of a person's
        other names ("T. Steen"). A person with another ORCID iD than the import's is never
        matched by name. Returns ``(None, "")`` when nobody or more than one person fits, so
        an import never links a work to the wrong person.
        """
        if orcid:
            orcid = normalize_orcid(orcid)
            person = self.filter(orcid=orcid).first()
            if person:
                return person, "ORCID"
        given_key, family_key = name_key(given_name), name_key(family_name)
        if not family_key:
            return None, ""
        whole_key = name_key(person_full_name(given_name, family_name))
        family_name = normalize_text(family_name)
        candidates = [
            person
            for person in self.filter(
                Q(family_name__iexact=family_name) | Q(other_names__icontains=family_name)
            )
            if not (orcid and person.orcid and person.orcid != orcid)
        ]
        same_family = [
            person for person in candidates if name_key(person.family_name) == family_key
        ]
        exact = [
            person
            for person in candidates
            if (person in same_family and name_key(person.given_name) == given_key)
            or any(name_key(variant) == whole_key for variant in person.name_variants)
        ]
        if len(exact) == 1:
            return exact[0], "name"
        initials = [
            person
            for person in same_family
            if given_key and _initials(person.given_name).startswith(_initials(given_name))
        ]
        if len(initials) == 1 and not exact:
            return initials[0], "name"
        return None, ""

    def with_affiliations(self):
        """Affiliations over time with their institutions, in one extra query."""
        return self.prefetch_related(
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("institution"))
        )

    def with_works(self):
        """Authorships with their works and affiliations, newest work first, in one query."""
        return self.prefetch_related(
            Prefetch(
                "authorships",
                queryset=related_model(self.model, "authorships")
                .objects.select_related("paper", "affiliation")
                .order_by(F("paper__year").desc(nulls_last=True), "paper__title"),
                to_attr="works",
            )
        )

    def with_profile(self):
        """The person page: committees served on (``people.timeline`` reads institutions)."""
        CommitteeMember = apps.get_model("conference", "CommitteeMember")

        return self.prefetch_related(
            Prefetch(
                "committee_memberships",
                queryset=CommitteeMember.objects.select_related(
                    "meeting", "meeting__series", "affiliation"
                ).order_by("-meeting__start_date"),
            ),
        )


class Person(Record):
    """Someone credited on works: a person, or an organisation credited as author or editor."""

    given_name = models.CharField(
        _("given name"),
        max_length=120,
        blank=True,
        help_text=_("Empty for an organisation or a person known by one name only."),
    )
    family_name = models.CharField(
        _("family name or organisation name"),
        max_length=120,
        help_text=_(
            "Including particles that sort with it, e.g. “van Dijk”; "
            "for an organisation its full name, e.g. “World Health Organization”."
        ),
    )
    is_organisation = models.BooleanField(
        _("organisation"),
        default=False,
        help_text=_(
            "An organisation (a corporate author such as OECD): its name is never "
            "inverted or shortened to initials in references."
        ),
    )
    orcid = models.CharField(
        _("ORCID iD"),
        max_length=40,
        blank=True,
        validators=[validate_orcid],
        help_text=_("e.g. 0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097."),
    )
    website = models.URLField(_("website"), blank=True, validators=[validate_web_address])
    other_names = models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "Other forms of the name, one per line as “given family”: transliterations, "
            "maiden names, initials (e.g. “T. Steen”). Search and imports find the person "
            "by them."
        ),
    )

    single_line_fields = ("given_name", "family_name")
    multi_line_fields = ("other_names",)

    objects = SlugManager.from_queryset(PersonQuerySet)()

    def clean(self):
        super().clean()
        if self.is_organisation and self.given_name:
            raise ValidationError(
                {
                    "given_name": gettext(
                        "An organisation has no given name: put its whole name in "
                        "the family name field."
                    )
                }
            )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["orcid"], condition=~Q(orcid=""), name="person_unique_orcid"
            ),
        ]
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return person_full_name(self.given_name, self.family_name)

    @property
    def orcid_url(self):
        return orcid_url(self.orcid) if self.orcid else ""

    @property
    def name_variants(self):
        return [line.strip() for line in self.other_names.splitlines() if line.strip()]

    def normalize_fields(self):
        super().normalize_fields()
        if self.orcid:
            self.orcid = normalize_orcid(self.orcid)

    def get_absolute_url(self):
        return reverse_by_slug("people:person_detail", self.slug)


class AffiliationManager(models.Manager):
    def get_by_natural_key(self, person_slug, institution_slug, start_year):
        return self.get(
            person__slug=person_slug, institution__slug=institution_slug, start_year=start_year
        )


class Affiliation(models.Model):
    """A person's membership of an institution over a span of years (open-ended if current)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person")
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="affiliations",
        verbose_name=_("institution"),
    )
    role = models.CharField(_("role"), max_length=120, blank=True, help_text=_("e.g. “Professor”."))
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        _("end year"), null=True, blank=True, help_text=_("Leave empty while current.")
    )

    objects = AffiliationManager()
    # Named here so that the history model's names stay lazy (see InstitutionName).
    history = kept_history(
        verbose_name=_("historical affiliation"),
        verbose_name_plural=_("historical affiliations"),
    )

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-start_year", "institution__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="affiliation_end_not_before_start",
                violation_error_message=_("The end year cannot be before the start year."),
            ),
            models.UniqueConstraint(
                fields=["person", "institution", "start_year"],
                name="affiliation_unique_person_institution_start",
                violation_error_message=_(
                    "This person already has this affiliation from that year."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.institution.display_short_name} ({self.period})"

    @property
    def period(self):
        if self.start_year and self.end_year:
            return f"{self.start_year}–{self.end_year}"
        if self.start_year:
            return gettext("since %(year)s") % {"year": self.start_year}
        if self.end_year:
            return gettext("until %(year)s") % {"year": self.end_year}
        return gettext("dates unknown")

    def natural_key(self):
        return (self.person.slug, self.institution.slug, self.start_year)

    natural_key.dependencies = ["people.person", "people.institution"]


class RecordMergeQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(reverted_at__isnull=True)

    def survivor_slug(self, model, slug):
        """The slug a merged-away record's slug now leads to (following later merges of the
        survivor), or ``None``: what the old page and the old API address redirect to."""
        merges = self.in_force().filter(model=model._meta.label_lower).order_by("-merged_at", "-id")
        merge = merges.filter(merged_slug=slug).values("survivor_id").first()
        seen = set()
        while merge is not None and merge["survivor_id"] not in seen:
            pk = merge["survivor_id"]
            seen.add(pk)
            survivor = model._default_manager.filter(pk=pk).values_list("slug", flat=True)
            if found := survivor.first():
                return found
            merge = merges.filter(merged_id=pk).values("survivor_id").first()
        return None


class RecordMerge(models.Model):
    """One merge of two people or two institutions, kept so that it can be reverted.

    The merged-away record's values, the survivor's values before the merge and the rows
    moved from one to the other (``{"app.model.field": [ids]}``) are enough to put
    everything back.
    """

    # The help text names the two model labels: nothing in it to translate.
    model = models.CharField(
        _("model"), max_length=60, help_text="people.person or people.institution."
    )
    survivor_id = models.PositiveBigIntegerField(_("survivor id"))
    survivor_name = models.CharField(_("survivor name"), max_length=255)
    merged_id = models.PositiveBigIntegerField(_("merged id"))
    merged_slug = models.SlugField(_("merged slug"), max_length=100)
    merged_name = models.CharField(_("merged name"), max_length=255)
    merged_values = models.JSONField(
        _("merged values"), help_text=_("The merged-away record as it was.")
    )
    survivor_values = models.JSONField(
        _("survivor values"), help_text=_("The survivor's changed values before.")
    )
    moved = models.JSONField(
        # Translators: the rows a merge moved from one record to the other.
        _("moved"),
        help_text=_("Rows moved to the survivor, by relation."),
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    reverted_at = models.DateTimeField(_("reverted at"), null=True, blank=True)

    objects = RecordMergeQuerySet.as_manager()

    class Meta:
        verbose_name = _("record merge")
        verbose_name_plural = _("record merges")
        ordering = ["-merged_at", "-id"]
        indexes = [models.Index(fields=["model", "merged_slug"], name="record_merge_slug_idx")]

    def __str__(self):
        return gettext("%(merged)s merged into %(survivor)s") % {
            "merged": self.merged_name,
            "survivor": self.survivor_name,
        }


class PersonNameLock(models.Model):
    """One row per name a person was created with (folded, see ``name_key``): creates of the
    same name lock it, so they run one after the other (``people.services.create_person``)."""

    key = models.CharField(max_length=255, unique=True)

    def __str__(self):
        return self.key


class NotDuplicate(models.Model):
    """Two people an organizer said are not the same: the duplicates report skips them."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pair marked “not the same”")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="not_duplicate_unique"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="not_duplicate_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.first} ≠ {self.second}"
