"""A meeting's programme as its page shows it: who presents what, from which institution.

The largest programmes hold 400 talks. Built from model instances (every presenter's person
and institution with all their columns, dates parsed, country fields wrapped) and rendered by
template loops, such a page took some 200 ms. Here the programme is read as plain rows, only
the columns the page shows, in two queries, and each row becomes a small immutable record
with the attributes the templates and ``author_list`` already use (``get_absolute_url``,
``full_name``, ``short_name`` …), so the markup stays where it was.
"""

from dataclasses import dataclass

from conference.core.base import slug_url_builder
from conference.core.text import country_name
from papers.models import Presentation, Presenter
from people.models import person_full_name


class _PageRecord:
    """A record with a public page, answering ``get_absolute_url`` as its model does."""

    __slots__ = ()

    def get_absolute_url(self):
        return self.url


@dataclass(frozen=True, slots=True)
class InstitutionLink(_PageRecord):
    url: str
    name: str
    short_name: str
    country_name: str

    @property
    def display_short_name(self):
        return self.short_name or self.name


@dataclass(frozen=True, slots=True)
class PersonLink(_PageRecord):
    url: str
    full_name: str


@dataclass(frozen=True, slots=True)
class PaperLink(_PageRecord):
    url: str
    title: str


@dataclass(frozen=True, slots=True)
class ProgrammePresenter:
    """A presenter as ``author_list`` shows one: the person and the affiliation at the time."""

    person: PersonLink
    affiliation: InstitutionLink | None


@dataclass(frozen=True, slots=True)
class ProgrammeEntry:
    session: str
    paper: PaperLink
    presenters: tuple[ProgrammePresenter, ...]


class Programme:
    """The entries of one meeting's programme in order, and the institutions they name."""

    def __init__(self, entries):
        self.entries = entries

    def __len__(self):
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    @classmethod
    def of(cls, meeting):
        """Read ``meeting``'s programme in two queries, whatever its size."""
        person_url = slug_url_builder("people:person_detail")
        institution_url = slug_url_builder("people:institution_detail")
        paper_url = slug_url_builder("papers:paper_detail")
        presenters_by_entry = {}
        institutions = {}
        rows = (
            Presenter.objects.filter(presentation__meeting=meeting)
            .order_by("presentation_id", "position", "id")
            .values_list(
                "presentation_id",
                "authorship__person__slug",
                "authorship__person__given_name",
                "authorship__person__family_name",
                "authorship__affiliation_id",
                "authorship__affiliation__slug",
                "authorship__affiliation__name",
                "authorship__affiliation__short_name",
                "authorship__affiliation__country",
            )
        )
        for (
            presentation_id,
            person_slug,
            given_name,
            family_name,
            institution_id,
            institution_slug,
            institution_name,
            short_name,
            country,
        ) in rows:
            institution = None
            if institution_id is not None:
                institution = institutions.get(institution_id)
                if institution is None:
                    institution = institutions[institution_id] = InstitutionLink(
                        institution_url(institution_slug),
                        institution_name,
                        short_name,
                        country_name(country),
                    )
            person = PersonLink(person_url(person_slug), person_full_name(given_name, family_name))
            presenters_by_entry.setdefault(presentation_id, []).append(
                ProgrammePresenter(person, institution)
            )

        entries = [
            ProgrammeEntry(
                session,
                PaperLink(paper_url(paper_slug), title),
                tuple(presenters_by_entry.get(presentation_id, ())),
            )
            for presentation_id, session, paper_slug, title in (
                Presentation.objects.filter(meeting=meeting)
                .order_by("position", "id")
                .values_list("id", "session", "paper__slug", "paper__title")
            )
        ]
        return cls(entries)

    @property
    def institutions(self):
        """Every institution a presenter came from, once, by the abbreviation the page shows."""
        unique = {
            presenter.affiliation.url: presenter.affiliation
            for entry in self.entries
            for presenter in entry.presenters
            if presenter.affiliation is not None
        }
        return sorted(unique.values(), key=lambda institution: institution.display_short_name)
