import datetime
from dataclasses import dataclass

import pytest

from conference.meetings.models import Room
from people.models import Affiliation
from tests.factories.conference import MeetingFactory
from tests.factories.papers import AuthorshipFactory, PaperFactory, PresentationFactory
from tests.factories.people import InstitutionFactory, PersonFactory

CORPUS_YEAR = 2023


def _work(*, authors, editors=(), meeting=None, **fields):
    """A work with its contributors in order; ``authors`` are (given, family) pairs, or a
    plain string for an organisation."""
    fields.setdefault("year", CORPUS_YEAR)
    paper = PaperFactory(**fields)
    for role, people in (("author", authors), ("editor", editors)):
        for position, name in enumerate(people, start=1):
            if isinstance(name, str):
                person = PersonFactory(given_name="", family_name=name, is_organisation=True)
            else:
                person = PersonFactory(given_name=name[0], family_name=name[1])
            AuthorshipFactory(paper=paper, person=person, role=role, position=position)
    if meeting is not None:
        PresentationFactory(meeting=meeting, paper=paper)
    return paper


def _many(count, start=0):
    return [(f"Ana{n}", f"Autor{n:02d}") for n in range(start, start + count)]


@pytest.fixture
def reference_corpus(db):
    """Works that show every class of reference the engine must get right (issue 14):
    year suffixes, CJK, Cyrillic and Greek names, particles, sorting of accented names, title
    case (hyphens, stop words, other languages), punctuation after "?", rich text,
    apostrophes, talks dated by their event, papers in proceedings, chapters with editors,
    corporate authors, 1 to 25 authors, every work type, with and without DOI."""
    meeting = MeetingFactory(
        slug="corpus-meeting",
        start_date=datetime.date(2023, 5, 11),
        end_date=datetime.date(2023, 5, 12),
    )
    across_months = MeetingFactory(
        slug="corpus-meeting-2",
        start_date=datetime.date(2023, 5, 30),
        end_date=datetime.date(2023, 6, 2),
        city="São Paulo",
        country="BR",
    )
    van_dijk = ("Carla", "van Dijk")
    works = [
        # Three works by one author in one year: 2023a, 2023b, 2023c.
        _work(
            authors=[van_dijk],
            title="Alpha of co-production",
            kind="journal_article",
            journal="Public Management Review",
            volume="25",
            issue="3",
            pages="12-34",
        ),
        _work(
            authors=[van_dijk],
            title="Beta: Why co-production is measurable?",
            kind="report",
            publisher="Institute of Public Administration",
        ),
        _work(
            authors=[van_dijk],
            title="Gamma of mixed-methods research after the crisis",
            kind="presentation",
            meeting=meeting,
        ),
        # Non-Latin names.
        _work(
            authors=[("太郎", "山田"), ("花子", "佐藤")],
            title="公共サービスの共同生産",
            kind="journal_article",
            journal="行政研究",
            language="ja",
        ),
        _work(
            authors=[("Михаил", "Иванов")],
            title="Совместное производство услуг",
            kind="journal_article",
            journal="Вопросы государственного управления",
            language="ru",
        ),
        _work(
            authors=[("Γιώργος", "Παπαδόπουλος")],
            title="Συμπαραγωγή δημοσίων υπηρεσιών",
            kind="book",
            publisher="Κριτική",
            language="el",
        ),
        # Sorting: Bäcker before Brandão; particles.
        _work(
            authors=[("Hans", "Bäcker")],
            title="Participation in Zürich's districts",
            kind="book",
            publisher="Springer",
            publisher_place="Cham",
            doi="10.1007/978-3-030-00001-1",
        ),
        _work(
            authors=[("João", "Brandão")],
            title="Coprodução na administração pública",
            kind="journal_article",
            journal="Revista de Administração Pública",
            language="pt",
            doi="10.1590/0034-761220230001",
        ),
        _work(
            authors=[("Pieter", "van der Berg")],
            title="Citizens and the state",
            kind="journal_article",
            journal="Bestuurskunde",
            volume="31",
            pages="5–19",
        ),
        _work(
            authors=[("Ludwig", "von Mises")],
            title="Bureaucracy revisited",
            kind="thesis",
            publisher="Universität Wien",
            genre="Doctoral dissertation",
        ),
        # Rich text and the "?" before a period.
        _work(
            authors=[("Maria", "Rossi")],
            title="Beyond <i>Homo economicus</i>",
            kind="chapter",
            journal="Handbook of Co-production",
            publisher="Routledge",
            pages="45-67",
            editors=[("Trui", "Steen"), ("Taco", "Brandsen")],
        ),
        _work(
            authors=[("Lena", "Berg")],
            title="Is digital government measurable?",
            kind="conference_paper",
            meeting=across_months,
            journal="Proceedings of the IIAS Conference 2023",
            publisher="IIAS",
            pages="100-110",
            editors=[("Taco", "Brandsen")],
        ),
        _work(
            authors=[("Lena", "Berg")],
            title="Unpublished findings on co-creation",
            kind="conference_paper",
            meeting=across_months,
        ),
        # Corporate authors.
        _work(
            authors=["OECD"],
            title="Digital government review of Belgium",
            kind="report",
            publisher="OECD Publishing",
            publisher_place="Paris",
            genre="Working paper",
        ),
        _work(
            authors=["European Commission", ("Anna", "Nowak")],
            title="Open data in Europe",
            kind="report",
            publisher="Publications Office",
        ),
        # 1, 2, 3, 7, 20, 21 and 25 authors.
        _work(authors=_many(2), title="Two hands", kind="journal_article", journal="JPART"),
        _work(authors=_many(3, 10), title="Three voices", kind="journal_article", journal="JPART"),
        _work(authors=_many(7, 20), title="Seven voices", kind="presentation", meeting=meeting),
        _work(
            authors=_many(20, 30),
            title="Twenty voices",
            kind="journal_article",
            journal="Public Administration Review",
            doi="10.1111/puar.20000",
        ),
        _work(
            authors=_many(21, 50),
            title="Twenty-one voices",
            kind="journal_article",
            journal="Public Administration Review",
            doi="10.1111/puar.21000",
        ),
        _work(
            authors=_many(25, 80),
            title="Twenty-five voices",
            kind="presentation",
            meeting=across_months,
        ),
    ]
    return works


@dataclass
class Programme:
    meeting: object
    rooms: list
    works: list
    authors: dict
    chair: object
    discussant: object
    discussant_institution: object


@pytest.fixture
def programme(db):
    """A two-day meeting with two rooms, three works of two authors each, a would-be chair
    and a would-be discussant (affiliated with an institution in the meeting's year)."""
    meeting = MeetingFactory(
        start_date=datetime.date(2023, 5, 11), end_date=datetime.date(2023, 5, 12)
    )
    rooms = [
        Room.objects.create(meeting=meeting, name="Aula", position=1),
        Room.objects.create(meeting=meeting, name="Room B.02", capacity=40, position=2),
    ]
    works, authors = [], {}
    for number in range(1, 4):
        work = PaperFactory(title=f"Co-production case {number}")
        works.append(work)
        authors[work.pk] = [AuthorshipFactory(paper=work, position=position) for position in (1, 2)]
    discussant = PersonFactory(given_name="Trui", family_name="Steen")
    institution = InstitutionFactory(name="KU Leuven")
    Affiliation.objects.create(person=discussant, institution=institution, start_year=2010)
    return Programme(
        meeting=meeting,
        rooms=rooms,
        works=works,
        authors=authors,
        chair=PersonFactory(given_name="Menno", family_name="Hoppen"),
        discussant=discussant,
        discussant_institution=institution,
    )
