"""The programme as visitors and apps read it: the meeting page by day and parallel
sessions, the session page, the person page's roles, the calendars and the frab schedules,
each in a constant number of queries."""

import datetime

import icalendar
import pytest
from lxml import etree

from conference.meetings.models import SessionChair
from conference.site.views import meetings as meeting_views
from tests.factories.conference import (
    MeetingFactory,
    RoomFactory,
    SessionChairFactory,
    SessionFactory,
)
from tests.factories.papers import (
    AuthorshipFactory,
    DiscussantFactory,
    PaperFactory,
    PresentationFactory,
    PresenterFactory,
)
from tests.factories.people import InstitutionFactory, PersonFactory
from tests.pages import MAX_PAGE_QUERIES, count_queries, visible_text

DAY_1 = datetime.date(2024, 5, 15)
DAY_2 = datetime.date(2024, 5, 16)
MAX_PAGE_BYTES = 150 * 1024


def at(hour, minute=0):
    return datetime.time(hour, minute)


def talk_in(session, title, authors, *, presenters, position, discussants=(), **times):
    """A talk of a new work by ``authors`` [(person, institution)] in ``session``."""
    paper = PaperFactory(title=title)
    presentation = PresentationFactory(
        meeting=session.meeting, paper=paper, session=session, position=position, **times
    )
    for index, (person, institution) in enumerate(authors, start=1):
        authorship = AuthorshipFactory(
            paper=paper, person=person, affiliation=institution, position=index
        )
        if index in presenters:
            PresenterFactory(presentation=presentation, authorship=authorship, position=index)
    for index, (person, institution) in enumerate(discussants, start=1):
        DiscussantFactory(
            presentation=presentation, person=person, affiliation=institution, position=index
        )
    return presentation


@pytest.fixture
def leuven(db):
    """Two days: two parallel sessions on the first, a panel without times on the second."""
    meeting = MeetingFactory(
        slug="coproduction-2024-leuven",
        start_date=DAY_1,
        end_date=DAY_2,
        city="Leuven",
        country="BE",
    )
    ku_leuven = InstitutionFactory(name="KU Leuven", short_name="KLU")
    seville = InstitutionFactory(name="University of Seville", short_name="US")
    syracuse = InstitutionFactory(name="Syracuse University", short_name="")
    trui = PersonFactory(given_name="Trui", family_name="Steen")
    ana = PersonFactory(given_name="Ana", family_name="Ruiz")
    bo = PersonFactory(given_name="Bo", family_name="Li")
    tina = PersonFactory(given_name="Tina", family_name="Nabatchi")
    aula = RoomFactory(meeting=meeting, name="Aula A", position=1, capacity=120)
    room_b = RoomFactory(meeting=meeting, name="Room B", position=2)
    health = SessionFactory(
        meeting=meeting,
        slug="health",
        title="Co-creation in health care",
        day=DAY_1,
        start_time=at(9),
        end_time=at(10, 30),
        room=aula,
        position=1,
    )
    SessionChairFactory(session=health, person=trui, affiliation=ku_leuven, position=1)
    digital = SessionFactory(
        meeting=meeting,
        slug="digital",
        title="Digital co-production",
        day=DAY_1,
        start_time=at(9),
        end_time=at(10, 30),
        room=room_b,
        position=2,
    )
    closing = SessionFactory(
        meeting=meeting,
        slug="closing",
        title="Closing panel",
        kind="panel",
        day=DAY_2,
        position=3,
    )
    talk_in(
        health,
        "Patients as co-producers",
        [(ana, seville), (bo, ku_leuven)],
        presenters={2},
        discussants=[(tina, syracuse)],
        position=1,
        start_time=at(9),
        end_time=at(9, 45),
    )
    talk_in(digital, "Apps and the state", [(tina, syracuse)], presenters={1}, position=1)
    talk_in(closing, "What we learned", [(trui, ku_leuven)], presenters={1}, position=1)
    return meeting


