"""Reads from a real streaming replica, writes and fresh reads from the primary.

The clusters log every statement: a test sees which one ran a query of the archive's tables.
"""

import re
import secrets
import threading
import time
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg
import requests

from tests.deploy.conftest import PASSWORD, PIN_SECONDS

ARCHIVE_QUERY = re.compile(r'FROM "(conference|people|papers)_\w+"')
WORK = "edelmann-2023-impact-sustainability-co-creation"
API_READS = [
    "/api/meetings/",
    "/api/meetings/coproduction-2023-nijmegen/",
    "/api/papers/",
    f"/api/papers/{WORK}/",
    "/api/people/",
    "/api/institutions/",
    "/api/series/",
    "/api/topics/",
    "/api/projects/",
    "/api/presentations/",
]


def _uncached(path):
    """The path with a query string no request asked before: the page is built, not cached."""
    return f"{path}{'&' if '?' in path else '?'}fresh={secrets.token_hex(6)}"


def _locations(stack, path):
    """The paths a sitemap (or sitemap index) at ``path`` lists."""
    sitemap = requests.get(stack.url(0, path), timeout=30)
    assert sitemap.status_code == 200
    locations = ET.fromstring(sitemap.content).iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    )
    return [urlsplit(location.text).path for location in locations]


def _public_paths(stack):
    """Every page of the sitemap, every API list and detail above, search and exports."""
    pages = []
    # /sitemap.xml is an index of one sitemap per kind of record (conference/sitemaps.py).
    for sitemap_path in _locations(stack, "/sitemap.xml"):
        pages.append(sitemap_path)
        pages.extend(_locations(stack, sitemap_path))
    assert "/meetings/coproduction-2023-nijmegen/" in pages
    return [
        *pages,
        "/search/?q=co-creation",
        f"/papers/{WORK}/cite.bib",
        "/meetings/coproduction-2023-nijmegen/?format=ris",
        *API_READS,
    ]


