"""The programme editor: a session with its chairs and talks in one form, every rule a form
error next to its field, nothing saved when anything is refused."""

import datetime

import pytest
from django.urls import reverse

from conference.meetings.models import Room, Session, SessionChair
from papers.models import Discussant, Presentation, Presenter
from tests.factories.conference import SessionChairFactory
from tests.factories.papers import AuthorshipFactory, DiscussantFactory, PresentationFactory
from tests.factories.people import InstitutionFactory
from tests.trust.admin_forms import admin_url, form_data

ADD_SESSION = reverse("admin:conference_session_add")


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def new_session(programme, *, talks, chairs=(), **fields):
    """The data a browser posts for a new session: ``talks`` are dicts of ``work``,
    ``presenters``, optional ``discussants``, ``position``, ``start`` and ``end``."""
    data = {
        "meeting": programme.meeting.pk,
        "title": "Co-creation in health care",
        "kind": "panel",
        "day": "2023-05-11",
        "start_time": "09:00",
        "end_time": "10:30",
        "room": programme.rooms[0].pk,
        "position": "1",
        "description": "",
        "slug": "",
        **fields,
    }
    data.update(management("session_chairs", len(chairs)))
    for index, (person, institution) in enumerate(chairs):
        data[f"session_chairs-{index}-position"] = str(index + 1)
        data[f"session_chairs-{index}-person"] = person.pk
        data[f"session_chairs-{index}-affiliation"] = institution.pk if institution else ""
    data.update(management("talks", len(talks)))
    for index, talk in enumerate(talks):
        row = f"talks-{index}-"
        data[row + "position"] = str(talk.get("position", index + 1))
        data[row + "paper"] = talk["work"].pk
        data[row + "presenters"] = [person.pk for person in talk["presenters"]]
        data[row + "discussed_by"] = [person.pk for person in talk.get("discussants", ())]
        data[row + "starts"] = talk.get("start", "")
        data[row + "ends"] = talk.get("end", "")
    return data


def first_author(programme, work):
    return programme.authors[work.pk][0].person


def three_talks(programme, changes=None):
    talks = [
        {"work": work, "presenters": [first_author(programme, work)]} for work in programme.works
    ]
    talks[1]["discussants"] = [programme.discussant]
    for index, change in (changes or {}).items():
        talks[index].update(change)
    return talks


def errors_of(response):
    """Every error on the page, as the organizer reads them, by field name."""
    found = {}
    form = response.context["adminform"].form
    for field, errors in form.errors.items():
        found.setdefault(field, []).extend(errors)
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            for field, errors in form.errors.items():
                found.setdefault(field, []).extend(errors)
        found.setdefault("__list__", []).extend(inline.formset.non_form_errors())
    return {field: errors for field, errors in found.items() if errors}


def nothing_saved():
    assert Session.objects.count() == 0
    assert Presentation.objects.count() == 0
    assert Presenter.objects.count() == 0
    assert Discussant.objects.count() == 0


def test_new_session_with_three_talks_presenters_and_a_discussant_in_one_form(
    staff_client, programme
):
    chair_institution = programme.authors[programme.works[0].pk][0].affiliation
    data = new_session(
        programme,
        talks=three_talks(programme, {0: {"start": "09:00", "end": "09:30"}}),
        chairs=[(programme.chair, chair_institution)],
    )

    response = staff_client.post(ADD_SESSION, data)

    assert response.status_code == 302, errors_of(response)
    session = Session.objects.get()
    assert (session.title, session.kind, session.day, session.room) == (
        "Co-creation in health care",
        "panel",
        datetime.date(2023, 5, 11),
        programme.rooms[0],
    )
    assert session.slug == "co-creation-in-health-care"
    talks = list(session.talks.order_by("position"))
    assert [(talk.position, talk.paper) for talk in talks] == [
        (1, programme.works[0]),
        (2, programme.works[1]),
        (3, programme.works[2]),
    ]
    assert (talks[0].start_time, talks[0].end_time) == (datetime.time(9), datetime.time(9, 30))
    assert [
        [presenter.authorship.person for presenter in talk.presenters.all()] for talk in talks
    ] == [[first_author(programme, work)] for work in programme.works]
    discussant = Discussant.objects.get()
    assert (discussant.presentation, discussant.person, discussant.affiliation) == (
        talks[1],
        programme.discussant,
        programme.discussant_institution,
    )
    chair = SessionChair.objects.get()
    assert (chair.person, chair.affiliation, chair.position) == (
        programme.chair,
        chair_institution,
        1,
    )
    assert all(talk.meeting == programme.meeting for talk in talks)
    assert session.history.first().history_user == staff_client.user


