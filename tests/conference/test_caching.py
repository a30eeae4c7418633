"""Anonymous pages are cached, and an edit is visible on the very next request."""

import pytest
from django.core.cache import cache
from django.db import transaction

from conference.core.etags import etag_for
from conference.meetings.models import Meeting
from conference.site import caching
from conference.site.caching import bump_data_version, data_version, local_pages
from papers.models import Paper
from tests.factories.conference import TopicFactory

MEETING_URL = "/meetings/coproduction-2023-nijmegen/"
API_MEETING_URL = "/api/meetings/coproduction-2023-nijmegen/"


@pytest.fixture
def demo_data(transactional_db):
    """The demo data, committed: writes in these tests commit, so on-commit hooks run."""
    from django.core.management import call_command

    call_command("loaddata", "demo", verbosity=0)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    cache.clear()
    local_pages.clear()
    yield
    cache.clear()
    local_pages.clear()


def test_second_anonymous_request_is_served_from_the_cache(
    client, demo_data, django_assert_num_queries
):
    first = client.get(MEETING_URL)
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(MEETING_URL)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_an_edit_is_visible_on_the_very_next_request(client, demo_data):
    assert "Nijmegen" in client.get(MEETING_URL).content.decode()
    meeting = Meeting.objects.get()
    meeting.venue = "Berchmanianum, Radboud University"
    meeting.save()
    response = client.get(MEETING_URL)
    assert response["X-Cache"] == "miss"
    assert "Berchmanianum, Radboud University" in response.content.decode()


def test_an_api_read_sees_an_edit_of_a_related_record_at_once(client, demo_data):
    client.get(API_MEETING_URL)
    paper = Paper.objects.get(slug="sustainability-and-co-creation-in-public-sector-organisations")
    paper.title = "A retitled paper"
    paper.save()
    assert "A retitled paper" in client.get(API_MEETING_URL).content.decode()


def test_many_to_many_changes_bump_the_version(demo_data):
    before = data_version()
    paper = Paper.objects.first()
    paper.topics.clear()
    assert data_version() > before


def test_a_rolled_back_write_does_not_bump_the_version(transactional_db):
    before = data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        TopicFactory()
        raise RuntimeError("rolled back")
    assert data_version() == before


