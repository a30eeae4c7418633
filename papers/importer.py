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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from conference.core.identifiers import normalize_doi
from conference.core.text import normalize_text
from papers import services
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
    "event-title": gettext_lazy("event"),
    "event": gettext_lazy("event"),
    "event-place": gettext_lazy("event place"),
    "event-date": gettext_lazy("event date"),
    "keyword": gettext_lazy("keywords"),
    "number": gettext_lazy("number"),
    "collection-title": gettext_lazy("series"),
}
# What the preview says of a list of names that ended with “and others”, by role.
TRUNCATED_NAMES_MESSAGES = {
    "author": ngettext_lazy(
        "the authors after the %(count)s named (“and others”): references list every author "
        "up to 20, so add them to the work after importing",
        "the authors after the %(count)s named (“and others”): references list every author "
        "up to 20, so add them to the work after importing",
        "count",
    ),
    "editor": ngettext_lazy(
        "the editors after the %(count)s named (“and others”): references list every editor "
        "up to 20, so add them to the work after importing",
        "the editors after the %(count)s named (“and others”): references list every editor "
        "up to 20, so add them to the work after importing",
        "count",
    ),
    "translator": ngettext_lazy(
        "the translators after the %(count)s named (“and others”): references list every "
        "translator up to 20, so add them to the work after importing",
        "the translators after the %(count)s named (“and others”): references list every "
        "translator up to 20, so add them to the work after importing",
        "count",
    ),
}
# Any other name list (BibTeX ends only the three above with “and others”).
OTHER_TRUNCATED_NAMES_MESSAGE = ngettext_lazy(
    # Translators: %(role)s is the entry's field listing the names (e.g. “author”), as it is.
    "the %(role)ss after the %(count)s named (“and others”): references list every %(role)s "
    "up to 20, so add them to the work after importing",
    "the %(role)ss after the %(count)s named (“and others”): references list every %(role)s "
    "up to 20, so add them to the work after importing",
    "count",
)


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
        if self.key:
            return _("Entry %(number)s (%(key)s)") % {"number": self.number, "key": self.key}
        return _("Entry %(number)s") % {"number": self.number}

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
            _(
                # Translators: %(field)s is the name of the entry's field (“type”), as it is.
                "%(field)s: “%(type)s” is none of the work types recorded here (BibTeX "
                "@article, @inproceedings, @presentation, @book, @incollection or @inbook, "
                "@report or @techreport, @thesis, @phdthesis or @mastersthesis); change the "
                "entry's type."
            )
            % {"field": "type", "type": item.get("type")}
        )
        return Paper.Kind.JOURNAL_ARTICLE  # only so the other fields can be checked
    return kind