def test_presenters_are_offered_among_the_works_authors(staff_client, programme):
    talk = PresentationFactory(meeting=programme.meeting, paper=programme.works[0])
    stranger = programme.authors[programme.works[1].pk][0].person
    session = Session.objects.create(
        meeting=programme.meeting, title="Panel", day=programme.meeting.start_date
    )
    talk.session = session
    talk.save()

    page = staff_client.get(admin_url(Session, "change", session.pk)).content.decode()

    for authorship in programme.authors[programme.works[0].pk]:
        assert f"{authorship.person} ({authorship.affiliation.name})" in page
    assert str(stranger) not in page


def test_a_presenter_who_is_not_an_author_is_refused_next_to_the_presenters(
    staff_client, programme
):
    stranger = first_author(programme, programme.works[1])
    talks = three_talks(programme, {0: {"presenters": [stranger]}})

    response = staff_client.post(ADD_SESSION, new_session(programme, talks=talks))

    assert response.status_code == 200
    assert errors_of(response)["presenters"] == [
        f"{stranger} is not an author of “Co-production case 1”: presenters are authors of "
        "the work."
    ]
    nothing_saved()


def test_a_talk_without_presenter_asks_to_tick_one(staff_client, programme):
    talks = three_talks(programme, {2: {"presenters": []}})

    response = staff_client.post(ADD_SESSION, new_session(programme, talks=talks))

    assert errors_of(response)["presenters"] == [
        "Name who presented “Co-production case 3”: a talk needs at least one presenter among "
        "the work's authors."
    ]
    nothing_saved()


def test_without_javascript_the_authors_appear_after_choosing_the_work(staff_client, programme):
    talks = three_talks(programme, {2: {"presenters": []}})

    page = staff_client.post(ADD_SESSION, new_session(programme, talks=talks)).content.decode()

    for authorship in programme.authors[programme.works[2].pk]:
        assert f'name="talks-2-presenters" value="{authorship.person_id}"' in page


def test_a_discussant_who_is_an_author_is_refused_next_to_the_discussants(staff_client, programme):
    author = programme.authors[programme.works[1].pk][1].person
    talks = three_talks(programme, {1: {"discussants": [author]}})

    response = staff_client.post(ADD_SESSION, new_session(programme, talks=talks))

    assert errors_of(response)["discussed_by"] == [
        f"{author} is an author of “Co-production case 2”: a discussant comments on a work by "
        "others."
    ]
    nothing_saved()


def test_two_talks_at_the_same_position_are_refused(staff_client, programme):
    talks = three_talks(programme, {1: {"position": 1}})

    response = staff_client.post(ADD_SESSION, new_session(programme, talks=talks))

    assert (
        errors_of(response)["position"]
        == [
            "Two talks of this session have position 1: give each its own (or drag the rows into "
            "order).",
        ]
        * 2
    )
    nothing_saved()


def test_the_same_work_twice_in_a_session_is_refused(staff_client, programme):
    presenter = first_author(programme, programme.works[0])
    talks = three_talks(programme, {2: {"work": programme.works[0], "presenters": [presenter]}})

    response = staff_client.post(ADD_SESSION, new_session(programme, talks=talks))

    assert (
        errors_of(response)["paper"]
        == ["“Co-production case 1” is listed twice in this session."] * 2
    )
    nothing_saved()


