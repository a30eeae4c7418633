"""A meeting's programme, read as plain rows (papers/programme.py) by the meeting and session
pages, the API, the calendar and the schedule exports: it must show exactly what the
model-based author lists show elsewhere on the site, by day, session and talk."""

import datetime

import pytest
from django.template import Context, Template

from conference.meetings.models import Session
from papers.models import Presenter
from papers.programme import Programme
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


@pytest.fixture
def meeting():
    return MeetingFactory()


def present(meeting, paper, *authorships, position, session=None):
    extra = {} if position is None else {"position": position}
    presentation = PresentationFactory(meeting=meeting, paper=paper, session=session, **extra)
    for index, authorship in enumerate(authorships, start=1):
        PresenterFactory(presentation=presentation, authorship=authorship, position=index)
    return presentation


def test_entries_follow_programme_positions_with_sessions_and_presenters_in_order(meeting):
    krems = InstitutionFactory(name="University for Continuing Education Krems", short_name="DUK")
    leuven = InstitutionFactory(name="KU Leuven", short_name="KLU")
    later = PaperFactory(title="Digital co-production")
    first = PaperFactory(title="Sustainability and Co-creation")
    noella = AuthorshipFactory(
        paper=first,
        position=1,
        person=PersonFactory(given_name="Noella", family_name="Edelmann"),
        affiliation=krems,
    )
    trui = AuthorshipFactory(
        paper=first,
        position=2,
        person=PersonFactory(given_name="Trui", family_name="Steen"),
        affiliation=leuven,
    )
    present(meeting, later, AuthorshipFactory(paper=later), position=2)
    present(
        meeting,
        first,
        trui,
        noella,
        position=1,
        session=SessionFactory(meeting=meeting, title="Session 1"),
    )
    present(MeetingFactory(), PaperFactory(title="Elsewhere"), position=1)

    programme = Programme.of(meeting)

    assert [talk.paper.title for talk in programme.talks] == [
        "Sustainability and Co-creation",
        "Digital co-production",
    ]
    entry = programme.talks[0]
    assert programme.sessions[0].title == "Session 1"
    assert entry.session_slug == "session-1"
    assert entry.paper.get_absolute_url() == first.get_absolute_url()
    assert [presenter.person.full_name for presenter in entry.presenters] == [
        "Trui Steen",
        "Noella Edelmann",
    ]
    assert entry.presenters[1].person.get_absolute_url() == noella.person.get_absolute_url()
    assert entry.presenters[1].affiliation.get_absolute_url() == krems.get_absolute_url()
    assert programme.talks[1].session_slug is None
    assert programme.unscheduled == (programme.talks[1],)


def test_presenters_read_as_the_model_based_author_list_shows_them(meeting):
    """Diacritics, markup, an institution without a short name, an author without one."""
    paper = PaperFactory(title="Co-creation <script>alert(1)</script> & more")
    authorships = [
        AuthorshipFactory(
            paper=paper,
            position=1,
            person=PersonFactory(given_name="Ayşe", family_name="Şahin <b>"),
            affiliation=InstitutionFactory(name="Université de Liège", short_name="ULi\"ège'"),
        ),
        AuthorshipFactory(
            paper=paper,
            position=2,
            person=PersonFactory(given_name="", family_name="Tóth"),
            affiliation=InstitutionFactory(name="Radboud University", short_name=""),
        ),
        AuthorshipFactory(paper=paper, position=3, affiliation=None),
    ]
    presentation = present(meeting, paper, *authorships, position=1)
    presenters = Presenter.objects.filter(presentation=presentation).with_people()

    [entry] = Programme.of(meeting).talks

    rendered = Template("{% load archive %}{% author_list authors %}")
    from_rows = rendered.render(Context({"authors": entry.presenters}))
    assert from_rows == rendered.render(Context({"authors": presenters}))
    assert "Şahin &lt;b&gt;" in from_rows


def test_institutions_are_listed_once_by_abbreviation_with_their_country(meeting):
    leuven = InstitutionFactory(name="KU Leuven", short_name="KLU", country="BE")
    krems = InstitutionFactory(name="Donau-Universität Krems", short_name="DUK", country="AT")
    unplaced = InstitutionFactory(name="Aalborg Academy", short_name="", country="")
    for position, institution in enumerate([leuven, krems, leuven, unplaced], start=1):
        paper = PaperFactory()
        present(
            meeting,
            paper,
            AuthorshipFactory(paper=paper, affiliation=institution),
            position=position,
        )

    institutions = Programme.of(meeting).institutions

    assert [(i.display_short_name, i.name, i.country_name) for i in institutions] == [
        ("Aalborg Academy", "Aalborg Academy", ""),
        ("DUK", "Donau-Universität Krems", "Austria"),
        ("KLU", "KU Leuven", "Belgium"),
    ]