def _not_stored(item):
    names = [
        str(VARIABLE_LABELS.get(variable, variable))
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
                # Translators: %(field)s names the entry's name list and place, e.g. “author 2”.
                work.errors.append(_("%(field)s: has no family name.") % {"field": where})
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
        work.not_stored.append(_truncated_names_message(role, named))


def _truncated_names_message(role, named):
    message = TRUNCATED_NAMES_MESSAGES.get(role, OTHER_TRUNCATED_NAMES_MESSAGE)
    return message % {"count": named, "role": role}


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
        work.errors.append(_("%(field)s: the entry has none.") % {"field": "title"})
    if year is not None and not 1000 <= year <= 2999:
        work.errors.append(
            _("%(field)s: %(year)s is not a four-digit year.") % {"field": "year", "year": year}
        )
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
        work.errors.append(
            _("%(field)s: the entry names no authors or editors.") % {"field": "author"}
        )
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
    contributors = sorted(
        (author.role, author.position, author.family_name.casefold()) for author in work.authors
    )
    candidates = Paper.objects.filter(
        title__iexact=work.title, year=work.year, doi=""
    ).prefetch_related("authorships__person")
    for paper in candidates:
        recorded = [
            (a.role, a.position, a.person.family_name.casefold()) for a in paper.authorships.all()
        ]
        if recorded == contributors:
            return paper
    return None


def _recorded_twin_message(work):
    twin = _recorded_twin(work)
    if twin is None:
        return ""
    if work.doi:
        return _("a work with DOI %(doi)s is already recorded: “%(title)s”.") % {
            "doi": work.doi,
            "title": twin.title,
        }
    names = [author.display_name for author in work.authors]
    if len(names) == 1:
        by = names[0]
    else:
        by = _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
    if work.year:
        return _("“%(title)s” (%(year)s) by %(authors)s is already recorded.") % {
            "title": twin.title,
            "year": work.year,
            "authors": by,
        }
    return _("“%(title)s” by %(authors)s is already recorded.") % {
        "title": twin.title,
        "authors": by,
    }


def _paper_fields(work):
    """The planned work's own fields, as ``Paper`` and ``services.create_paper`` take them."""
    return {
        "title": work.title,
        "kind": work.kind,
        "year": work.year,
        "publication_date": work.publication_date,
        "journal": work.journal,
        "volume": work.volume,
        "issue": work.issue,
        "pages": work.pages,
        "publisher": work.publisher,
        "publisher_place": work.publisher_place,
        "genre": work.genre,
        "language": work.language,
        "doi": work.doi,
        "url": work.url,
        "abstract": work.abstract,
    }


def _field_errors(work):
    """What the model's own validation says of the entry (lengths, URL schemes), for the
    preview; uniqueness is checked above with a friendlier message."""
    try:
        # A missing title and the DOI are reported above in the importer's own words.
        exclude = ["slug", "doi"] + ([] if work.title else ["title"])
        Paper(**_paper_fields(work)).full_clean(
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
        return ImportPlan(
            errors=[
                _("Unknown format %(format)s: choose bibtex or csljson.") % {"format": repr(format)}
            ]
        )
    label, parse = FORMATS[format]
    result = parse(text)
    plan = ImportPlan(errors=[f"{label}: {error}" for error in result.errors])
    plan.works = [_plan_work(number, item) for number, item in enumerate(result.items, start=1)]
    if not result.items and not result.errors:
        plan.errors.append(
            _("No %(format)s entries were found in what you gave.") % {"format": label}
        )
    return plan


@transaction.atomic
def apply_plan(plan):
    """Create the planned works, their authorships and any new people; all or nothing."""
    if not plan.is_valid:
        raise ValidationError(_("The import has errors; correct them and preview it again."))
    # The same new person may appear in several entries of one import.
    created_people = {}
    return [_save_work(work, created_people) for work in plan.works]


def _save_work(work, created_people):
    """Save one planned work through ``services.create_paper``, unless it was recorded since
    the preview.

    The same entry confirmed twice at once (a double click, two organizers) creates the same
    new people and gets the same slug in both confirms: the unique indexes make the second
    wait for the first and fail, and the second then finds the first's work and says so
    instead of storing it again.
    """
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        if message := _recorded_twin_message(work):
            raise ValidationError(message)
        people = dict(created_people)
        try:
            with transaction.atomic():
                authors = [_contributor(author, people) for author in work.authors]
                paper = services.create_paper(authors=authors, **_paper_fields(work))
        except IntegrityError:
            # Another work took the slug (or the DOI), or another import the new people,
            # meanwhile: look again.
            if attempt == SLUG_ATTEMPTS:
                raise
        else:
            created_people.update(people)
            return paper


def _contributor(author, created_people):
    """The planned author as ``services.create_paper`` takes one, with the name as the entry
    prints it when that is not the person's own ("T. Steen")."""
    person = _person(author, created_people)
    printed = normalize_text(author.display_name)
    return {
        "person": person,
        "role": author.role,
        "position": author.position,
        "printed_name": "" if printed == person.full_name else printed,
    }


def _person(author, created_people):
    """The planned author's person: the matched one, or a new one (once per import)."""
    if author.existing is not None:
        return author.existing
    key = (author.given_name.casefold(), author.family_name.casefold())
    if key not in created_people:
        person = Person(
            given_name=author.given_name,
            family_name=author.family_name,
            orcid=author.orcid,
            is_organisation=author.is_organisation,
        )
        person.full_clean(exclude=["slug"])
        person.save()
        created_people[key] = person
    return created_people[key]
