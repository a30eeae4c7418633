"""With Redis cut, the site serves uncached pages; after it, nothing from before is served.

Redis here is the tests' own server behind a loopback proxy that the tests cut (conftest).
"""

import json
import logging
import time

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conference.meetings.models import Meeting, Topic
from tests.conference.conftest import RETRY_SECONDS
from tests.trust.admin_forms import admin_url, form_data

MEETING_URL = "/meetings/coproduction-2023-nijmegen/"
API_MEETING_URL = "/api/meetings/coproduction-2023-nijmegen/"
PUBLIC_URLS = [
    "/",
    MEETING_URL,
    API_MEETING_URL,
    "/api/papers/",
    "/papers/sustainability-and-co-creation-in-public-sector-organisations/",
    "/sitemap.xml",
]


@pytest.fixture
def demo_data(transactional_db):
    """The demo data, committed: writes in these tests commit, so on-commit hooks run."""
    call_command("loaddata", "demo", verbosity=0)


@pytest.fixture
def organizer_api(django_user_model):
    """A script writing with an organizer's token (a superuser: these tests flush the
    database, and with it the Organizers group that a migration creates)."""
    user = django_user_model.objects.create_superuser(username="ines", password="not-used-9x!")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def wait_for_retry():
    """Past the circuit breaker's pause: the next request asks Redis again."""
    time.sleep(RETRY_SECONDS + 0.1)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_answer_200_uncached_while_redis_is_cut(client, demo_data, redis_link, url):
    client.get(url)
    redis_link.cut()

    responses = [client.get(url) for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert all("X-Cache" not in response for response in responses)


def test_the_api_answers_while_redis_is_cut(demo_data, redis_link, organizer_api):
    redis_link.cut()

    assert APIClient().get("/api/topics/").status_code == 200
    assert organizer_api.get("/api/topics/").status_code == 200


def test_an_api_write_that_commits_while_redis_is_cut_answers_success(
    demo_data, redis_link, organizer_api
):
    redis_link.cut()

    response = organizer_api.patch(
        API_MEETING_URL, {"venue": "Berchmanianum, Radboud University"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["venue"] == "Berchmanianum, Radboud University"
    assert Meeting.objects.get().venue == "Berchmanianum, Radboud University"


def test_an_admin_save_while_redis_is_cut_is_reported_as_saved(demo_data, redis_link, staff_client):
    topic = Topic.objects.order_by("pk").first()
    url = admin_url(Topic, "change", topic.pk)
    data = form_data(staff_client.get(url), name="Co-creation in the public sector")
    redis_link.cut()

    response = staff_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert "was changed successfully" in response.content.decode()
    topic.refresh_from_db()
    assert topic.name == "Co-creation in the public sector"


def test_a_page_cached_before_the_cut_is_not_served_after_an_edit_during_it(
    client, demo_data, redis_link, organizer_api
):
    assert "Nijmegen" in client.get(MEETING_URL).content.decode()
    assert client.get(MEETING_URL)["X-Cache"] == "hit"
    redis_link.cut()
    organizer_api.patch(API_MEETING_URL, {"venue": "Berchmanianum"}, format="json")
    redis_link.restore()

    for _ in range(2):
        assert "Berchmanianum" in client.get(MEETING_URL).content.decode()
        wait_for_retry()
    assert "Berchmanianum" in client.get(MEETING_URL).content.decode()


def test_an_edit_elsewhere_during_the_cut_is_not_hidden_by_pages_from_before(
    client, demo_data, redis_link
):
    """Another server process saved during the cut and could not move the version: this
    process saw the cut, so it moves the version itself before serving from the cache."""
    client.get(MEETING_URL)
    assert client.get(MEETING_URL)["X-Cache"] == "hit"
    redis_link.cut()
    client.get(MEETING_URL)
    Meeting.objects.update(venue="Berchmanianum")  # no signal: the other process's write
    redis_link.restore()
    wait_for_retry()

    response = client.get(MEETING_URL)

    assert "Berchmanianum" in response.content.decode()
    assert client.get(MEETING_URL)["X-Cache"] == "hit"  # cached again, under a new version


def test_an_outage_is_logged_once_and_its_end_once(client, demo_data, redis_link, caplog):
    client.get(MEETING_URL)
    redis_link.cut()
    with caplog.at_level(logging.INFO, logger="conference.core.cache_backends"):
        for _ in range(3):
            for _ in range(5):
                assert client.get(MEETING_URL).status_code == 200
            wait_for_retry()
        redis_link.restore()
        wait_for_retry()
        for _ in range(5):
            client.get(MEETING_URL)

    messages = [(record.levelname, record.getMessage()) for record in caplog.records]
    assert [level for level, _message in messages] == ["WARNING", "WARNING"]
    assert "not answering" in messages[0][1]
    assert "answering again" in messages[1][1]


def test_a_cut_redis_is_asked_again_only_after_a_pause(client, demo_data, redis_link, settings):
    settings.CACHES = {"default": {**settings.CACHES["default"], "RETRY_SECONDS": 60}}
    client.get(MEETING_URL)
    redis_link.cut()
    refused_before = redis_link.refused

    for _ in range(20):
        client.get(MEETING_URL)

    assert redis_link.refused - refused_before <= 1


def test_readyz_says_when_the_cache_is_unavailable(client, demo_data, redis_link):
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready["Content-Type"] == "application/json"
    assert json.loads(ready.content) == {"database": "ok", "cache": "ok"}

    redis_link.cut()
    degraded = client.get("/readyz")

    assert degraded.status_code == 200
    assert json.loads(degraded.content) == {"database": "ok", "cache": "unavailable"}
    redis_link.restore()
    wait_for_retry()
    assert json.loads(client.get("/readyz").content) == {"database": "ok", "cache": "ok"}
