"""Sessions and timed talks as iCalendar events (papers/calendars.py), from hand-built
programme records: the meeting's time zone, nothing for what has no time."""

import datetime

from icalendar import Calendar

from papers.calendars import programme_events, session_events
from tests.papers.programme_records import author, meeting, person, programme, session, talk

DAY = datetime.date(2024, 5, 15)
STAMP = datetime.datetime(2024, 4, 1, 12, 0, tzinfo=datetime.UTC)


def absolute(path):
    return "https://archive.example.org" + path


def calendar_of(events):
    calendar = Calendar()
    calendar.add("prodid", "-//test//EN")
    calendar.add("version", "2.0")
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return Calendar.from_ical(calendar.to_ical())


def test_a_timed_session_and_its_timed_talk_are_events_in_the_meeting_time_zone():
    health = session(
        "health",
        "Co-creation in health care",
        DAY,
        start=datetime.time(9),
        end=datetime.time(10, 30),
        room="Aula A",
        chairs=[person("Trui Steen", "KU Leuven")],
        talks=[
            talk(
                11,
                "Patients as co-producers",
                [author("Bo Li", "KU Leuven", presenter=True)],
                discussants=[person("Tina Nabatchi", "Syracuse University")],
                start=datetime.time(9, 15),
                end=datetime.time(9, 45),
            ),
            talk(12, "Nurses and citizens", [author("Eva Berg", presenter=True)]),
        ],
    )

    parsed = calendar_of(session_events(health, meeting=meeting(), absolute=absolute, stamp=STAMP))

    events = parsed.walk("VEVENT")
    assert [str(event["summary"]) for event in events] == [
        "Co-creation in health care",
        "Patients as co-producers",
    ]
    first = events[0]
    assert first["dtstart"].dt == datetime.datetime(
        2024, 5, 15, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    assert first["dtstart"].params["TZID"] == "Europe/Brussels"
    assert first["dtend"].dt.time() == datetime.time(10, 30)
    assert str(first["location"]) == "Aula A, Faculty Club, Leuven, Belgium"
    assert str(first["uid"]).startswith("session-health.coproduction-2024-leuven@")
    assert str(first["description"]).splitlines()[:4] == [
        "Paper session",
        "Chair: Trui Steen (KU Leuven)",
        "1. Patients as co-producers – Bo Li (KU Leuven) – presenter; "
        "discussant: Tina Nabatchi (Syracuse University)",
        "2. Nurses and citizens – Eva Berg – presenter",
    ]
    assert events[1]["dtstart"].dt.time() == datetime.time(9, 15)
    assert [tz["tzid"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Brussels"]


def test_sessions_without_a_start_time_are_left_out():
    untimed = session("closing", "Closing discussion", DAY)
    timed = session("opening", "Opening", DAY, start=datetime.time(8, 30))

    events = programme_events(
        programme(meeting(), [timed, untimed]), absolute=absolute, stamp=STAMP
    )

    assert [str(event["summary"]) for event in events] == ["Opening"]
    assert "dtend" not in events[0]
