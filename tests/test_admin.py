"""Organizers work in the admin: every page renders, bad input comes back as form errors."""

import html

import pytest
from django.contrib import admin
from django.urls import reverse

from conference.meetings.models import Meeting, Room, Session
from papers.models import Authorship, Paper
from people.models import Person, RecordMerge
from people.services import merge_records
from tests.factories.conference import MeetingFactory, SeriesFactory
from tests.factories.papers import (
    AuthorshipFactory,
    PaperFactory,
    PresentationFactory,
    PresenterFactory,
)
from tests.factories.people import InstitutionFactory, PersonFactory
from tests.trust.admin_forms import form_data

REGISTERED_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
# Written only by the app (a merge records itself), listed and reverted in the admin.
MADE_BY_THE_APP = {RecordMerge}
OUR_MODELS = [
    m
    for m in REGISTERED_MODELS
    if m._meta.app_label in {"conference", "people", "papers"} and m not in MADE_BY_THE_APP
]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def management_form(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_admin_changelist_and_add_pages_render(staff_client, demo_data, model):
    assert staff_client.get(admin_url(model, "changelist")).status_code == 200
    expected = 403 if model in MADE_BY_THE_APP else 200
    assert staff_client.get(admin_url(model, "add")).status_code == expected


def test_admin_change_page_renders_for_a_merge(staff_client, demo_data):
    merge = merge_records(
        survivor=Person.objects.get(slug="trui-steen"),
        merged=PersonFactory(given_name="T.", family_name="Steen"),
    )
    response = staff_client.get(admin_url(RecordMerge, "change", merge.pk))
    assert response.status_code == 200
    assert "T. Steen merged into Trui Steen" in response.content.decode()


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda model: model._meta.label)
def test_admin_change_page_renders_for_a_demo_record(staff_client, demo_data, model):
    # The demo's programme has no rooms and sessions (the seed gives none): add one each.
    meeting = Meeting.objects.get()
    room = Room.objects.create(meeting=meeting, name="Aula", position=1)
    Session.objects.create(meeting=meeting, title="Co-creation", day=meeting.start_date, room=room)
    record = model._default_manager.order_by("pk").first()
    response = staff_client.get(admin_url(model, "change", record.pk))
    assert response.status_code == 200
    assert str(record) in response.content.decode()


def test_admin_changelist_filters_papers_by_meeting_and_institution(staff_client, demo_data):
    meeting = Meeting.objects.get()
    MeetingFactory()  # the admin shows a filter only when there is a choice to make
    response = staff_client.get(
        admin_url(Paper, "changelist"), {"presentations__meeting__id__exact": meeting.pk}
    )
    content = response.content.decode()
    assert "Sustainability and Co-creation in Public Sector Organisations" in content
    assert "The Impact of Sustainability on Co-Creation" not in content


def test_admin_search_finds_people_by_family_name(staff_client, demo_data):
    response = staff_client.get(admin_url(Person, "changelist"), {"q": "Hoppen"})
    assert "Menno" in response.content.decode()
    assert "Noella" not in response.content.decode()


def test_admin_autocomplete_offers_institutions_by_short_name(staff_client, demo_data):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "KLU",
            "app_label": "papers",
            "model_name": "authorship",
            "field_name": "affiliation",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == ["KU Leuven (KLU)"]


@pytest.mark.django_db
def test_admin_rejects_meeting_that_ends_before_it_starts(staff_client):
    series = SeriesFactory()
    data = {
        "series": series.pk,
        "kind": "open meeting",
        "start_date": "2023-05-12",
        "end_date": "2023-05-11",
        "is_open": "on",
    }
    for prefix in ("meeting_topics", "committee", "supports", "rooms"):
        data.update(management_form(prefix))
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert "The meeting cannot end before it starts." in response.content.decode()
    assert Meeting.objects.count() == 0


@pytest.mark.django_db
def test_admin_rejects_person_with_bad_orcid(staff_client):
    data = {"given_name": "Noella", "family_name": "Edelmann", "orcid": "0000-0002-1825-0098"}
    data.update(management_form("affiliations"))
    response = staff_client.post(admin_url(Person, "add"), data)
    assert response.status_code == 200
    assert "its check digit does not match" in response.content.decode()
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_admin_rejects_two_authors_at_the_same_position(staff_client):
    people = PersonFactory.create_batch(2)
    institution = InstitutionFactory()
    data = {"title": "A paper", "kind": "conference_paper", "year": "2023"}
    data.update(management_form("authorships", total=2))
    data.update(management_form("relations_out"))
    for index, person in enumerate(people):
        data.update(
            {
                f"authorships-{index}-position": "1",
                f"authorships-{index}-person": person.pk,
                f"authorships-{index}-affiliation": institution.pk,
            }
        )
    response = staff_client.post(admin_url(Paper, "add"), data)
    assert response.status_code == 200
    assert "Two authors have position 1: give each author their own position" in (
        response.content.decode()
    )
    assert Paper.objects.count() == 0
    assert Authorship.objects.count() == 0


@pytest.mark.django_db
def test_admin_saves_a_paper_with_ordered_authors(staff_client):
    first, second = PersonFactory.create_batch(2)
    data = {
        "title": "Co-production at scale",
        "kind": "journal_article",
        "year": "2024",
        "doi": "doi:10.1234/ABC.5",
    }
    data.update(management_form("authorships", total=2))
    data.update(management_form("relations_out"))
    for index, (person, position) in enumerate([(second, 2), (first, 1)]):
        data.update(
            {
                f"authorships-{index}-role": "author",
                f"authorships-{index}-position": position,
                f"authorships-{index}-person": person.pk,
            }
        )
    response = staff_client.post(admin_url(Paper, "add"), data)
    assert response.status_code == 302
    paper = Paper.objects.get()
    assert paper.doi == "10.1234/abc.5"
    assert [a.person for a in paper.authorships.order_by("position")] == [first, second]


@pytest.mark.django_db
def test_admin_delete_of_a_referenced_institution_explains_why_it_cannot(staff_client):
    authorship = AuthorshipFactory()
    response = staff_client.get(
        admin_url(type(authorship.affiliation), "delete", authorship.affiliation.pk)
    )
    content = response.content.decode()
    assert "would require deleting the following protected related objects" in content


@pytest.mark.django_db
def test_admin_pages_need_a_staff_login(client):
    MeetingFactory()
    response = client.get(admin_url(Meeting, "changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_presenter_choices_are_limited_to_the_works_authors(staff_client):
    presentation = PresentationFactory(paper=PaperFactory())
    author = AuthorshipFactory(paper=presentation.paper)
    stranger = AuthorshipFactory()
    response = staff_client.get(admin_url(type(presentation), "change", presentation.pk))
    content = response.content.decode()
    assert str(author.person) in content
    assert str(stranger.person) not in content


@pytest.mark.django_db
def test_admin_refuses_to_remove_an_author_who_presented_the_work(staff_client):
    presenter = PresenterFactory()
    paper, person = presenter.presentation.paper, presenter.authorship.person
    url = admin_url(Paper, "change", paper.pk)
    data = form_data(staff_client.get(url), title="Renamed")
    data["authorships-0-DELETE"] = "on"

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert (
        f"{person} presented this work at {presenter.presentation.meeting}: remove them from "
        "that presentation's presenters before removing them as an author."
    ) in html.unescape(response.content.decode())
    paper.refresh_from_db()
    assert paper.title != "Renamed"
    assert list(paper.authorships.values_list("person", flat=True)) == [person.pk]