def test_meeting_page_reads_by_day_then_parallel_sessions_then_talks(client, leuven):
    response = client.get(leuven.get_absolute_url())

    content = response.content.decode()
    text = visible_text(response)
    assert "Wednesday, 15 May 2024" in text
    assert "Thursday, 16 May 2024" in text
    assert "09:00–10:30 · Aula A Co-creation in health care Paper session" in text
    assert "Chair Trui Steen (KU Leuven)" in text
    assert (
        "09:00–09:45 Patients as co-producers By Ana Ruiz (University of Seville) and "
        "Bo Li (KU Leuven; presenter)"
    ) in text
    assert "Discussant Tina Nabatchi (Syracuse University)" in text
    assert "Presented by Tina Nabatchi (Syracuse University)" in text
    assert "Time not recorded Closing panel Panel" in text
    # The two sessions at nine share a row: columns on a wide screen.
    row = content[content.index('<div class="slot slot--2">') :]
    row = row[: row.index("</div>")]
    assert 'id="session-health"' in row and 'id="session-digital"' in row
    assert text.index("Patients as co-producers") < text.index("About the meeting")


def test_session_page_shows_chairs_room_talks_discussants_and_neighbours(client, leuven):
    response = client.get("/meetings/coproduction-2024-leuven/sessions/health/")

    assert response.status_code == 200
    text = visible_text(response)
    assert "Co-creation in health care" in text
    assert (
        "Paper session · Wednesday, 15 May 2024 · 09:00–10:30 (Europe/Brussels) · "
        "Aula A (120 seats)" in text
    )
    assert "Chair Trui Steen (KU Leuven)" in text
    assert "Discussant Tina Nabatchi (Syracuse University)" in text
    assert "Next session Digital co-production" in text
    assert "Previous session" not in text
    assert (
        'href="/meetings/coproduction-2024-leuven/sessions/health.ics"' in response.content.decode()
    )

    last = visible_text(client.get("/meetings/coproduction-2024-leuven/sessions/closing/"))
    assert "Previous session Digital co-production" in last
    assert "Next session" not in last
    assert "Add to calendar" not in last


def test_unknown_session_is_a_404(client, leuven):
    assert client.get("/meetings/coproduction-2024-leuven/sessions/nope/").status_code == 404
    assert client.get("/meetings/other-meeting/sessions/health/").status_code == 404


def test_person_page_lists_roles_per_meeting(client, leuven):
    trui = visible_text(client.get("/people/trui-steen/"))
    tina = visible_text(client.get("/people/tina-nabatchi/"))
    ana = visible_text(client.get("/people/ana-ruiz/"))

    assert "Chaired Co-creation in health care" in trui
    assert "Presented What we learned" in trui
    assert "Discussed Patients as co-producers" in tina
    assert "Presented Apps and the state" in tina
    assert "Co-authored Patients as co-producers" in ana


def test_meeting_calendar_has_the_timed_sessions_and_talks_in_the_meeting_zone(client, leuven):
    calendar = icalendar.Calendar.from_ical(
        client.get("/meetings/coproduction-2024-leuven.ics").content
    )

    events = calendar.walk("VEVENT")
    assert [str(event["summary"]) for event in events] == [
        leuven.display_title,
        "Co-creation in health care",
        "Patients as co-producers",
        "Digital co-production",
    ]
    health = events[1]
    assert health["dtstart"].params["TZID"] == "Europe/Brussels"
    assert health["dtstart"].dt.isoformat() == "2024-05-15T09:00:00+02:00"
    assert str(health["location"]).startswith("Aula A")

    one = icalendar.Calendar.from_ical(
        client.get("/meetings/coproduction-2024-leuven/sessions/health.ics").content
    )
    assert [str(e["summary"]) for e in one.walk("VEVENT")] == [
        "Co-creation in health care",
        "Patients as co-producers",
    ]
    assert client.get("/meetings/coproduction-2024-leuven/sessions/closing.ics").status_code == 404


def test_schedule_exports_validate_and_hold_the_timed_sessions(
    client, leuven, frab_xml_schema, frab_json_validator
):
    xml = client.get("/meetings/coproduction-2024-leuven/schedule.xml")
    data = client.get("/meetings/coproduction-2024-leuven/schedule.json")

    assert xml["Content-Type"] == "application/xml; charset=utf-8"
    frab_xml_schema.validate(xml.content)
    frab_json_validator.validate(data.json())
    root = etree.fromstring(xml.content)
    # The health session's only talk has its own times: it is the event, the session its
    # subtitle; the digital session's talk has none, so the session is the event.
    assert [(e.findtext("title"), e.findtext("subtitle")) for e in root.iter("event")] == [
        ("Patients as co-producers", "Co-creation in health care"),
        ("Digital co-production", ""),
    ]
    assert root.findtext("conference/time_zone_name") == "Europe/Brussels"
    assert "Closing panel" not in data.content.decode()


