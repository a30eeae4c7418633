"""The programme in the API: the meeting detail by day and session, sessions and rooms as
resources, a session created with its talks in one request, a talk moved between sessions."""

import datetime

import pytest

from conference.meetings.models import Room, Session, SessionChair
from papers.models import Discussant, Presentation, Presenter
from tests.api.test_queries import assert_constant
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

pytestmark = pytest.mark.django_db


def row_counts():
    models = (Session, SessionChair, Room, Presentation, Presenter, Discussant)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def panel():
    """A two-day meeting: a timed panel in Aula 1 chaired by Trui Steen, with one talk by
    Noella Edelmann (presenting) and Charlotte van Dijk, discussed by Tina Nabatchi."""
    meeting = MeetingFactory(slug="nijmegen", country="NL")
    aula = RoomFactory(meeting=meeting, name="Aula 1", capacity=120)
    leuven = InstitutionFactory(name="KU Leuven", short_name="KLU", slug="klu")
    krems = InstitutionFactory(name="Donau-Universität Krems", short_name="DUK", slug="duk")
    syracuse = InstitutionFactory(name="Syracuse University", short_name="", slug="syracuse")
    people = {
        slug: PersonFactory(given_name=given, family_name=family, slug=slug)
        for slug, given, family in [
            ("trui-steen", "Trui", "Steen"),
            ("noella-edelmann", "Noella", "Edelmann"),
            ("charlotte-van-dijk", "Charlotte", "van Dijk"),
            ("tina-nabatchi", "Tina", "Nabatchi"),
        ]
    }
    session = SessionFactory(
        meeting=meeting,
        title="Co-creation in health care",
        kind=Session.Kind.PANEL,
        day=meeting.end_date,
        start_time=datetime.time(9),
        end_time=datetime.time(10, 30),
        room=aula,
    )
    SessionChairFactory(session=session, person=people["trui-steen"], affiliation=leuven)
    paper = PaperFactory(title="Sustainability and Co-creation", slug="sustainability")
    noella = AuthorshipFactory(
        paper=paper, person=people["noella-edelmann"], position=1, affiliation=krems
    )
    AuthorshipFactory(
        paper=paper, person=people["charlotte-van-dijk"], position=2, affiliation=leuven
    )
    talk = PresentationFactory(meeting=meeting, paper=paper, session=session)
    PresenterFactory(presentation=talk, authorship=noella, position=1)
    DiscussantFactory(
        presentation=talk, person=people["tina-nabatchi"], affiliation=syracuse, position=1
    )
    waiting = PresentationFactory(meeting=meeting, paper=PaperFactory(title="Waiting"))
    return {
        "meeting": meeting,
        "room": aula,
        "session": session,
        "talk": talk,
        "waiting": waiting,
        "people": people,
    }


def person(slug, name, id_):
    return {"id": id_, "slug": slug, "name": name, "url": f"http://testserver/api/people/{slug}/"}