def test_if_none_match_answers_304(client, demo_data):
    etag = client.get(MEETING_URL)["ETag"]
    assert client.get(MEETING_URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    bump_data_version()
    assert client.get(MEETING_URL, HTTP_IF_NONE_MATCH=etag).status_code == 304  # same content
    meeting = Meeting.objects.get()
    meeting.city = "Arnhem"
    meeting.save()
    assert client.get(MEETING_URL, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_page_has_one_etag_whether_cached_or_not(client, demo_data, settings):
    cached = client.get(MEETING_URL)
    assert cached["X-Cache"] == "miss"
    assert cached["ETag"] == etag_for(cached.content, cached["Content-Type"])
    settings.PAGE_CACHE = False
    live = client.get(MEETING_URL)
    assert "X-Cache" not in live
    assert live["ETag"] == cached["ETag"]
    assert client.get(MEETING_URL, HTTP_IF_NONE_MATCH=cached["ETag"]).status_code == 304


def test_staff_see_live_pages(demo_data, staff_client):
    assert "X-Cache" not in staff_client.get(MEETING_URL)
    assert "X-Cache" not in staff_client.get(MEETING_URL)


def test_api_clients_with_credentials_are_not_served_from_the_cache(client, demo_data):
    response = client.get(API_MEETING_URL, HTTP_AUTHORIZATION="Token nonsense")
    assert "X-Cache" not in response


def test_each_accept_type_is_cached_apart(client, demo_data):
    html = client.get("/api/meetings/", HTTP_ACCEPT="text/html")
    json_response = client.get("/api/meetings/", HTTP_ACCEPT="application/json")
    assert html["Content-Type"].startswith("text/html")
    assert json_response["Content-Type"].startswith("application/json")


def test_page_cache_can_be_switched_off(client, demo_data, settings):
    settings.PAGE_CACHE = False
    client.get(MEETING_URL)
    assert "X-Cache" not in client.get(MEETING_URL)


def test_a_hit_reads_only_the_data_version_from_the_shared_cache(client, demo_data, monkeypatch):
    client.get(MEETING_URL)
    shared_reads = []
    read = cache.get

    def recording_read(key, *args, **kwargs):
        shared_reads.append(key)
        return read(key, *args, **kwargs)

    monkeypatch.setattr(caching.cache, "get", recording_read)

    second = client.get(MEETING_URL)

    assert second["X-Cache"] == "hit"
    assert shared_reads == [caching.DATA_VERSION_KEY]


def test_pages_held_in_memory_are_not_served_after_the_shared_cache_is_emptied(client, demo_data):
    cache.clear()  # a fresh Redis: the data version starts now
    assert "Nijmegen" in client.get(MEETING_URL).content.decode()
    # A change that sends no signal, then a Redis restart: the version starts again.
    Meeting.objects.update(city="Arnhem")
    cache.clear()

    response = client.get(MEETING_URL)

    assert response["X-Cache"] == "miss"
    assert "Arnhem" in response.content.decode()


def test_pages_larger_than_the_memory_budget_come_from_the_shared_cache(
    client, demo_data, settings
):
    settings.PAGE_CACHE_LOCAL_BYTES = 1000
    first = client.get(MEETING_URL)
    assert len(first.content) > 1000

    second = client.get(MEETING_URL)

    assert second["X-Cache"] == "hit"
    assert second.content == first.content


def test_junk_query_parameters_add_no_cache_entries(client, demo_data, redis_link):
    for path in (MEETING_URL, "/api/papers/?page_size=5", "/search/?q=co-creation"):
        client.get(path)
    keys_before = redis_link.redis.dbsize()

    for number in range(20):
        client.get(f"{MEETING_URL}?z={number}")
        client.get(f"/api/papers/?z={number}&page_size=5")
        client.get(f"/search/?utm_source={number}&q=co-creation")

    assert redis_link.redis.dbsize() == keys_before


def test_junk_query_parameters_are_served_the_clean_page(client, demo_data):
    clean = client.get("/api/papers/?page_size=1")

    junk = client.get("/api/papers/?z=1&page_size=1")

    assert junk["X-Cache"] == "hit"
    assert junk.content == clean.content
    assert "z=1" not in junk.json()["next"]


def test_query_parameters_are_keyed_in_any_order(client, demo_data):
    first = client.get("/api/papers/?page_size=1&page=2")

    second = client.get("/api/papers/?page=2&page_size=1")

    assert second["X-Cache"] == "hit"
    assert second.content == first.content


def test_each_value_of_a_parameter_the_page_reads_is_cached_apart(client, demo_data):
    one = client.get("/api/papers/?page_size=1")
    two = client.get("/api/papers/?page_size=2")

    assert two["X-Cache"] == "miss"
    assert len(one.json()["results"]) == 1
    assert len(two.json()["results"]) == 2


def test_a_page_cached_for_one_host_and_scheme_is_not_served_to_another(client, demo_data):
    secure = client.get(API_MEETING_URL, secure=True, HTTP_HOST="localhost")
    assert "https://localhost/api/" in secure.content.decode()

    plain = client.get(API_MEETING_URL, HTTP_HOST="127.0.0.1")

    assert plain["X-Cache"] == "miss"
    assert "https://localhost/" not in plain.content.decode()
    assert "http://127.0.0.1/api/" in plain.content.decode()


@pytest.mark.parametrize("url", [MEETING_URL, API_MEETING_URL, "/sitemap.xml"])
def test_a_page_from_the_cache_has_every_header_of_a_fresh_one(client, demo_data, url):
    fresh = client.get(url)
    cached = client.get(url)

    assert (fresh["X-Cache"], cached["X-Cache"]) == ("miss", "hit")
    headers = {name: value for name, value in fresh.items() if name != "X-Cache"}
    assert {name: value for name, value in cached.items() if name != "X-Cache"} == headers
    assert cached["X-Frame-Options"] == "DENY"
    assert "Cookie" in cached["Vary"]
