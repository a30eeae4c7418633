"""Nothing entered is lost: every edit is kept with who made it, and can be restored."""

import pytest
from django.core.exceptions import ValidationError

from conference.meetings.models import Meeting
from papers.models import Authorship, Paper
from papers.services import restore_paper_authors
from people.models import Person
from tests.factories.conference import TopicFactory
from tests.factories.papers import AuthorshipFactory, PaperFactory, PresentationFactory
from tests.factories.people import InstitutionFactory, PersonFactory
from tests.trust.admin_forms import admin_url, form_data

MEETING = "coproduction-2023-nijmegen"
PAPER = "sustainability-and-co-creation-in-public-sector-organisations"


def edit_in_admin(client, record, **changes):
    url = admin_url(type(record), "change", record.pk)
    response = client.post(url, form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    return response


def revert_in_admin(client, record, version):
    url = admin_url(type(record), "simple_history", record.pk, version.history_id)
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, form_data(page))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return client.get(response.url)


def test_meeting_edit_is_listed_in_its_history_with_the_organizer(staff_client, demo_history):
    meeting = Meeting.objects.get(slug=MEETING)
    edit_in_admin(staff_client, meeting, venue="Aula, Radboud University")

    page = staff_client.get(admin_url(Meeting, "history", meeting.pk)).content.decode()
    assert "organizer" in page
    assert "Changed" in page
    assert "<strong>Venue:</strong>" in page
    assert "Aula, Radboud University" in page
    latest = meeting.history.first()
    assert (latest.history_user, latest.history_type, latest.venue) == (
        staff_client.user,
        "~",
        "Aula, Radboud University",
    )


def test_meeting_earlier_version_is_restored_from_the_admin(staff_client, demo_history):
    meeting = Meeting.objects.get(slug=MEETING)
    original_title, original_city = meeting.title, meeting.city
    edit_in_admin(staff_client, meeting, venue="First change")
    first_version = meeting.history.first()
    edit_in_admin(staff_client, meeting, title="A wrong title", city="Leuven")
    assert (meeting.title, meeting.city) == ("A wrong title", "Leuven")

    page = revert_in_admin(staff_client, meeting, first_version)

    meeting.refresh_from_db()
    assert (meeting.title, meeting.city, meeting.venue) == (
        original_title,
        original_city,
        "First change",
    )
    assert "was changed successfully" in page.content.decode()
    assert meeting.history.first().title == original_title  # the revert is itself an edit


def test_person_earlier_version_is_restored_from_the_admin(staff_client, demo_history):
    person = Person.objects.get(slug="noella-edelmann")
    edit_in_admin(staff_client, person, website="https://example.org/noella")
    good = person.history.first()
    edit_in_admin(staff_client, person, family_name="Edelman", website="")

    revert_in_admin(staff_client, person, good)

    person.refresh_from_db()
    assert (person.family_name, person.website) == ("Edelmann", "https://example.org/noella")


def authors_of(paper):
    return list(paper.authorships.order_by("position").values_list("person__slug", "position"))


def test_paper_revert_restores_author_order_and_topics(staff_client, demo_history):
    paper = Paper.objects.get(slug=PAPER)
    topic = TopicFactory(name="Public value")
    edit_in_admin(staff_client, paper, topics=[topic.pk], abstract="Version one.")
    version_one = paper.history.filter(abstract="Version one.").first()
    authors_then = authors_of(paper)
    assert len(authors_then) >= 2

    # Reverse the author order and drop the topic, as a careless edit would.
    url = admin_url(Paper, "change", paper.pk)
    data = form_data(staff_client.get(url), topics=[], abstract="Version two.")
    count = len(authors_then)
    for index in range(count):
        data[f"authorships-{index}-position"] = str(count - index)
    assert staff_client.post(url, data).status_code == 302
    assert authors_of(paper) != authors_then
    assert paper.topics.count() == 0

    page = revert_in_admin(staff_client, paper, version_one)

    paper.refresh_from_db()
    assert paper.abstract == "Version one."
    assert list(paper.topics.all()) == [topic]
    assert authors_of(paper) == authors_then
    assert "Authors restored in their earlier order" in page.content.decode()


@pytest.mark.django_db
def test_restore_paper_authors_brings_back_order_affiliations_and_removed_authors():
    paper = PaperFactory()
    first, second, third = PersonFactory.create_batch(3)
    institution = InstitutionFactory()
    AuthorshipFactory(paper=paper, person=first, position=1, affiliation=institution)
    AuthorshipFactory(paper=paper, person=second, position=2, affiliation=None)
    as_of = paper.authorships.get(person=second).history.first().history_date

    first_row = paper.authorships.get(person=first)
    first_row.delete()
    moved = paper.authorships.get(person=second)
    moved.position = 1
    moved.save()
    AuthorshipFactory(paper=paper, person=third, position=2)

    restore_paper_authors(paper=paper, as_of=as_of)

    assert list(
        paper.authorships.order_by("position").values_list("person", "position", "affiliation")
    ) == [(first.pk, 1, institution.pk), (second.pk, 2, None)]


@pytest.mark.django_db
def test_restore_paper_authors_refuses_to_drop_a_presenter():
    paper = PaperFactory()
    author = AuthorshipFactory(paper=paper, position=1)
    as_of = author.history.first().history_date
    newcomer = AuthorshipFactory(paper=paper, position=2)
    presentation = PresentationFactory(paper=paper)
    presentation.presenters.create(authorship=newcomer, position=1)

    with pytest.raises(ValidationError) as error:
        restore_paper_authors(paper=paper, as_of=as_of)

    assert "presented this work" in str(error.value)
    assert paper.authorships.count() == 2


def test_deleted_person_is_recovered_from_history(staff_client, demo_history):
    person = PersonFactory(given_name="Zoë", family_name="Hoppen-Deleted")
    pk = person.pk
    delete_url = admin_url(Person, "delete", pk)
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Person.objects.filter(pk=pk).exists()

    history_page = staff_client.get(admin_url(Person, "history", pk))
    assert history_page.status_code == 200
    assert "Deleted" in history_page.content.decode()
    last_version = Person.history.filter(id=pk, history_type="~").first() or Person.history.get(
        id=pk, history_type="+"
    )
    url = admin_url(Person, "simple_history", pk, last_version.history_id)
    response = staff_client.post(url, form_data(staff_client.get(url)))

    assert response.status_code == 302
    recovered = Person.objects.get(pk=pk)
    assert (recovered.given_name, recovered.family_name) == ("Zoë", "Hoppen-Deleted")


def test_deleted_paper_is_recovered_with_its_authors(staff_client, demo_history):
    paper = PaperFactory(title="A work deleted by mistake")
    people = PersonFactory.create_batch(2)
    for position, person in enumerate(people, start=1):
        AuthorshipFactory(paper=paper, person=person, position=position)
    pk = paper.pk
    assert staff_client.post(admin_url(Paper, "delete", pk), {"post": "yes"}).status_code == 302
    assert not Authorship.objects.filter(paper_id=pk).exists()

    version = Paper.history.filter(id=pk).exclude(history_type="-").first()
    url = admin_url(Paper, "simple_history", pk, version.history_id)
    assert staff_client.post(url, form_data(staff_client.get(url))).status_code == 302

    paper = Paper.objects.get(pk=pk)
    assert authors_of(paper) == [(people[0].slug, 1), (people[1].slug, 2)]