def test_a_work_already_in_another_session_of_the_meeting_is_refused(staff_client, programme):
    PresentationFactory(meeting=programme.meeting, paper=programme.works[0])

    response = staff_client.post(ADD_SESSION, new_session(programme, talks=three_talks(programme)))

    assert errors_of(response)["paper"] == [
        "“Co-production case 1” is already in this meeting's programme (unscheduled): a work "
        "is presented once per meeting. Move that talk here from its own page."
    ]
    assert Session.objects.count() == 0
    assert Presentation.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"day": "2023-05-14"},
            "day",
            "The day must be one of the meeting's days (11–12 May 2023); 14 May 2023 is not.",
        ),
        (
            {"start_time": "11:00", "end_time": "10:30"},
            "end_time",
            "The session ends after it starts: 10:30 is not after 11:00.",
        ),
        (
            {"start_time": "", "end_time": "10:30"},
            "start_time",
            "Give the start time too, or leave out the end time.",
        ),
    ],
    ids=["day outside the meeting", "end before start", "end without start"],
)
def test_session_rules_are_form_errors_on_their_field(
    staff_client, programme, fields, field, message
):
    data = new_session(programme, talks=three_talks(programme), **fields)

    response = staff_client.post(ADD_SESSION, data)

    assert message in errors_of(response)[field]
    nothing_saved()


def test_a_talk_outside_its_sessions_times_is_refused(staff_client, programme):
    talks = three_talks(programme, {0: {"start": "08:30", "end": "09:15"}})

    response = staff_client.post(ADD_SESSION, new_session(programme, talks=talks))

    assert errors_of(response)["starts"] == [
        "08:30 is outside the session's times (09:00–10:30): a talk's times are within its "
        "session's."
    ]
    nothing_saved()


def test_a_talk_ending_before_it_starts_is_refused(staff_client, programme):
    talks = three_talks(programme, {0: {"start": "09:30", "end": "09:10"}})

    response = staff_client.post(ADD_SESSION, new_session(programme, talks=talks))

    assert errors_of(response)["ends"] == [
        "The talk ends after it starts: 09:10 is not after 09:30."
    ]
    nothing_saved()


def test_two_sessions_in_one_room_may_not_overlap(staff_client, programme):
    Session.objects.create(
        meeting=programme.meeting,
        title="Opening plenary",
        day=datetime.date(2023, 5, 11),
        start_time=datetime.time(8, 30),
        end_time=datetime.time(9, 30),
        room=programme.rooms[0],
        position=2,
    )

    response = staff_client.post(ADD_SESSION, new_session(programme, talks=three_talks(programme)))

    assert errors_of(response)["room"] == [
        "Aula is taken on 11 May from 08:30 to 09:30 by “Opening plenary”: sessions in one room "
        "may not overlap."
    ]
    assert Session.objects.count() == 1
    assert Presentation.objects.count() == 0


def test_a_second_session_at_the_same_position_is_refused_on_the_position(staff_client, programme):
    Session.objects.create(
        meeting=programme.meeting, title="Keynote", day=programme.meeting.start_date, position=1
    )

    response = staff_client.post(ADD_SESSION, new_session(programme, talks=three_talks(programme)))

    assert errors_of(response)["position"] == [
        "Another session of this meeting has position 1: give each session its own."
    ]
    assert Session.objects.count() == 1


def test_two_chairs_at_the_same_position_are_refused(staff_client, programme):
    data = new_session(
        programme,
        talks=three_talks(programme),
        chairs=[(programme.chair, None), (programme.discussant, None)],
    )
    data["session_chairs-1-position"] = "1"

    response = staff_client.post(ADD_SESSION, data)

    assert (
        errors_of(response)["position"]
        == ["Two chairs of this session have position 1: give each its own."] * 2
    )
    nothing_saved()


@pytest.fixture
def saved_session(staff_client, programme):
    response = staff_client.post(ADD_SESSION, new_session(programme, talks=three_talks(programme)))
    assert response.status_code == 302, errors_of(response)
    return Session.objects.get()


def talk_order(session):
    return list(session.talks.order_by("position").values_list("paper__title", flat=True))


