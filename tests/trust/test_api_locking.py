"""API writes with If-Match: a stale PUT, PATCH or DELETE is answered 412 and changes nothing."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conference.meetings.models import Meeting
from papers.models import Paper
from people.models import Person

MEETING = "/api/meetings/coproduction-2023-nijmegen/"
PAPER = "/api/papers/sustainability-and-co-creation-in-public-sector-organisations/"
PERSON = "/api/people/trui-steen/"


@pytest.fixture
def organizer_client(django_user_model, settings):
    settings.PAGE_CACHE = False
    user = django_user_model.objects.create_user(username="ines", password="not-used-9x!")
    user.groups.add(Group.objects.get(name="Organizers"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


CASES = [
    (MEETING, Meeting, "coproduction-2023-nijmegen", {"venue": "Aula"}, {"venue": "Elsewhere"}),
    (
        PAPER,
        Paper,
        "sustainability-and-co-creation-in-public-sector-organisations",
        {"abstract": "First."},
        {"abstract": "Second."},
    ),
    (
        PERSON,
        Person,
        "trui-steen",
        {"website": "https://a.example"},
        {"website": "https://b.example"},
    ),
]


@pytest.mark.parametrize(
    ("url", "model", "slug", "first", "second"), CASES, ids=["meeting", "paper", "person"]
)
def test_patch_with_a_stale_etag_is_refused_with_412(
    organizer_client, demo_data, url, model, slug, first, second
):
    etag = organizer_client.get(url)["ETag"]
    applied = organizer_client.patch(url, first, format="json", HTTP_IF_MATCH=etag)
    assert applied.status_code == 200, applied.json()
    before = model.objects.get(slug=slug).updated_at

    stale = organizer_client.patch(url, second, format="json", HTTP_IF_MATCH=etag)

    assert stale.status_code == 412
    assert stale.json()["detail"].startswith("This record was changed since you read it")
    assert stale["ETag"] == organizer_client.get(url)["ETag"] != etag
    record = model.objects.get(slug=slug)
    assert record.updated_at == before
    ((field, value),) = first.items()
    assert getattr(record, field) == value


def test_put_with_the_current_etag_goes_through(organizer_client, demo_data):
    current = organizer_client.get(PERSON)
    body = {
        "given_name": "Trui",
        "family_name": "Steen",
        "orcid": current.json().get("orcid") or "",
        "website": "https://example.org/trui",
    }
    response = organizer_client.put(PERSON, body, format="json", HTTP_IF_MATCH=current["ETag"])
    assert response.status_code == 200, response.json()
    assert Person.objects.get(slug="trui-steen").website == "https://example.org/trui"


def test_if_match_star_and_no_if_match_keep_working(organizer_client, demo_data):
    assert (
        organizer_client.patch(
            MEETING, {"venue": "A"}, format="json", HTTP_IF_MATCH="*"
        ).status_code
        == 200
    )
    assert organizer_client.patch(MEETING, {"venue": "B"}, format="json").status_code == 200
    assert Meeting.objects.get().venue == "B"


def test_delete_with_a_stale_etag_is_refused_with_412_and_deletes_nothing(
    organizer_client, demo_data
):
    Person.objects.create(given_name="Zoë", family_name="Hoppen", slug="zoe-hoppen")
    url = "/api/people/zoe-hoppen/"
    stale_etag = organizer_client.get(url)["ETag"]
    organizer_client.patch(url, {"website": "https://example.org/zoe"}, format="json")
    people = Person.objects.count()

    stale = organizer_client.delete(url, HTTP_IF_MATCH=stale_etag)

    assert stale.status_code == 412
    assert stale.json() == {
        "detail": (
            "This record was changed since you read it (its ETag is no longer the one in "
            "If-Match). Nothing was changed: GET it again, then send your change with the "
            "new ETag."
        )
    }
    assert Person.objects.count() == people
    assert Person.objects.filter(slug="zoe-hoppen").exists()

    current = organizer_client.delete(url, HTTP_IF_MATCH=stale["ETag"])

    assert current.status_code == 204
    assert not Person.objects.filter(slug="zoe-hoppen").exists()
