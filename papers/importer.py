"""Import works from BibTeX or CSL-JSON: plan first (what will be created or matched), then apply.

Organizers paste a bibliography in the admin, see a preview, and confirm. The plan is pure
reading; ``apply_plan`` writes everything in one transaction or nothing, so no entry is ever
half-imported. Authors are matched to existing people by ORCID iD or by name
(``Person.objects.find_match``), so importing a colleague's article links it to their record.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst

from conference.identifiers import normalize_doi
from conference.text import normalize_text
from papers.citations import parse_bibtex, parse_csl_json
from papers.citations.csl import PAPER_KINDS_BY_CSL_TYPE
from papers.models import Authorship, Paper
from people.models import Person

FORMATS = {"bibtex": ("BibTeX", parse_bibtex), "csljson": ("CSL-JSON", parse_csl_json)}


@dataclass
class PlannedAuthor:
    position: int
    given_name: str
    family_name: str
    orcid: str = ""
    existing: Person | None = None
    matched_by: str = ""

    @property
    def display_name(self):
        return f"{self.given_name} {self.family_name}".strip()


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
    authors: list[PlannedAuthor] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

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


def _plan_work(number, item):
    year, date = _issued(item)
    work = PlannedWork(
        number=number,
        title=_text(item, "title"),
        kind=PAPER_KINDS_BY_CSL_TYPE.get(item.get("type"), Paper.Kind.JOURNAL_ARTICLE),
        year=year,
        publication_date=date,
        journal=_text(item, "container-title"),
        volume=_text(item, "volume"),
        issue=_text(item, "issue"),
        pages=_text(item, "page"),
        publisher=_text(item, "publisher"),
        url=_text(item, "URL"),
        abstract=normalize_text(item.get("abstract", ""), single_line=False) or "",
    )
    if not work.title:
        work.errors.append("It has no title.")
    if year is not None and not 1000 <= year <= 2999:
        work.errors.append(f"Its year {year} is not a four-digit year.")
    if item.get("DOI"):
        try:
            work.doi = normalize_doi(str(item["DOI"]))
        except ValidationError as error:
            work.errors.extend(error.messages)
        else:
            existing = Paper.objects.filter(doi=work.doi).first()
            if existing:
                work.errors.append(
                    f"A work with DOI {work.doi} is already recorded: “{existing.title}”."
                )
    for position, name in enumerate(item.get("author") or [], start=1):
        family = " ".join(
            part for part in (name.get("non-dropping-particle"), name.get("family")) if part
        )
        author = PlannedAuthor(
            position=position,
            given_name=normalize_text(name.get("given", "")),
            family_name=normalize_text(family or name.get("literal", "")),
            orcid=name.get("ORCID", "") or "",
        )
        if not author.family_name:
            work.errors.append(f"Author {position} has no family name.")
            continue
        try:
            author.existing, author.matched_by = Person.objects.find_match(
                given_name=author.given_name, family_name=author.family_name, orcid=author.orcid
            )
        except ValidationError as error:
            work.errors.append(f"Author {position}: {' '.join(error.messages)}")
        work.authors.append(author)
    if not work.authors:
        work.errors.append("It has no authors.")
    work.errors.extend(_field_errors(work))
    return work


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
            f"{capfirst(Paper._meta.get_field(name).verbose_name)}: {message}"
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
    created_people = {}
    papers = []
    for work in plan.works:
        paper = _build_paper(work)
        paper.full_clean(exclude=["slug"])
        paper.save()
        for author in work.authors:
            person = author.existing
            if person is None:
                # The same new person may appear in several entries of one import.
                key = (author.given_name.casefold(), author.family_name.casefold())
                person = created_people.get(key)
                if person is None:
                    person = Person(
                        given_name=author.given_name,
                        family_name=author.family_name,
                        orcid=author.orcid,
                    )
                    person.full_clean(exclude=["slug"])
                    person.save()
                    created_people[key] = person
            Authorship.objects.create(paper=paper, person=person, position=author.position)
        papers.append(paper)
    return papers