def test_meeting_detail_reads_by_day_session_and_talk(api_client, panel, assert_matches_schema):
    response = api_client.get("/api/meetings/nijmegen/")

    assert response.status_code == 200
    assert_matches_schema(response, "/api/meetings/{slug}/")
    meeting = response.json()
    session, talk, people = panel["session"], panel["talk"], panel["people"]
    assert meeting["time_zone"] == "Europe/Amsterdam"
    [day] = meeting["days"]
    assert day["date"] == "2023-05-12"
    [read] = day["sessions"]
    assert read == {
        "id": session.pk,
        "url": f"http://testserver/api/sessions/{session.pk}/",
        "page_url": "http://testserver/meetings/nijmegen/sessions/co-creation-in-health-care/",
        "slug": "co-creation-in-health-care",
        "title": "Co-creation in health care",
        "kind": "panel",
        "day": "2023-05-12",
        "start_time": "09:00:00",
        "end_time": "10:30:00",
        "room": {
            "id": panel["room"].pk,
            "name": "Aula 1",
            "capacity": 120,
            "url": f"http://testserver/api/rooms/{panel['room'].pk}/",
        },
        "chairs": [
            {
                "position": 1,
                "person": person("trui-steen", "Trui Steen", people["trui-steen"].pk),
                "institution": read["chairs"][0]["institution"],
            }
        ],
        "description": "",
        "position": session.position,
        "talk_ids": [talk.pk],
    }
    assert read["chairs"][0]["institution"]["name"] == "KU Leuven"
    scheduled, unscheduled = meeting["programme"]
    assert (scheduled["id"], scheduled["session"], unscheduled["session"]) == (
        talk.pk,
        session.pk,
        None,
    )
    assert unscheduled["work"]["title"] == "Waiting"
    assert [
        (a["person"]["name"], a["institution"]["short_name"], a["is_presenter"])
        for a in scheduled["authors"]
    ] == [("Noella Edelmann", "DUK", True), ("Charlotte van Dijk", "KLU", False)]
    assert [p["person"]["name"] for p in scheduled["presenters"]] == ["Noella Edelmann"]
    assert scheduled["discussants"] == [
        {
            "position": 1,
            "person": person("tina-nabatchi", "Tina Nabatchi", people["tina-nabatchi"].pk),
            "institution": {
                "id": scheduled["discussants"][0]["institution"]["id"],
                "slug": "syracuse",
                "name": "Syracuse University",
                "short_name": "",
                "url": "http://testserver/api/institutions/syracuse/",
            },
        }
    ]


def test_session_detail_has_its_talks_in_full(api_client, panel, assert_matches_schema):
    session = panel["session"]

    response = api_client.get(f"/api/sessions/{session.pk}/")

    assert response.status_code == 200
    assert_matches_schema(response, "/api/sessions/{id}/")
    read = response.json()
    assert read["meeting"]["slug"] == "nijmegen"
    assert [talk["work"]["title"] for talk in read["talks"]] == ["Sustainability and Co-creation"]
    assert read["talks"][0]["discussants"][0]["person"]["name"] == "Tina Nabatchi"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("meeting=nijmegen", ["Keynote", "Co-creation in health care"]),
        ("meeting=nijmegen&day=2023-05-11", ["Keynote"]),
        ("room={room}", ["Co-creation in health care"]),
        ("kind=keynote", ["Keynote"]),
    ],
)
def test_sessions_filter_by_meeting_day_room_and_kind(
    api_client, panel, assert_matches_schema, query, expected
):
    SessionFactory(meeting=panel["meeting"], title="Keynote", kind=Session.Kind.KEYNOTE)
    SessionFactory(title="Elsewhere")

    response = api_client.get(f"/api/sessions/?{query.format(room=panel['room'].pk)}")

    assert response.status_code == 200
    assert_matches_schema(response, "/api/sessions/")
    assert [s["title"] for s in response.json()["results"]] == expected


def test_an_unknown_meeting_filter_is_a_400(api_client, db):
    response = api_client.get("/api/sessions/?meeting=nowhere")

    assert response.status_code == 400
    assert "meeting" in response.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("unscheduled=true", ["Waiting"]),
        ("unscheduled=false", ["Sustainability and Co-creation"]),
        ("unscheduled=", ["Sustainability and Co-creation", "Waiting"]),
    ],
)
def test_talks_filter_by_being_unscheduled(api_client, panel, query, expected):
    response = api_client.get(f"/api/presentations/?meeting=nijmegen&{query}")

    assert response.status_code == 200
    assert sorted(talk["work"]["title"] for talk in response.json()["results"]) == expected


@pytest.mark.parametrize("value", ["maybe", "1", "True", "-2.2e-311"])
def test_an_unscheduled_filter_that_is_not_true_or_false_is_a_400_naming_it(
    api_client, panel, value
):
    response = api_client.get("/api/presentations/", {"unscheduled": value})

    assert response.status_code == 400
    assert response.json() == {
        "unscheduled": [f"“{value}” is not a choice: give true or false, or leave it out."]
    }


