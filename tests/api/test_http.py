"""HTTP behaviour shared by every endpoint: conditional requests, throttling, page sizes."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection

from conference.meetings.api.views import TopicViewSet
from people.models import Institution
from tests.factories.people import InstitutionFactory

pytestmark = pytest.mark.django_db

MEETING = "/api/meetings/coproduction-2023-nijmegen/"


@pytest.mark.parametrize("url", [MEETING, "/api/meetings/", "/api/people/trui-steen/"])
def test_matching_if_none_match_answers_304_without_body(api_client, demo_data, url):
    first = api_client.get(url)
    etag = first["ETag"]

    again = api_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert etag.startswith('"') and etag.endswith('"')
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_detail_carries_last_modified_from_updated_at(api_client, demo_data):
    response = api_client.get("/api/institutions/klu/")

    klu = Institution.objects.get(slug="klu")
    assert response["Last-Modified"] == klu.updated_at.strftime("%a, %d %b %Y %H:%M:%S GMT")


def test_stale_etag_gets_the_new_representation(api_client, organizer_client, demo_data):
    etag = api_client.get(MEETING)["ETag"]

    organizer_client.patch(MEETING, {"venue": "Radboud University, Lindenberg"}, format="json")
    response = api_client.get(MEETING, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["venue"] == "Radboud University, Lindenberg"


def test_changing_a_presenters_institution_changes_the_meeting_etag(
    api_client, organizer_client, demo_data
):
    """The tag follows the whole response, not only the meeting row."""
    etag = api_client.get(MEETING)["ETag"]

    organizer_client.patch("/api/institutions/klu/", {"short_name": "KU Leuven"}, format="json")

    assert api_client.get(MEETING, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_anonymous_clients_are_throttled_with_retry_after(api_client, settings, db):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "5/minute"},
    }
    cache.clear()

    statuses = [api_client.get("/api/topics/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    response = api_client.get("/api/topics/")
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


def test_authenticated_clients_have_their_own_rate(organizer_client, settings, db):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "3/minute"},
    }
    cache.clear()

    statuses = [organizer_client.get("/api/topics/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


@pytest.mark.parametrize("page_size", ["101", "0", "-3", "ten"])
def test_page_size_out_of_bounds_answers_400(api_client, db, page_size):
    InstitutionFactory()

    response = api_client.get(f"/api/institutions/?page_size={page_size}")

    assert response.status_code == 400
    assert response.json() == {
        "page_size": [f"“{page_size}” is not a valid page size: use a whole number from 1 to 100."]
    }


def test_page_size_at_the_maximum_is_accepted(api_client, db):
    InstitutionFactory.create_batch(3)

    response = api_client.get("/api/institutions/?page_size=100")

    assert response.status_code == 200
    assert response.json()["count"] == 3


def database_down():
    """Every query fails as it does when PostgreSQL is stopped."""
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    return mock.patch.object(connection, "cursor", side_effect=refused)


@pytest.mark.parametrize("url", ["/api/topics/", "/api/papers/", "/api/meetings/nope/"])
def test_an_api_request_while_the_database_is_down_answers_json(api_client, db, url):
    api_client.raise_request_exception = False
    with database_down():
        response = api_client.get(url)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The archive's database is not answering. Try again in a minute."
    }
    assert response["Retry-After"] == "60"


def test_an_api_server_error_answers_json(api_client, db, monkeypatch):
    api_client.raise_request_exception = False
    monkeypatch.setattr(TopicViewSet, "list", lambda *args, **kwargs: 1 / 0)

    response = api_client.get("/api/topics/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The server failed to answer this request. It has been logged; try again later."
    }


def test_requests_the_server_failed_do_not_use_up_the_rate_limit(api_client, settings, db):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "5/minute"},
    }
    cache.clear()
    api_client.raise_request_exception = False
    with database_down():
        failed = [api_client.get("/api/topics/").status_code for _ in range(3)]

    statuses = [api_client.get("/api/topics/").status_code for _ in range(3)]

    assert all(status >= 500 for status in failed)
    assert statuses == [200, 200, 429]
