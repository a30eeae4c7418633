"""The frab schedule (papers/frab.py) from hand-built programme records: valid against the
official XSD and JSON schema, events in the meeting's time zone, nothing made up."""

import datetime
import json

from lxml import etree

from papers.frab import UNKNOWN_ROOM, schedule_json, schedule_xml
from tests.papers.programme_records import author, meeting, person, programme, session, talk

DAY_1 = datetime.date(2024, 5, 15)
DAY_2 = datetime.date(2024, 5, 16)
SCHEDULE_URL = "https://archive.example.org/meetings/coproduction-2024-leuven/schedule.xml"


def absolute(path):
    return "https://archive.example.org" + path


def at(hour, minute=0):
    return datetime.time(hour, minute)


def leuven_programme():
    """Two parallel sessions on day 1 (one with timed talks), a session without times on day
    2, and a talk outside any session."""
    timed = session(
        "health",
        "Co-creation in health care",
        DAY_1,
        start=at(9),
        end=at(10, 30),
        room="Aula A",
        chairs=[person("Trui Steen", "KU Leuven")],
        talks=[
            talk(
                11,
                "Patients as co-producers",
                [author("Ana Ruiz", "University of Seville"), author("Bo Li", presenter=True)],
                discussants=[person("Tina Nabatchi", "Syracuse University")],
                start=at(9),
                end=at(9, 45),
            ),
            talk(
                12,
                "Nurses and citizens",
                [author("Eva Berg", presenter=True)],
                start=at(9, 45),
                end=at(10, 30),
            ),
        ],
    )
    parallel = session(
        "digital",
        "Digital co-production",
        DAY_1,
        start=at(9),
        end=at(10, 30),
        kind="panel",
        kind_label="Panel",
        position=2,
        chairs=[person("Dirk Brand", "Stellenbosch University")],
        talks=[talk(13, "Apps and the state", [author("Noella Edelmann", presenter=True)])],
    )
    untimed = session("closing", "Closing discussion", DAY_2, position=3)
    return programme(
        meeting(),
        [timed, parallel, untimed],
        unscheduled=[talk(14, "A talk with no session", [author("Menno Hoppen")])],
    )


def test_schedule_xml_is_valid_frab_with_the_timed_talks_and_sessions(frab_xml_schema):
    body = schedule_xml(leuven_programme(), absolute=absolute, schedule_url=SCHEDULE_URL)

    frab_xml_schema.validate(body)
    root = etree.fromstring(body)
    assert root.findtext("conference/acronym") == "coproduction_2024_leuven"
    assert root.findtext("conference/time_zone_name") == "Europe/Brussels"
    assert [day.get("date") for day in root.iter("day")] == [
        "2024-05-15",
        "2024-05-16",
        "2024-05-17",
    ]
    first_day = root.find("day")
    assert first_day.get("start") == "2024-05-15T09:00:00+02:00"
    assert first_day.get("end") == "2024-05-15T10:30:00+02:00"
    rooms = {
        room.get("name"): [event.findtext("title") for event in room.iter("event")]
        for room in first_day.findall("room")
    }
    assert rooms == {
        "Aula A": ["Patients as co-producers", "Nurses and citizens"],
        UNKNOWN_ROOM: ["Digital co-production"],
    }
    talk_event = first_day.find("room/event")
    assert talk_event.findtext("date") == "2024-05-15T09:00:00+02:00"
    assert talk_event.findtext("start") == "09:00"
    assert talk_event.findtext("duration") == "00:45"
    assert talk_event.findtext("subtitle") == "Co-creation in health care"
    assert [p.text for p in talk_event.iter("person")] == ["Bo Li", "Tina Nabatchi"]
    assert talk_event.findtext("description") == (
        "Patients as co-producers\n"
        "  Authors: Ana Ruiz (University of Seville), Bo Li – presenter\n"
        "  Discussant: Tina Nabatchi (Syracuse University)"
    )
    panel = root.find("day/room[@name='Room not recorded']/event")
    assert panel.findtext("type") == "Panel"
    assert panel.findtext("url") == (
        "https://archive.example.org/meetings/coproduction-2024-leuven/sessions/digital/"
    )
    assert [p.text for p in panel.iter("person")] == ["Dirk Brand", "Noella Edelmann"]
    assert [link.text for link in panel.iter("link")] == ["Apps and the state"]
    # Neither the session without times nor the talk without a session is made an event.
    assert b"Closing discussion" not in body
    assert b"A talk with no session" not in body
    assert list(root.find("day[@index='2']")) == []


def test_schedule_json_is_valid_frab_with_the_same_events(frab_json_validator):
    data = schedule_json(leuven_programme(), absolute=absolute, schedule_url=SCHEDULE_URL)

    frab_json_validator.validate(data)
    conference = data["schedule"]["conference"]
    assert conference["daysCount"] == 3
    assert [room["name"] for room in conference["rooms"]] == ["Aula A", UNKNOWN_ROOM]
    first_day = conference["days"][0]
    assert {room: [e["title"] for e in events] for room, events in first_day["rooms"].items()} == {
        "Aula A": ["Patients as co-producers", "Nurses and citizens"],
        UNKNOWN_ROOM: ["Digital co-production"],
    }
    event = first_day["rooms"]["Aula A"][1]
    assert event["date"] == "2024-05-15T09:45:00+02:00"
    assert event["end"] == "2024-05-15T10:30:00+02:00"
    assert event["persons"][0]["name"] == "Eva Berg"
    assert conference["days"][1]["rooms"] == {}
    assert "A talk with no session" not in json.dumps(data)


def test_event_ids_guids_and_slugs_are_stable_and_unique():
    first = schedule_json(leuven_programme(), absolute=absolute, schedule_url=SCHEDULE_URL)
    again = schedule_json(leuven_programme(), absolute=absolute, schedule_url=SCHEDULE_URL)

    events = [
        event
        for day in first["schedule"]["conference"]["days"]
        for room in day["rooms"].values()
        for event in room
    ]
    assert len({event["guid"] for event in events}) == len(events) == 3
    assert len({event["id"] for event in events}) == 3
    assert [event["slug"] for event in events] == [
        "coproduction_2024_leuven-talk-11-patients-as-co-producers",
        "coproduction_2024_leuven-talk-12-nurses-and-citizens",
        "coproduction_2024_leuven-session-digital",
    ]
    assert first == again


def test_a_meeting_without_sessions_is_valid_and_has_empty_days(
    frab_xml_schema, frab_json_validator
):
    only_talk = programme(meeting(), unscheduled=[talk(1, "Sustainability", [author("N")])])

    body = schedule_xml(only_talk, absolute=absolute, schedule_url=SCHEDULE_URL)
    data = schedule_json(only_talk, absolute=absolute, schedule_url=SCHEDULE_URL)

    frab_xml_schema.validate(body)
    frab_json_validator.validate(data)
    assert etree.fromstring(body).find(".//event") is None
    assert [day["rooms"] for day in data["schedule"]["conference"]["days"]] == [{}, {}, {}]
