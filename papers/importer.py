"""Import works from BibTeX or CSL-JSON: plan first (what will be created or matched), then apply.

Organizers paste a bibliography in the admin, see a preview, and confirm. The plan is pure
reading; ``apply_plan`` writes everything in one transaction or nothing, so no entry is ever
half-imported. Authors are matched to existing people by ORCID iD or by name
(``Person.objects.find_match``), so importing a colleague's article links it to their record.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import capfirst

from conference.core.identifiers import normalize_doi
from conference.core.text import normalize_text, unique_slug
from papers.citations import parse_bibtex, parse_csl_json
from papers.citations.bibtex import TRUNCATED_NAMES, UNREAD_FIELDS
from papers.citations.csl import PAPER_KINDS_BY_CSL_TYPE
from papers.models import Authorship, Paper
from people.models import Person

FORMATS = {"bibtex": ("BibTeX", parse_bibtex), "csljson": ("CSL-JSON", parse_csl_json)}
# Tries at a free slug when other works with the same title are saved at the same moment.
SLUG_ATTEMPTS = 3


# The CSL name variables the archive records, as contributor roles.
ROLES = {role.value: role for role in Authorship.Role}
# CSL variables the importer stores; any other one an entry has is named in the preview.
STORED_VARIABLES = frozenset(
    {"id", "type", "title", "issued", "container-title", "volume", "issue", "page"}
    | {"publisher", "publisher-place", "genre", "language", "DOI", "URL", "abstract"}
    | set(ROLES)
)
# What the preview calls a CSL variable that has no field here.
VARIABLE_LABELS = {
    "event-title": "event",
    "event": "event",
    "event-place": "event place",
    "event-date": "event date",
    "keyword": "keywords",
    "number": "number",
    "collection-title": "series",
}


@dataclass
class PlannedAuthor:
    position: int
    given_name: str
    family_name: str
    orcid: str = ""
    role: str = Authorship.Role.AUTHOR
    is_organisation: bool = False
    existing: Person | None = None
    matched_by: str = ""

    @property
    def display_name(self):
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def role_label(self):
        return Authorship.Role(self.role).label


@dataclass
class PlannedWork:
    number: int
    title: str
    kind: str
    year: int | None = None
    publication_date: datetime.date | None = None
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    publisher: str = ""
    doi: str = ""
    url: str = ""
    abstract: str = ""
    genre: str = ""
    language: str = ""
    publisher_place: str = ""
    key: str = ""
    authors: list[PlannedAuthor] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # What the entry has that the archive cannot record: named, never dropped silently.
    not_stored: list[str] = field(default_factory=list)

    @property
    def label(self):
        return f"Entry {self.number} ({self.key})" if self.key else f"Entry {self.number}"

    @property
    def kind_label(self):
        return Paper.Kind(self.kind).label


@dataclass
class ImportPlan:
    works: list[PlannedWork] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self):
        return bool(self.works) and not self.errors and not any(w.errors for w in self.works)

    @property
    def new_people(self):
        return [a for work in self.works for a in work.authors if a.existing is None]


def _text(item, key):
    value = item.get(key, "")
    return normalize_text(str(value)) if value not in (None, "") else ""


def _issued(item):
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    first = [int(part) for part in parts[0] if str(part).isdigit()] if parts[0] else []
    year = first[0] if first else None
    date = None
    if len(first) == 3:
        try:
            date = datetime.date(*first)
        except ValueError:
            date = None
    return year, date


def _plan_kind(work, item):
    kind = PAPER_KINDS_BY_CSL_TYPE.get(item.get("type"))
    if kind is None:
        work.errors.append(
            f"type: “{item.get('type')}” is none of the work types recorded here (BibTeX "
            "@article, @inproceedings, @presentation, @book, @incollection or @inbook, "
            "@report or @techreport, @thesis, @phdthesis or @mastersthesis); change the entry's "
            "type."
        )
        return Paper.Kind.JOURNAL_ARTICLE  # only so the other fields can be checked
    return kind


def _not_stored(item):
    names = [
        VARIABLE_LABELS.get(variable, variable)
        for variable in item
        if variable not in STORED_VARIABLES and not variable.startswith("_")
    ]
    names += item.get(UNREAD_FIELDS, [])
    return sorted(set(names), key=str.casefold)


def _plan_contributors(work, item):
    for role in ROLES:
        for position, name in enumerate(item.get(role) or [], start=1):
            where = f"{role} {position}"
            literal = normalize_text(name.get("literal", ""))
            family = " ".join(
                part for part in (name.get("non-dropping-particle"), name.get("family")) if part
            )
            author = PlannedAuthor(
                position=position,
                given_name="" if literal else normalize_text(name.get("given", "")),
                family_name=literal or normalize_text(family),
                orcid=name.get("ORCID", "") or "",
                role=role,
                is_organisation=bool(literal),
            )
            if not author.family_name:
                work.errors.append(f"{where}: has no family name.")
                continue
            try:
                author.existing, author.matched_by = Person.objects.find_match(
                    given_name=author.given_name,
                    family_name=author.family_name,
                    orcid=author.orcid,
                )
            except ValidationError as error:
                work.errors.append(f"{where}: {' '.join(error.messages)}")
            if author.existing is None:
                work.errors.extend(f"{where}: {message}" for message in _person_errors(author))
            work.authors.append(author)
    for role in item.get(TRUNCATED_NAMES, []):
        named = len(item.get(role) or [])
        work.not_stored.append(
            f"the {role}s after the {named} named (“and others”): references list every "
            f"{role} up to 20, so add them to the work after importing"
        )


def _person_errors(author):
    """What saving this new person would refuse, said at the preview rather than on import."""
    person = Person(
        given_name=author.given_name,
        family_name=author.family_name,
        orcid=author.orcid,
        is_organisation=author.is_organisation,
    )
    try:
        person.full_clean(exclude=["slug"], validate_unique=False)
    except ValidationError as error:
        return [
            f"{capfirst(Person._meta.get_field(name).verbose_name)}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _plan_work(number, item):
    year, date = _issued(item)
    work = PlannedWork(
        number=number,
        key=str(item.get("id") or ""),
        title=_text(item, "title"),
        kind=Paper.Kind.JOURNAL_ARTICLE,
        year=year,
        publication_date=date,
        journal=_text(item, "container-title"),
        volume=_text(item, "volume"),
        issue=_text(item, "issue"),
        pages=_text(item, "page"),
        publisher=_text(item, "publisher"),
        publisher_place=_text(item, "publisher-place"),
        genre=_text(item, "genre"),
        language=_text(item, "language"),
        url=_text(item, "URL"),
        abstract=normalize_text(item.get("abstract", ""), single_line=False) or "",
    )
    work.kind = _plan_kind(work, item)
    if not work.title:
        work.errors.append("title: the entry has none.")
    if year is not None and not 1000 <= year <= 2999:
        work.errors.append(f"year: {year} is not a four-digit year.")
    if item.get("DOI"):
        try:
            work.doi = normalize_doi(str(item["DOI"]))
        except ValidationError as error:
            work.errors.extend(f"DOI: {message}" for message in error.messages)
        else:
            if message := _recorded_twin_message(work):
                work.errors.append(f"DOI: {message}")
    _plan_contributors(work, item)
    if not work.authors:  # an edited book may have editors only
        work.errors.append("author: the entry names no authors or editors.")
    elif not work.doi and work.title and (message := _recorded_twin_message(work)):
        work.errors.append(message)
    work.errors.extend(_field_errors(work))
    work.not_stored[:0] = _not_stored(item)
    # Each message names the entry and the field, wherever it is read (preview, log, API).
    work.errors = [f"{work.label}, {error}" for error in work.errors]
    return work


def _recorded_twin(work):
    """The recorded work this entry describes, if any: the one with its DOI, or for an entry
    without one, a work with the same title, year and authors' family names in order."""
    if work.doi:
        return Paper.objects.filter(doi=work.doi).first()
    family_names = [author.family_name.casefold() for author in work.authors]
    candidates = Paper.objects.filter(
        title__iexact=work.title, year=work.year, doi=""
    ).prefetch_related("authorships__person")
    for paper in candidates:
        if [a.person.family_name.casefold() for a in paper.authorships.all()] == family_names:
            return paper
    return None