def test_programme_is_read_in_six_queries_whatever_its_size(meeting, django_assert_num_queries):
    for position in range(1, 21):
        paper = PaperFactory()
        present(
            meeting,
            paper,
            *(AuthorshipFactory(paper=paper, position=n) for n in range(1, 4)),
            position=position,
        )

    with django_assert_num_queries(6):
        programme = Programme.of(meeting)
        assert len(programme) == 20
        assert len(programme.institutions) == 60


def test_a_meeting_without_programme_has_an_empty_one(meeting):
    programme = Programme.of(meeting)

    assert not programme
    assert programme.institutions == []


def test_programme_reads_by_day_then_session_in_time_order_then_talk():
    meeting = MeetingFactory(
        start_date=datetime.date(2023, 5, 11), end_date=datetime.date(2023, 5, 12)
    )
    aula, room_b = RoomFactory(meeting=meeting, name="Aula"), RoomFactory(meeting=meeting)
    leuven = InstitutionFactory(name="KU Leuven", short_name="KLU", country="BE")
    syracuse = InstitutionFactory(name="Syracuse University", short_name="", country="US")
    chair = PersonFactory(given_name="Trui", family_name="Steen")
    tina = PersonFactory(given_name="Tina", family_name="Nabatchi")
    friday = SessionFactory(meeting=meeting, title="Closing", day=meeting.end_date, position=1)
    afternoon = SessionFactory(
        meeting=meeting,
        title="Trust",
        kind=Session.Kind.PANEL,
        start_time=datetime.time(14),
        end_time=datetime.time(15, 30),
        room=aula,
        position=2,
    )
    parallel = [
        SessionFactory(
            meeting=meeting,
            title=title,
            start_time=datetime.time(9),
            end_time=datetime.time(10, 30),
            room=room,
            position=position,
        )
        for title, room, position in [("Health", aula, 4), ("Schools", room_b, 3)]
    ]
    SessionChairFactory(session=afternoon, person=chair, affiliation=leuven)
    paper = PaperFactory(title="Co-creation", doi="10.1234/cc")
    noella, charlotte = (
        AuthorshipFactory(paper=paper, position=1, affiliation=None),
        AuthorshipFactory(paper=paper, position=2, affiliation=leuven),
    )
    talk = PresentationFactory(
        meeting=meeting,
        paper=paper,
        session=afternoon,
        start_time=datetime.time(14),
        end_time=datetime.time(14, 30),
    )
    PresenterFactory(presentation=talk, authorship=charlotte, position=1)
    DiscussantFactory(presentation=talk, person=tina, affiliation=syracuse)
    PresentationFactory(meeting=meeting, session=friday)

    programme = Programme.of(meeting)

    assert [
        (day.date, [(s.title, s.time_range, s.room and s.room.name) for s in day.sessions])
        for day in programme.days
    ] == [
        (
            datetime.date(2023, 5, 11),
            [
                ("Schools", "09:00–10:30", room_b.name),
                ("Health", "09:00–10:30", "Aula"),
                ("Trust", "14:00–15:30", "Aula"),
            ],
        ),
        (datetime.date(2023, 5, 12), [("Closing", "", None)]),
    ]
    trust = programme.days[0].sessions[2]
    assert (trust.kind, trust.kind_label, trust.url) == (
        "panel",
        "Panel",
        f"/meetings/{meeting.slug}/sessions/trust/",
    )
    assert [(c.person.full_name, c.affiliation.name) for c in trust.chairs] == [
        ("Trui Steen", "KU Leuven")
    ]
    [read] = trust.talks
    assert (read.paper.title, read.paper.doi_url, read.time_range) == (
        "Co-creation",
        "https://doi.org/10.1234/cc",
        "14:00–14:30",
    )
    assert [
        (a.person.full_name, a.affiliation and a.affiliation.name, a.is_presenter)
        for a in read.authors
    ] == [
        (str(noella.person), None, False),
        (str(charlotte.person), "KU Leuven", True),
    ]
    assert [
        (d.person.full_name, d.affiliation.name, d.affiliation.country_name)
        for d in read.discussants
    ] == [("Tina Nabatchi", "Syracuse University", "United States of America")]
    assert programme.unscheduled == ()
    assert len(programme) == 2
    assert {s.title for s in parallel} == {"Health", "Schools"}