@contextmanager
def replay_paused(replica):
    """The replica stops applying the primary's changes: it now lags behind every write."""
    replica.psql("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        replica.psql("SELECT pg_wal_replay_resume()")


def _title_on(cluster, slug):
    return cluster.psql(f"SELECT title FROM papers_paper WHERE slug = '{slug}'", "conference")


def _retitle(stack, server, slug, title):
    answer = stack.api(server, "PATCH", f"/api/papers/{slug}/", json={"title": title})
    assert answer.status_code == 200, answer.text
    return answer


def _archive_queries(log):
    """The logged statements that read the archive's tables."""
    return [line for line in log.splitlines() if ARCHIVE_QUERY.search(line)]


def test_every_public_read_is_served_by_the_replica(stack, log_watch):
    paths = _public_paths(stack)
    # What earlier tests wrote has reached the replica.
    stack.primary.wait_for_replay(stack.replica)
    watch = log_watch()

    for server in (0, 1):
        for path in paths:
            answer = requests.get(stack.url(server, _uncached(path)), timeout=30)
            assert answer.status_code == 200, (path, answer.status_code)

    replica_tables = set(ARCHIVE_QUERY.findall(watch.new(stack.replica)))
    assert replica_tables == {"conference", "people", "papers"}
    # The primary is asked only where its WAL stands, never for the archive's rows.
    assert _archive_queries(watch.new(stack.primary)) == []
    assert 'FROM "core_wal_position"' in watch.new(stack.primary)


# A record of WAL, not flushed when the statement returns, in no table.
NOISE = "SELECT pg_logical_emit_message(false, 'noise', repeat('x', 2000))"


@contextmanager
def wal_in_flight(primary):
    """Another database on the primary writes WAL that is not flushed at once, every few
    milliseconds: as autovacuum, checkpoints and asynchronous commits do. None of it is the
    archive's data, but it moves the primary's WAL position ahead of the replica's."""
    stop = threading.Event()

    def write():
        with psycopg.connect(primary.url("postgres"), autocommit=True) as connection:
            while not stop.is_set():
                connection.execute(NOISE)
                stop.wait(0.002)

    writer = threading.Thread(target=write, name="wal-in-flight")
    writer.start()
    try:
        yield
    finally:
        stop.set()
        writer.join(timeout=10)


def test_reads_stay_on_the_replica_while_the_primary_writes_wal_of_its_own(stack, log_watch):
    pages = [f"/papers/{WORK}/", "/meetings/coproduction-2023-nijmegen/", "/api/papers/"]
    stack.primary.wait_for_replay(stack.replica)
    answered_by_primary = []
    with wal_in_flight(stack.primary):
        for number in range(60):
            path = _uncached(pages[number % len(pages)])
            watch = log_watch()
            assert requests.get(stack.url(number % 2, path), timeout=30).status_code == 200
            if _archive_queries(watch.new(stack.primary)):
                answered_by_primary.append(path)
    # The replica replays what the primary flushes within moments, and serves the reads.
    # Measured: 4 to 6 of the 60 went to the primary with PostgreSQL's default WAL writer
    # delay (200 ms), 0 with 10 ms (deploy/postgres.py), also with both CPUs kept busy.
    assert len(answered_by_primary) <= 3, answered_by_primary


def test_a_writer_reads_its_write_while_the_replica_lags(stack, log_watch):
    slug = "sustainability-and-co-creation-in-public-sector-organisations"
    before = _title_on(stack.primary, slug)
    title = f"Retitled while the replica lags {secrets.token_hex(3)}"
    with replay_paused(stack.replica):
        _retitle(stack, 0, slug, title)
        # The replica really is behind: anything it answered would be the old title.
        assert _title_on(stack.replica, slug) == before

        watch = log_watch()
        # Through the other app server, with the same token, and the page cache in between.
        answer = stack.api(1, "GET", f"/api/papers/{slug}/")
        assert answer.json()["title"] == title
        assert _archive_queries(watch.new(stack.replica)) == []

        # Anyone else: the replica has not replayed the write, so the primary answers too.
        page = requests.get(stack.url(1, f"/papers/{slug}/"), timeout=30)
        assert title in page.text
        api = requests.get(stack.url(0, f"/api/papers/{slug}/"), timeout=30)
        assert api.json()["title"] == title
        assert _archive_queries(watch.new(stack.replica)) == []

    stack.primary.wait_for_replay(stack.replica)
    assert _title_on(stack.replica, slug) == title


def test_the_writer_goes_back_to_the_replica_after_the_pin(stack, log_watch):
    slug = "sustainability-and-co-creation-in-public-sector-organisations"
    _retitle(stack, 1, slug, f"Pinned for a while {secrets.token_hex(3)}")

    watch = log_watch()
    assert stack.api(0, "GET", _uncached(f"/api/papers/{slug}/")).status_code == 200
    assert _archive_queries(watch.new(stack.replica)) == []

    time.sleep(PIN_SECONDS + 0.5)
    stack.primary.wait_for_replay(stack.replica)
    watch = log_watch()
    assert stack.api(0, "GET", _uncached(f"/api/papers/{slug}/")).status_code == 200
    assert _archive_queries(watch.new(stack.replica)) != []
    assert _archive_queries(watch.new(stack.primary)) == []


def test_a_browser_that_just_signed_in_reads_the_primary(stack, browser, log_watch):
    organizer = browser()
    assert organizer.sign_in(0, "organizer", PASSWORD).status_code == 302
    assert "read_primary" in organizer.cookies

    watch = log_watch()
    page = organizer.request(1, "GET", f"/papers/{WORK}/")
    assert page.status_code == 200
    assert _archive_queries(watch.new(stack.replica)) == []
    assert _archive_queries(watch.new(stack.primary)) != []


def test_the_admin_reads_the_primary(stack, browser, log_watch):
    slug = "sustainability-and-co-creation-in-public-sector-organisations"
    admin = browser()
    assert admin.sign_in(0, "admin", PASSWORD).status_code == 302
    title = f"Seen by the admin {secrets.token_hex(3)}"
    with replay_paused(stack.replica):
        _retitle(stack, 0, slug, title)
        time.sleep(PIN_SECONDS + 0.5)  # the sign-in's pin is over: only the admin path pins
        watch = log_watch()
        changelist = admin.request(1, "GET", "/admin/papers/paper/?q=Seen+by+the+admin")
        assert changelist.status_code == 200
        assert title in changelist.text
        assert _archive_queries(watch.new(stack.replica)) == []


def test_reads_fall_back_to_the_primary_while_the_replica_is_down(stack):
    stack.replica.stop()
    try:
        answer = requests.get(stack.url(0, _uncached(f"/papers/{WORK}/")), timeout=30)
        assert answer.status_code == 200
        assert "The Impact of Sustainability" in answer.text
    finally:
        stack.replica.start()
