"""Talks in sessions: created with presenters and discussants in one write, moved between
sessions, all or nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from conference.meetings.models import Session
from papers import services
from papers.models import Authorship, Discussant, Presentation
from tests.factories.conference import MeetingFactory, SessionFactory
from tests.factories.papers import AuthorshipFactory, PaperFactory, PresentationFactory
from tests.factories.people import InstitutionFactory, PersonFactory

pytestmark = pytest.mark.django_db


def work_by(*people):
    paper = PaperFactory()
    for position, person in enumerate(people, start=1):
        AuthorshipFactory(paper=paper, person=person, position=position)
    return paper


@pytest.fixture
def people():
    return {
        name: PersonFactory(given_name=given, family_name=family)
        for name, (given, family) in {
            "trui": ("Trui", "Steen"),
            "noella": ("Noella", "Edelmann"),
            "charlotte": ("Charlotte", "van Dijk"),
            "tina": ("Tina", "Nabatchi"),
        }.items()
    }


def test_create_session_with_three_talks_presenters_and_a_discussant(people):
    meeting = MeetingFactory()
    syracuse = InstitutionFactory(name="Syracuse University")
    works = [work_by(people["trui"], people["noella"]) for _ in range(3)]

    session = services.create_session_with_talks(
        meeting=meeting,
        title="Co-creation",
        day=meeting.start_date,
        start_time=datetime.time(9),
        end_time=datetime.time(10, 30),
        chairs=[{"person": people["charlotte"]}],
        talks=[
            {
                "paper": works[0],
                "presenters": [people["noella"]],
                "discussants": [{"person": people["tina"], "affiliation": syracuse}],
                "start_time": datetime.time(9),
                "end_time": datetime.time(9, 30),
            },
            {"paper": works[1], "presenters": [people["trui"], people["noella"]]},
            {"paper": works[2], "presenters": [people["trui"]]},
        ],
    )

    talks = Presentation.objects.filter(session=session).order_by("position")
    assert [(t.position, t.paper) for t in talks] == [(1, works[0]), (2, works[1]), (3, works[2])]
    assert [str(p.authorship.person) for p in talks[1].presenters.order_by("position")] == [
        "Trui Steen",
        "Noella Edelmann",
    ]
    discussant = Discussant.objects.get()
    assert (discussant.presentation, str(discussant.person), discussant.affiliation) == (
        talks[0],
        "Tina Nabatchi",
        syracuse,
    )


def test_one_bad_talk_refuses_the_whole_session(people):
    meeting = MeetingFactory()
    work = work_by(people["trui"])

    with pytest.raises(ValidationError) as error:
        services.create_session_with_talks(
            meeting=meeting,
            title="Co-creation",
            day=meeting.start_date,
            start_time=datetime.time(9),
            end_time=datetime.time(10),
            talks=[
                {
                    "paper": work,
                    "presenters": [people["trui"]],
                    "discussants": [{"person": people["trui"]}],
                    "start_time": datetime.time(9, 45),
                    "end_time": datetime.time(10, 15),
                }
            ],
        )

    label = f"Talk 1 (“{work}”)"
    assert error.value.message_dict == {
        "talks": [
            f"{label}: End time: 10:15 is outside the session “Co-creation” (09:00–10:00): a "
            "talk's times are within its session's.",
            f"{label}: Trui Steen is an author of “{work}”: a discussant comments on a work by "
            "others.",
        ]
    }
    assert not Session.objects.exists()
    assert not Presentation.objects.exists()


def test_move_a_talk_to_another_session_renumbers_both_lists():
    meeting = MeetingFactory()
    first, second = SessionFactory(meeting=meeting), SessionFactory(meeting=meeting)
    a, b, c = (PresentationFactory(meeting=meeting, session=first) for _ in range(3))
    d, e = (PresentationFactory(meeting=meeting, session=second) for _ in range(2))

    services.move_presentation(presentation=b, session=second, position=1)

    def order(session):
        return list(
            Presentation.objects.filter(session=session)
            .order_by("position")
            .values_list("pk", "position")
        )

    assert order(first) == [(a.pk, 1), (c.pk, 2)]
    assert order(second) == [(b.pk, 1), (d.pk, 2), (e.pk, 3)]


def test_move_to_an_unknown_position_changes_nothing():
    meeting = MeetingFactory()
    session = SessionFactory(meeting=meeting)
    talk = PresentationFactory(meeting=meeting)

    with pytest.raises(ValidationError) as error:
        services.move_presentation(presentation=talk, session=session, position=3)

    assert error.value.message_dict == {
        "position": ["Choose a position from 1 to 1: the session has 0 other talks."]
    }
    talk.refresh_from_db()
    assert talk.session is None


def test_a_talk_leaves_its_session_for_the_unscheduled_list():
    session = SessionFactory(start_time=datetime.time(9), end_time=datetime.time(10))
    meeting = session.meeting
    talk = PresentationFactory(
        meeting=meeting, session=session, start_time=datetime.time(9), end_time=datetime.time(10)
    )
    waiting = PresentationFactory(meeting=meeting)

    services.move_presentation(presentation=talk, session=None)

    talk.refresh_from_db()
    assert (talk.session, talk.position, talk.start_time) == (None, 2, None)
    waiting.refresh_from_db()
    assert waiting.position == 1


def test_a_presenter_is_an_author_of_the_work_not_a_stranger_nor_an_editor(people):
    meeting = MeetingFactory()
    work = work_by(people["trui"])
    editor = PersonFactory(given_name="Taco", family_name="Brandsen")
    AuthorshipFactory(paper=work, person=editor, role=Authorship.Role.EDITOR, position=1)
    stranger = AuthorshipFactory().person

    with pytest.raises(ValidationError) as error:
        services.create_presentation(meeting=meeting, paper=work, presenters=[stranger, editor])

    assert error.value.message_dict == {
        "presenters": [
            f"{stranger} is not an author of “{work}”: presenters are authors of the work.",
            f"Taco Brandsen is not an author of “{work}”: presenters are authors of the work.",
        ]
    }
    assert not Presentation.objects.exists()


def test_a_talk_needs_a_presenter_and_a_discussant_did_not_write_the_work(people):
    meeting = MeetingFactory()
    work = work_by(people["trui"])

    with pytest.raises(ValidationError) as error:
        services.create_presentation(
            meeting=meeting,
            paper=work,
            presenters=[],
            discussants=[{"person": people["trui"]}],
        )

    assert error.value.message_dict == {
        "presenters": [
            f"Name who presented “{work}”: a talk needs at least one presenter among the "
            "work's authors."
        ],
        "discussants": [
            f"Trui Steen is an author of “{work}”: a discussant comments on a work by others."
        ],
    }
    assert not Presentation.objects.exists()
    assert not Discussant.objects.exists()
