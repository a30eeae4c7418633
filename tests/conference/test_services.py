"""Writes to a meeting's rooms and sessions: validated first, all or nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from conference.meetings import services
from conference.meetings.models import Room, Session, SessionChair
from tests.factories.conference import MeetingFactory, RoomFactory, SessionFactory
from tests.factories.papers import PresentationFactory
from tests.factories.people import InstitutionFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_create_session_with_chairs_in_order():
    meeting = MeetingFactory()
    room = RoomFactory(meeting=meeting, name="Aula 1")
    leuven = InstitutionFactory(name="KU Leuven")
    trui = PersonFactory(given_name="Trui", family_name="Steen")
    noella = PersonFactory(given_name="Noella", family_name="Edelmann")
    SessionFactory(meeting=meeting, position=1)

    session = services.create_session(
        meeting=meeting,
        title="Co-creation in health care",
        kind=Session.Kind.PANEL,
        day=meeting.end_date,
        start_time=datetime.time(9),
        end_time=datetime.time(10, 30),
        room=room,
        chairs=[{"person": noella, "affiliation": None}, {"person": trui, "affiliation": leuven}],
    )

    assert (session.slug, session.position) == ("co-creation-in-health-care", 2)
    chairs = SessionChair.objects.filter(session=session).order_by("position")
    assert [(c.position, str(c.person), c.affiliation) for c in chairs] == [
        (1, "Noella Edelmann", None),
        (2, "Trui Steen", leuven),
    ]


def test_create_session_refuses_a_day_outside_the_meeting_and_a_repeated_chair():
    meeting = MeetingFactory()
    trui = PersonFactory(given_name="Trui", family_name="Steen")

    with pytest.raises(ValidationError) as error:
        services.create_session(
            meeting=meeting,
            title="Trust",
            day=datetime.date(2024, 1, 1),
            chairs=[{"person": trui}, {"person": trui}],
        )

    assert error.value.message_dict == {
        "day": [
            "The day must be one of the meeting's days (11–12 May 2023); 1 January 2024 is not."
        ],
        "chairs": ["Trui Steen is listed more than once."],
    }
    assert not Session.objects.exists()


def test_update_session_refuses_an_overlap_in_its_room_and_changes_nothing():
    room = RoomFactory(name="Aula 1")
    meeting = room.meeting
    SessionFactory(
        meeting=meeting,
        room=room,
        title="Trust",
        start_time=datetime.time(9),
        end_time=datetime.time(10),
    )
    session = SessionFactory(meeting=meeting, start_time=datetime.time(9, 30), title="Later")

    with pytest.raises(ValidationError) as error:
        services.update_session(session=session, room=room, end_time=datetime.time(11))

    assert error.value.message_dict == {
        "room": [
            "Aula 1 is taken on 11 May from 09:00 to 10:00 by “Trust”: sessions in one room may "
            "not overlap."
        ]
    }
    session.refresh_from_db()
    assert (session.room, session.end_time) == (None, None)


def test_a_session_with_talks_is_not_deleted():
    session = SessionFactory(title="Trust")
    PresentationFactory(meeting=session.meeting, session=session)

    with pytest.raises(ValidationError) as error:
        services.delete_session(session=session)

    assert error.value.message_dict == {
        "session": ["“Trust” holds 1 talk: move it to another session (or unschedule it) first."]
    }
    assert Session.objects.filter(pk=session.pk).exists()


def test_rooms_are_added_last_and_named_once_per_meeting():
    meeting = MeetingFactory()
    first = services.create_room(meeting=meeting, name="Aula 1", capacity=120)
    second = services.create_room(meeting=meeting, name="Room B.02")

    with pytest.raises(ValidationError) as error:
        services.create_room(meeting=meeting, name="Aula 1")

    assert (first.position, second.position) == (1, 2)
    assert error.value.message_dict == {
        "__all__": ["This meeting already has a room of this name."]
    }
    assert Room.objects.filter(meeting=meeting).count() == 2