def _recorded_twin_message(work):
    twin = _recorded_twin(work)
    if twin is None:
        return ""
    if work.doi:
        return f"a work with DOI {work.doi} is already recorded: “{twin.title}”."
    names = [author.display_name for author in work.authors]
    by = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    year = f" ({work.year})" if work.year else ""
    return f"“{twin.title}”{year} by {by} is already recorded."


def _build_paper(work):
    return Paper(
        title=work.title,
        kind=work.kind,
        year=work.year,
        publication_date=work.publication_date,
        journal=work.journal,
        volume=work.volume,
        issue=work.issue,
        pages=work.pages,
        publisher=work.publisher,
        publisher_place=work.publisher_place,
        genre=work.genre,
        language=work.language,
        doi=work.doi,
        url=work.url,
        abstract=work.abstract,
    )


def _field_errors(work):
    """What the model's own validation says of the entry (lengths, URL schemes), for the
    preview; uniqueness is checked above with a friendlier message."""
    try:
        # A missing title and the DOI are reported above in the importer's own words.
        exclude = ["slug", "doi"] + ([] if work.title else ["title"])
        _build_paper(work).full_clean(
            exclude=exclude, validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return [
            f"{Paper._meta.get_field(name).verbose_name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def plan_import(text, *, format="bibtex"):
    """Read ``text`` and say what importing it would create or match; writes nothing."""
    if format not in FORMATS:
        return ImportPlan(errors=[f"Unknown format {format!r}: choose bibtex or csljson."])
    label, parse = FORMATS[format]
    result = parse(text)
    plan = ImportPlan(errors=[f"{label}: {error}" for error in result.errors])
    plan.works = [_plan_work(number, item) for number, item in enumerate(result.items, start=1)]
    if not result.items and not result.errors:
        plan.errors.append(f"No {label} entries were found in what you gave.")
    return plan


@transaction.atomic
def apply_plan(plan):
    """Create the planned works, their authorships and any new people; all or nothing."""
    if not plan.is_valid:
        raise ValidationError("The import has errors; correct them and preview it again.")
    # The same new person may appear in several entries of one import.
    created_people = {}
    return [_save_work(work, created_people) for work in plan.works]


def _save_work(work, created_people):
    """Save one planned work, unless it was recorded since the preview.

    The same entry confirmed twice at once (a double click, two organizers) gets the same
    slug in both confirms: the unique index makes the second wait for the first and fail,
    and the second then finds the first's work and says so instead of storing it again.
    """
    paper = _build_paper(work)
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        paper.slug = unique_slug(paper, paper.slug_source())
        if message := _recorded_twin_message(work):
            raise ValidationError(message)
        paper.full_clean()
        try:
            with transaction.atomic():
                paper.save()
            break
        except IntegrityError:
            # Another work took the slug (or the DOI) meanwhile: look again.
            if attempt == SLUG_ATTEMPTS:
                raise
    for author in work.authors:
        person = author.existing
        if person is None:
            key = (author.given_name.casefold(), author.family_name.casefold())
            person = created_people.get(key)
            if person is None:
                person = Person(
                    given_name=author.given_name,
                    family_name=author.family_name,
                    orcid=author.orcid,
                    is_organisation=author.is_organisation,
                )
                person.full_clean(exclude=["slug"])
                person.save()
                created_people[key] = person
        Authorship.objects.create(
            paper=paper, person=person, role=author.role, position=author.position
        )
    return paper
