import datetime
from dataclasses import dataclass

import pytest

from conference.meetings.models import Room
from people.models import Affiliation
from tests.factories.conference import MeetingFactory
from tests.factories.papers import AuthorshipFactory, PaperFactory
from tests.factories.people import InstitutionFactory, PersonFactory


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