def test_rooms_filter_by_meeting(api_client, panel, assert_matches_schema):
    RoomFactory(name="Elsewhere")

    response = api_client.get("/api/rooms/?meeting=nijmegen")

    assert_matches_schema(response, "/api/rooms/")
    assert [(r["name"], r["capacity"]) for r in response.json()["results"]] == [("Aula 1", 120)]


def test_organizer_creates_a_session_with_three_talks_in_one_request(
    organizer_client, panel, assert_matches_schema
):
    people = panel["people"]
    works = []
    for number in range(3):
        paper = PaperFactory(slug=f"work-{number}")
        AuthorshipFactory(paper=paper, person=people["noella-edelmann"], position=1)
        AuthorshipFactory(paper=paper, person=people["charlotte-van-dijk"], position=2)
        works.append(paper)

    response = organizer_client.post(
        "/api/sessions/",
        {
            "meeting": "nijmegen",
            "title": "Digital co-production",
            "day": "2023-05-11",
            "start_time": "11:00",
            "end_time": "12:30",
            "room": panel["room"].pk,
            "chairs": [{"person": "trui-steen", "institution": "klu"}],
            "talks": [
                {
                    "work": "work-0",
                    "presenters": ["noella-edelmann"],
                    "discussants": [{"person": "tina-nabatchi", "institution": "syracuse"}],
                    "start_time": "11:00",
                    "end_time": "11:30",
                },
                {"work": "work-1", "presenters": ["charlotte-van-dijk", "noella-edelmann"]},
                {"work": works[2].pk, "presenters": ["charlotte-van-dijk"]},
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert_matches_schema(response, "/api/sessions/", "post")
    created = response.json()
    assert (created["title"], created["start_time"], created["room"]["name"]) == (
        "Digital co-production",
        "11:00:00",
        "Aula 1",
    )
    assert [c["person"]["slug"] for c in created["chairs"]] == ["trui-steen"]
    assert [
        (t["position"], t["work"]["slug"], [p["person"]["slug"] for p in t["presenters"]])
        for t in created["talks"]
    ] == [
        (1, "work-0", ["noella-edelmann"]),
        (2, "work-1", ["charlotte-van-dijk", "noella-edelmann"]),
        (3, "work-2", ["charlotte-van-dijk"]),
    ]
    assert created["talks"][0]["discussants"][0]["institution"]["slug"] == "syracuse"
    assert created["talks"][0]["start_time"] == "11:00:00"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"day": "2023-06-01"},
            {
                "day": [
                    "The day must be one of the meeting's days (11–12 May 2023); 1 June 2023 is "
                    "not."
                ]
            },
        ),
        (
            {"start_time": "09:30", "end_time": "10:00", "day": "2023-05-12"},
            {
                "room": [
                    "Aula 1 is taken on 12 May from 09:00 to 10:30 by “Co-creation in health "
                    "care”: sessions in one room may not overlap."
                ]
            },
        ),
        (
            {"start_time": "10:00", "end_time": "09:00"},
            {"end_time": ["The session ends after it starts: 09:00 is not after 10:00."]},
        ),
        (
            {"talks": [{"work": "sustainability", "presenters": ["noella-edelmann"]}]},
            {
                "talks": [
                    "Talk 1 (“Sustainability and Co-creation”): This work is already in the "
                    "programme of this meeting."
                ]
            },
        ),
        (
            {
                "talks": [
                    {
                        "work": "sustainability-2",
                        "presenters": ["noella-edelmann"],
                        "discussants": [{"person": "noella-edelmann"}],
                    }
                ]
            },
            {
                "talks": [
                    "Talk 1 (“Another work”): Noella Edelmann is an author of “Another work”: a "
                    "discussant comments on a work by others."
                ]
            },
        ),
        (
            {"chairs": [{"person": "nobody"}]},
            {"chairs": {"0": {"person": ["There is no person with the slug “nobody”."]}}},
        ),
    ],
)
def test_a_bad_session_is_a_400_naming_the_field_and_changes_nothing(
    organizer_client, panel, change, expected
):
    other = PaperFactory(title="Another work", slug="sustainability-2")
    AuthorshipFactory(paper=other, person=panel["people"]["noella-edelmann"], position=1)
    before = row_counts()

    response = organizer_client.post(
        "/api/sessions/",
        {
            "meeting": "nijmegen",
            "title": "Late",
            "day": "2023-05-11",
            "room": panel["room"].pk,
            **change,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == expected
    assert row_counts() == before


def test_a_session_with_talks_is_not_deleted(organizer_client, panel):
    session = panel["session"]

    response = organizer_client.delete(f"/api/sessions/{session.pk}/")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This cannot be deleted: 1 other record(s) still refer to it. Remove or reassign them "
        "first."
    )
    assert Session.objects.filter(pk=session.pk).exists()
    assert SessionChair.objects.filter(session=session).count() == 1


def test_organizer_moves_a_talk_into_a_session(organizer_client, panel, assert_matches_schema):
    waiting, session = panel["waiting"], panel["session"]

    response = organizer_client.post(
        f"/api/presentations/{waiting.pk}/move/",
        {"session": session.pk, "position": 1, "start_time": "09:00", "end_time": "09:20"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert_matches_schema(response, "/api/presentations/{id}/move/", "post")
    assert response.json()["session"]["id"] == session.pk
    assert list(
        Presentation.objects.filter(session=session)
        .order_by("position")
        .values_list("paper__title", "position")
    ) == [("Waiting", 1), ("Sustainability and Co-creation", 2)]


def test_a_move_outside_the_sessions_times_is_a_400_and_changes_nothing(organizer_client, panel):
    waiting, session = panel["waiting"], panel["session"]

    response = organizer_client.post(
        f"/api/presentations/{waiting.pk}/move/",
        {"session": session.pk, "start_time": "08:00", "end_time": "08:30"},
        format="json",
    )

    assert response.status_code == 400
    span = "(09:00–10:30): a talk's times are within its session's."
    assert response.json() == {
        "start_time": [f"08:00 is outside the session “Co-creation in health care” {span}"],
        "end_time": [f"08:30 is outside the session “Co-creation in health care” {span}"],
    }
    waiting.refresh_from_db()
    assert (waiting.session, waiting.position) == (None, 1)


def test_a_visitor_cannot_create_or_move(api_client, panel):
    before = row_counts()

    created = api_client.post("/api/sessions/", {"meeting": "nijmegen"}, format="json")
    moved = api_client.post(
        f"/api/presentations/{panel['waiting'].pk}/move/", {"session": None}, format="json"
    )

    assert (created.status_code, moved.status_code) == (401, 401)
    assert row_counts() == before


def programme_of(meeting, *, sessions, talks_per_session):
    for _ in range(sessions):
        room = RoomFactory(meeting=meeting)
        session = SessionFactory(
            meeting=meeting, room=room, start_time=datetime.time(9), end_time=datetime.time(10)
        )
        SessionChairFactory(session=session)
        for _ in range(talks_per_session):
            paper = PaperFactory()
            talk = PresentationFactory(meeting=meeting, paper=paper, session=session)
            for position in (1, 2, 3):
                authorship = AuthorshipFactory(paper=paper, position=position)
                PresenterFactory(presentation=talk, authorship=authorship)
            DiscussantFactory(presentation=talk)


@pytest.mark.parametrize(
    ("url", "maximum"),
    [
        ("/api/meetings/{meeting.slug}/", 10),
        ("/api/sessions/?meeting={meeting.slug}", 5),
        ("/api/sessions/{session.pk}/", 7),
        ("/api/presentations/?meeting={meeting.slug}", 6),
        ("/api/rooms/?meeting={meeting.slug}", 3),
    ],
)
def test_programme_queries_are_the_same_for_one_session_and_many(
    api_client, django_assert_max_num_queries, url, maximum
):
    small, large = MeetingFactory(), MeetingFactory()
    programme_of(small, sessions=1, talks_per_session=1)
    programme_of(large, sessions=12, talks_per_session=4)

    def address(meeting):
        session = Session.objects.filter(meeting=meeting).last()
        return url.format(meeting=meeting, session=session)

    assert_constant(
        api_client, address(small), address(large), maximum, django_assert_max_num_queries
    )