def test_talks_are_reordered_by_their_positions(staff_client, programme, saved_session):
    url = admin_url(Session, "change", saved_session.pk)
    data = form_data(
        staff_client.get(url),
        **{"talks-0-position": "3", "talks-1-position": "1", "talks-2-position": "2"},
    )

    response = staff_client.post(url, data)

    assert response.status_code == 302, errors_of(response)
    assert talk_order(saved_session) == [
        "Co-production case 2",
        "Co-production case 3",
        "Co-production case 1",
    ]
    # The presenters and the discussant stay with their talks.
    talk = saved_session.talks.get(paper=programme.works[1])
    assert [role.person for role in talk.discussant_roles.all()] == [programme.discussant]
    assert talk.presenters.get().authorship.person == first_author(programme, programme.works[1])


def test_an_unscheduled_talk_leaves_the_session_and_stays_in_the_programme(
    staff_client, programme, saved_session
):
    url = admin_url(Session, "change", saved_session.pk)
    data = form_data(staff_client.get(url), **{"talks-0-unschedule": "on"})

    response = staff_client.post(url, data)

    assert response.status_code == 302, errors_of(response)
    assert talk_order(saved_session) == ["Co-production case 2", "Co-production case 3"]
    talk = Presentation.objects.get(paper=programme.works[0])
    assert (talk.session, talk.meeting) == (None, programme.meeting)
    assert talk.presenters.count() == 1


def test_a_stale_session_save_is_refused_and_changes_nothing(
    staff_client, client, django_user_model, saved_session
):
    second = django_user_model.objects.create_superuser(username="second", password="x-9-long-pw")
    client.force_login(second)
    url = admin_url(Session, "change", saved_session.pk)
    stale = client.get(url)
    assert (
        staff_client.post(url, form_data(staff_client.get(url), title="First")).status_code == 302
    )

    response = client.post(url, form_data(stale, title="Second"))

    assert response.status_code == 200
    assert "This session was changed by someone else since you opened it" in (
        response.content.decode()
    )
    saved_session.refresh_from_db()
    assert saved_session.title == "First"


def test_a_session_with_talks_cannot_be_deleted(staff_client, saved_session):
    page = staff_client.get(admin_url(Session, "delete", saved_session.pk)).content.decode()

    assert "would require deleting the following protected related objects" in page