def test_demo_meeting_stays_as_the_report_gives_it(client, demo_data, frab_xml_schema):
    """No session, time or room is invented: the schedule has no events, the calendar only
    the meeting's two days."""
    xml = client.get("/meetings/coproduction-2023-nijmegen/schedule.xml")
    calendar = icalendar.Calendar.from_ical(
        client.get("/meetings/coproduction-2023-nijmegen.ics").content
    )

    frab_xml_schema.validate(xml.content)
    root = etree.fromstring(xml.content)
    assert root.find(".//event") is None
    assert [day.get("date") for day in root.iter("day")] == ["2023-05-11", "2023-05-12"]
    assert root.findtext("conference/time_zone_name") == "Europe/Amsterdam"
    assert len(calendar.walk("VEVENT")) == 1


def many_sessions(meeting, count, talks_each):
    room = RoomFactory(meeting=meeting, name="Main hall", position=1)
    for number in range(1, count + 1):
        session = SessionFactory(
            meeting=meeting,
            day=meeting.start_date,
            start_time=at(8 + number),
            end_time=at(8 + number, 50),
            room=room,
            position=number,
        )
        SessionChairFactory(session=session, position=1)
        for position in range(1, talks_each + 1):
            person = PersonFactory()
            talk_in(
                session,
                f"Work {number}.{position}",
                [(person, InstitutionFactory()), (PersonFactory(), None)],
                presenters={1},
                discussants=[(PersonFactory(), InstitutionFactory())],
                position=position,
            )
    return session


@pytest.mark.parametrize(
    "path",
    [
        "{meeting}",
        "{meeting}?day=other",
        "{session}",
        "{meeting}schedule.xml",
        "{meeting}schedule.json",
    ],
)
def test_programme_pages_run_a_constant_number_of_queries(
    client, db, django_assert_max_num_queries, path
):
    small, large = MeetingFactory(), MeetingFactory()
    small_session = many_sessions(small, 1, 1)
    large_session = many_sessions(large, 8, 4)

    def url(meeting, session):
        return path.format(meeting=meeting.get_absolute_url(), session=session.get_absolute_url())

    small_count = count_queries(client, url(small, small_session))
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large_count = count_queries(client, url(large, large_session))
    assert small_count == large_count


def test_calendar_queries_do_not_grow_with_sessions(client, db):
    small, large = MeetingFactory(), MeetingFactory()
    many_sessions(small, 1, 1)
    many_sessions(large, 8, 4)

    small_count = count_queries(client, f"/meetings/{small.slug}.ics")
    assert count_queries(client, f"/meetings/{large.slug}.ics") == small_count


def test_a_large_programme_opens_on_its_timetable_with_each_days_talks_one_click_away(
    client, db, monkeypatch
):
    monkeypatch.setattr(meeting_views, "DETAILED_PROGRAMME_TALKS", 5)
    meeting = MeetingFactory()
    many_sessions(meeting, 3, 2)
    response = client.get(meeting.get_absolute_url())

    sessions = list(meeting.sessions.all())
    page = response.content.decode()
    assert all(f'href="{session.get_absolute_url()}"' in page for session in sessions)
    text = visible_text(response)
    assert text.count("2 talks") == 3
    assert all(chair.person.full_name in text for chair in SessionChair.objects.all())
    assert "Work 1.1" not in text
    assert "Timetable" in text

    day = client.get(f"{meeting.get_absolute_url()}?day={meeting.start_date.isoformat()}")
    day_text = visible_text(day)
    assert all(
        f"Work {number}.{position}" in day_text for number in (1, 2, 3) for position in (1, 2)
    )
    assert "2 talks" not in day_text


@pytest.mark.parametrize("path", ["{meeting}", "{meeting}?day={day}"])
def test_a_large_programmes_timetable_and_days_run_a_constant_number_of_queries(
    client, db, monkeypatch, django_assert_max_num_queries, path
):
    monkeypatch.setattr(meeting_views, "DETAILED_PROGRAMME_TALKS", 0)
    small, large = MeetingFactory(), MeetingFactory()
    many_sessions(small, 1, 1)
    many_sessions(large, 8, 4)

    def url(meeting):
        return path.format(meeting=meeting.get_absolute_url(), day=meeting.start_date.isoformat())

    small_count = count_queries(client, url(small))
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large_count = count_queries(client, url(large))
    assert small_count == large_count
