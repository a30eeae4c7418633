"""Two organizers saving the same record do not silently overwrite each other."""

import pytest
from django.test import Client

from conference.meetings.models import Meeting
from papers.models import Paper
from people.models import Person
from tests.trust.admin_forms import admin_url, form_data

MEETING = "coproduction-2023-nijmegen"
PAPER = "sustainability-and-co-creation-in-public-sector-organisations"


@pytest.fixture
def second_organizer(django_user_model):
    user = django_user_model.objects.create_superuser(
        username="second-organizer", email="second@example.org", password="another-horse-battery-7"
    )
    client = Client()
    client.force_login(user)
    return client


CASES = [
    (Meeting, MEETING, "venue", "meeting"),
    (Paper, PAPER, "abstract", "paper"),
    (Person, "trui-steen", "website", "person"),
]
NEW_VALUES = {
    "venue": ("Aula", "Huize Heyendael"),
    "abstract": ("First organizer's abstract.", "Second organizer's abstract."),
    "website": ("https://example.org/first", "https://example.org/second"),
}


@pytest.mark.parametrize(("model", "slug", "field", "name"), CASES, ids=lambda c: str(c))
def test_stale_admin_save_is_refused_and_changes_nothing(
    staff_client, second_organizer, demo_data, model, slug, field, name
):
    record = model.objects.get(slug=slug)
    url = admin_url(model, "change", record.pk)
    first_value, second_value = NEW_VALUES[field]
    first_form = staff_client.get(url)
    second_form = second_organizer.get(url)

    assert staff_client.post(url, form_data(first_form, **{field: first_value})).status_code == 302
    response = second_organizer.post(url, form_data(second_form, **{field: second_value}))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"This {name} was changed by someone else since you opened it" in page
    assert "by organizer" in page
    assert "Nothing was saved: reload the page to see their changes" in page
    record.refresh_from_db()
    assert getattr(record, field) == first_value
    assert record.history.filter(**{field: second_value}).count() == 0


def test_save_after_reloading_goes_through(staff_client, second_organizer, demo_data):
    meeting = Meeting.objects.get(slug=MEETING)
    url = admin_url(Meeting, "change", meeting.pk)
    stale = second_organizer.get(url)
    assert staff_client.post(url, form_data(staff_client.get(url), venue="Aula")).status_code == 302
    assert second_organizer.post(url, form_data(stale, venue="Elsewhere")).status_code == 200

    reloaded = second_organizer.get(url)
    assert second_organizer.post(url, form_data(reloaded, venue="Elsewhere")).status_code == 302
    meeting.refresh_from_db()
    assert meeting.venue == "Elsewhere"


def test_change_form_without_the_seen_version_is_refused(staff_client, demo_data):
    person = Person.objects.get(slug="trui-steen")
    url = admin_url(Person, "change", person.pk)
    data = form_data(staff_client.get(url), website="https://example.org/x")
    del data["seen_updated_at"]

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    person.refresh_from_db()
    assert person.website != "https://example.org/x"


def test_change_form_carries_the_stored_version(staff_client, demo_data):
    meeting = Meeting.objects.get(slug=MEETING)
    page = staff_client.get(admin_url(Meeting, "change", meeting.pk)).content.decode()
    assert (
        f'<input type="hidden" name="seen_updated_at" value="{meeting.updated_at.isoformat()}"'
        in page
    )