def test_one_session_reads_alone_with_its_talks_and_chairs(meeting):
    session, other = SessionFactory(meeting=meeting), SessionFactory(meeting=meeting)
    SessionChairFactory(session=session)
    SessionChairFactory(session=other)
    paper = PaperFactory()
    present(meeting, paper, AuthorshipFactory(paper=paper), position=1, session=session)
    present(meeting, PaperFactory(), position=1, session=other)
    present(meeting, PaperFactory(), position=1)

    programme = Programme.of(meeting, session=session)

    assert [s.slug for s in programme.sessions] == [session.slug]
    assert [talk.paper.title for talk in programme.talks] == [paper.title]
    assert len(programme.sessions[0].chairs) == 1
    assert programme.unscheduled == ()


def fill(meeting, *, sessions, talks_per_session):
    for number in range(sessions):
        session = SessionFactory(meeting=meeting, start_time=datetime.time(9 + number % 8))
        SessionChairFactory(session=session)
        for _ in range(talks_per_session):
            paper = PaperFactory()
            talk = present(
                meeting,
                paper,
                *(AuthorshipFactory(paper=paper, position=n) for n in (1, 2, 3)),
                position=None,
                session=session,
            )
            DiscussantFactory(presentation=talk)


def test_query_count_is_the_same_for_one_session_and_many(meeting, django_assert_num_queries):
    big = MeetingFactory()
    fill(meeting, sessions=1, talks_per_session=1)
    fill(big, sessions=12, talks_per_session=4)

    with django_assert_num_queries(6):
        assert len(Programme.of(meeting)) == 1
    with django_assert_num_queries(6):
        programme = Programme.of(big)
        assert len(programme) == 48
        assert all(len(talk.discussants) == 1 for talk in programme.talks)
    session = Session.objects.get(pk=programme.sessions[5].id)
    with django_assert_num_queries(6):
        assert len(Programme.of(big, session=session).talks) == 4


def test_programme_shows_names_as_printed_linked_to_the_person(meeting):
    trui = PersonFactory(given_name="Trui", family_name="Steen")
    session = SessionFactory(meeting=meeting)
    SessionChairFactory(session=session, person=trui, printed_name="T. Steen")
    paper = PaperFactory()
    author = AuthorshipFactory(paper=paper, person=trui, printed_name="Steen, T.", position=1)
    presentation = present(meeting, paper, author, position=1, session=session)
    DiscussantFactory(presentation=presentation, person=trui, printed_name="Dr. T. Steen")

    [read] = Programme.of(meeting).sessions

    assert [(c.person.full_name, c.person.slug) for c in read.chairs] == [
        ("T. Steen", "trui-steen")
    ]
    [talk] = read.talks
    assert [a.person.full_name for a in talk.authors] == ["Steen, T."]
    assert [d.person.full_name for d in talk.discussants] == ["Dr. T. Steen"]


def test_one_day_reads_every_session_but_the_talks_of_that_day_only(
    meeting, django_assert_num_queries
):
    second_day = meeting.start_date + datetime.timedelta(days=1)
    first = SessionFactory(meeting=meeting, title="Co-creation")
    second = SessionFactory(meeting=meeting, title="Co-design", day=second_day)
    for session, title in ((first, "First day's work"), (second, "Second day's work")):
        SessionChairFactory(session=session)
        paper = PaperFactory(title=title)
        talk = present(meeting, paper, AuthorshipFactory(paper=paper), position=1, session=session)
        DiscussantFactory(presentation=talk)
    unplaced = PaperFactory(title="Unplaced work")
    present(meeting, unplaced, AuthorshipFactory(paper=unplaced), position=1)

    def read(day):
        with django_assert_num_queries(6):
            programme = Programme.one_day(meeting, day, unscheduled_count=1)
        return (
            programme.selected_day,
            [day.date for day in programme.shown_days],
            [session.title for session in programme.sessions],
            [len(session.chairs) for session in programme.sessions],
            [talk.paper.title for talk in programme.talks],
            programme.unscheduled_count,
        )

    everything = ["Co-creation", "Co-design"]
    assert read("") == (
        meeting.start_date,
        [meeting.start_date],
        everything,
        [1, 0],
        ["First day's work"],
        1,
    )
    assert read(second_day.isoformat()) == (
        second_day,
        [second_day],
        everything,
        [0, 1],
        ["Second day's work"],
        1,
    )
    assert read("not-a-day")[0] == meeting.start_date
    other = Programme.one_day(meeting, "other", unscheduled_count=1)
    assert (other.selected_day, other.shown_days, other.shows_other_talks) == ("other", (), True)
    assert [talk.paper.title for talk in other.talks] == ["Unplaced work"]
    assert [len(session.chairs) for session in other.sessions] == [0, 0]