def test_the_talk_page_moves_a_talk_into_a_session_at_a_position(
    staff_client, programme, saved_session
):
    work = programme.works[0]
    url = admin_url(Session, "change", saved_session.pk)
    staff_client.post(url, form_data(staff_client.get(url), **{"talks-0-unschedule": "on"}))
    talk = Presentation.objects.get(paper=work)
    talk_url = admin_url(Presentation, "change", talk.pk)

    data = form_data(staff_client.get(talk_url), session=saved_session.pk, place="1")
    response = staff_client.post(talk_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert talk_order(saved_session) == [
        "Co-production case 1",
        "Co-production case 2",
        "Co-production case 3",
    ]


def test_the_works_authors_are_listed_for_the_presenter_checkboxes(staff_client, programme):
    work = programme.works[0]

    response = staff_client.get(reverse("admin:papers_paper_authors", args=[work.pk]))

    assert response.json() == {
        "authors": [
            {
                "person": authorship.person_id,
                "label": f"{authorship.person} ({authorship.affiliation.name})",
            }
            for authorship in programme.authors[work.pk]
        ]
    }


def test_the_meeting_page_links_to_its_sessions_instead_of_listing_every_talk(
    staff_client, programme, saved_session
):
    page = staff_client.get(admin_url(type(programme.meeting), "change", programme.meeting.pk))
    content = page.content.decode()

    assert 'name="presentations-0-paper"' not in content
    assert 'name="rooms-0-name"' in content
    assert "1 session, 3 talks." in content
    assert (
        f'<a href="{admin_url(Session, "change", saved_session.pk)}">Co-creation in health care</a>'
        in content
    )
    assert "09:00–10:30, Aula, Panel, 3 talks" in content
    assert f'href="{ADD_SESSION}?meeting={programme.meeting.pk}"' in content


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_meeting_page_costs_the_same_queries_with_one_session_or_many(
    staff_client, programme, saved_session
):
    url = admin_url(type(programme.meeting), "change", programme.meeting.pk)
    staff_client.get(url)
    one_session = count_queries(staff_client, url)
    for position in range(2, 12):
        session = Session.objects.create(
            meeting=programme.meeting,
            title=f"Session {position}",
            day=programme.meeting.end_date,
            position=position,
        )
        PresentationFactory(meeting=programme.meeting, session=session, position=1)

    assert count_queries(staff_client, url) == one_session


def test_the_session_page_costs_the_same_queries_with_three_talks_or_six(
    staff_client, programme, saved_session
):
    """Presenters, discussants and authors of all rows are read at once, and each row's
    autocompletes (its work, its discussants, a chair's person and institution) show what the
    rows hold without a query of their own."""
    url = admin_url(Session, "change", saved_session.pk)
    staff_client.get(url)
    three_talks_queries = count_queries(staff_client, url)
    for number in range(4, 7):
        talk = PresentationFactory(
            meeting=programme.meeting, session=saved_session, position=number
        )
        author = AuthorshipFactory(paper=talk.paper, position=1)
        talk.presenters.create(authorship=author, position=1)
        DiscussantFactory(presentation=talk)
        SessionChairFactory(session=saved_session, position=number)

    response = staff_client.get(url)
    assert count_queries(staff_client, url) == three_talks_queries
    content = response.content.decode()
    for talk in saved_session.talks.select_related("paper"):
        assert f'<option value="{talk.paper_id}" selected>{talk.paper}</option>' in content
    for role in Discussant.objects.filter(presentation__session=saved_session):
        assert f'<option value="{role.person_id}" selected>{role.person}</option>' in content


def test_a_room_with_sessions_is_not_removed_from_the_meeting_page(
    staff_client, programme, saved_session
):
    meeting = programme.meeting
    url = admin_url(type(meeting), "change", meeting.pk)
    page = staff_client.get(url)
    data = form_data(page, **{"rooms-0-DELETE": "on"})

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert errors_of(response)["__list__"] == [
        "Deleting room Aula would require deleting the following protected related objects: "
        "session Co-creation in health care"
    ]
    assert meeting.rooms.count() == 2


def test_a_room_is_added_through_its_admin(staff_client, programme):
    response = staff_client.post(
        admin_url(Room, "add"),
        {"meeting": programme.meeting.pk, "name": "  Room C ", "capacity": "12", "position": "3"},
    )

    assert response.status_code == 302
    room = programme.meeting.rooms.get(position=3)
    assert (room.name, room.capacity) == ("Room C", 12)
    assert room.history.first().history_user == staff_client.user


def test_two_rooms_of_one_name_are_refused_on_the_name(staff_client, programme):
    response = staff_client.post(
        admin_url(Room, "add"), {"meeting": programme.meeting.pk, "name": "Aula", "position": "3"}
    )

    assert response.context["adminform"].form.errors["__all__"] == [
        "This meeting already has a room of this name."
    ]
    assert programme.meeting.rooms.count() == 2


def test_the_meeting_page_links_to_its_unscheduled_talks(staff_client, programme):
    PresentationFactory(meeting=programme.meeting, paper=programme.works[0])
    page = staff_client.get(admin_url(type(programme.meeting), "change", programme.meeting.pk))
    link = (
        f"{admin_url(Presentation, 'changelist')}?meeting__id__exact={programme.meeting.pk}"
        "&session__isnull=True"
    )
    assert "0 sessions, 1 talk (1 not in a session" in page.content.decode()
    assert f'href="{link.replace("&", "&amp;")}"' in page.content.decode()

    listing = staff_client.get(link)

    assert listing.status_code == 200
    assert "Co-production case 1" in listing.content.decode()


def test_what_only_the_services_refuse_comes_back_as_a_form_error_with_nothing_saved(
    staff_client, programme, saved_session
):
    # A work that is already an unscheduled talk of the meeting, chosen for a stored row:
    # the form checks new rows only, the service every row.
    other_work = PresentationFactory(meeting=programme.meeting).paper
    author = AuthorshipFactory(paper=other_work, position=1).person
    url = admin_url(Session, "change", saved_session.pk)
    data = form_data(staff_client.get(url), title="Renamed", **{"talks-0-paper": other_work.pk})
    data["talks-0-presenters"] = [author.pk]

    response = staff_client.post(url, data)

    assert response.status_code == 200
    errors = errors_of(response)["__all__"]
    assert f"Talk 1 (“{other_work}”): This work is already in the programme of this meeting." in (
        errors
    )
    saved_session.refresh_from_db()
    assert saved_session.title == "Co-creation in health care"
    assert talk_order(saved_session)[0] == "Co-production case 1"


def test_the_room_choices_are_the_meetings(staff_client, programme):
    other_room = Room.objects.create(
        meeting=PresentationFactory().meeting, name="Elsewhere hall", position=1
    )
    page = staff_client.get(ADD_SESSION, {"meeting": programme.meeting.pk}).content.decode()
    assert ">Room B.02</option>" in page
    assert str(other_room) not in page


def talk_page(staff_client, talk):
    url = admin_url(Presentation, "change", talk.pk)
    return url, staff_client.get(url)


def discussants_of(talk):
    return list(
        talk.discussant_roles.order_by("position").values_list(
            "person__family_name", "affiliation__name"
        )
    )


def test_the_talk_page_sets_a_discussant_s_institution_at_the_time(
    staff_client, programme, saved_session
):
    talk = Presentation.objects.get(paper=programme.works[1])
    assert discussants_of(talk) == [("Steen", "KU Leuven")]  # from her affiliations
    visiting = InstitutionFactory(name="Erasmus University Rotterdam")
    url, page = talk_page(staff_client, talk)

    response = staff_client.post(
        url, form_data(page, **{"discussant_roles-0-affiliation": visiting.pk})
    )

    assert response.status_code == 302, errors_of(response)
    assert discussants_of(talk) == [("Steen", "Erasmus University Rotterdam")]


def test_the_talk_page_adds_a_discussant_with_the_institution_their_affiliations_give(
    staff_client, programme, saved_session
):
    talk = Presentation.objects.get(paper=programme.works[0])
    url, page = talk_page(staff_client, talk)
    row = {
        "discussant_roles-TOTAL_FORMS": "1",
        "discussant_roles-0-position": "",
        "discussant_roles-0-person": programme.discussant.pk,
        "discussant_roles-0-affiliation": "",
    }

    response = staff_client.post(url, form_data(page, **row))

    assert response.status_code == 302, errors_of(response)
    assert discussants_of(talk) == [("Steen", "KU Leuven")]


def test_the_talk_page_refuses_an_author_as_discussant_and_changes_nothing(
    staff_client, programme, saved_session
):
    talk = Presentation.objects.get(paper=programme.works[1])
    author = programme.authors[programme.works[1].pk][1].person
    url, page = talk_page(staff_client, talk)
    rows = {
        "discussant_roles-TOTAL_FORMS": "2",
        "discussant_roles-1-position": "2",
        "discussant_roles-1-person": author.pk,
        "discussant_roles-1-affiliation": "",
    }

    response = staff_client.post(url, form_data(page, **rows))

    assert response.status_code == 200
    assert any(str(author) in message for message in errors_of(response)["__all__"])
    assert discussants_of(talk) == [("Steen", "KU Leuven")]


def test_saving_a_session_keeps_the_printed_names_of_its_chairs_and_discussants(
    staff_client, programme, saved_session
):
    SessionChairFactory(session=saved_session, person=programme.chair, printed_name="M. Hoppen")
    Discussant.objects.update(printed_name="T. Steen")
    url = admin_url(Session, "change", saved_session.pk)

    response = staff_client.post(url, form_data(staff_client.get(url), title="Renamed panel"))

    assert response.status_code == 302, errors_of(response)
    assert list(SessionChair.objects.values_list("printed_name", flat=True)) == ["M. Hoppen"]
    assert list(Discussant.objects.values_list("printed_name", flat=True)) == ["T. Steen"]
