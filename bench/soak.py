"""``python -m bench.soak``: readers and one writer against gunicorn for a fixed time.

Readers (wrk) load the home page, the largest meeting's page and ``/api/papers/`` while one
writer creates works through the API with ordered authors, reads each back, changes its title
with ``If-Match`` and now and then puts it in the meeting's programme and edits that entry
with ``PUT``. The public paper page and the API detail are fetched anonymously after each
work is created (so the page cache holds them) and again, by a second reader, after each
acknowledged title change: they must show the new title (the Redis page cache is on when
Redis answers). Afterwards every acknowledged write is looked up in PostgreSQL.

Each run's works have slugs of their own (``soak-<time>-<n>``) and stay in the database.

Midway the link to Redis is cut for a few seconds (``--redis-cut-seconds``, 0 for none):
the soak then runs its own redis-server on a free port behind a loopback proxy that it cuts
and restores (bench/faults.py), never the shared Redis. A probe work is cached before the
cut, retitled during it and read right after it: it must show the new title at once.

The run fails on any reader or writer error, any stale read and any lost write.
"""

import argparse
import contextlib
import datetime
import html
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

import psycopg

from bench import cli, database, load
from bench.backup_check import MidRunBackup
from bench.faults import CuttableProxy, RedisServer
from bench.server import HOST, GunicornServer

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/conf_soak"
# A Redis database of its own (the benchmark uses 14): flushed before the run.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
DEFAULT_SCALE = 0.05
SMOKE_SCALE = 0.01
SMOKE_SECONDS = 5
WRITER_USERNAME = "soak-writer"
HTTP_TIMEOUT_SECONDS = 30
# Each reader endpoint gets one wrk process with one thread and this many connections:
# enough to keep two gunicorn workers busy, few enough to leave the writer a turn.
READER_CONNECTIONS = 3
# Every this-many works also goes into the meeting's programme and is edited there.
PRESENTATION_EVERY = 3
DEFAULT_REDIS_CUT_SECONDS = 4.0
SMOKE_REDIS_CUT_SECONDS = 1.5
# The cut starts this far into the run, so readers and the writer are busy on both sides.
REDIS_CUT_AT = 0.4


@dataclass
class Write:
    """One write the server acknowledged (201 or 200), with what it wrote.

    ``record`` is ``("work", slug)`` or ``("presentation", meeting_slug, work_slug)``;
    ``values`` holds the fields this write set, as the database should now have them.
    """

    action: str
    record: tuple
    values: dict
    status: int


@dataclass
class ReaderRun:
    name: str
    path: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0

    @property
    def per_second(self):
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class SoakResult:
    seconds: float
    readers: list = field(default_factory=list)
    writes: list = field(default_factory=list)
    # What went wrong, one line each: the writer's failed requests, the fresh reader's failed
    # requests, pages that did not show an acknowledged edit, writes not stored.
    write_errors: list = field(default_factory=list)
    read_errors: list = field(default_factory=list)
    stale_reads: list = field(default_factory=list)
    lost_writes: list = field(default_factory=list)
    cache: str = ""
    # With --backup: how the backup taken halfway through the writes restored.
    backup: str = ""
    # What the Redis cut did, one line each (empty without a cut).
    redis_cut: list = field(default_factory=list)

    @property
    def error_count(self):
        return sum(reader.errors for reader in self.readers) + len(self.write_errors)

    def problems(self):
        return [*self.write_errors, *self.read_errors, *self.stale_reads, *self.lost_writes]

    def failures(self):
        """Why the run failed; empty when it passed."""
        reasons = []
        reader_errors = sum(reader.errors for reader in self.readers)
        if reader_errors:
            reasons.append(f"{reader_errors} reader errors (non-2xx or socket)")
        if self.write_errors:
            reasons.append(f"{len(self.write_errors)} writer errors")
        if self.stale_reads:
            reasons.append(f"{len(self.stale_reads)} stale reads")
        if self.lost_writes:
            reasons.append(f"{len(self.lost_writes)} lost writes")
        if not self.writes:
            reasons.append("no write was acknowledged")
        if self.backup.startswith("NOT"):
            reasons.append(f"the mid-run backup did not restore ({self.backup})")
        return reasons


def expected_state(writes):
    """The state each written record should have: the fields of its acknowledged writes,
    later writes over earlier ones."""
    state = {}
    for write in writes:
        state.setdefault(write.record, {}).update(write.values)
    return state


def find_lost_writes(expected, stored):
    """One line per record whose stored fields differ from the acknowledged ones."""
    lost = []
    for record, values in expected.items():
        name = "/".join(record[1:])
        if record not in stored:
            lost.append(f"{record[0]} {name}: acknowledged but not in the database")
            continue
        for key, wanted in values.items():
            found = stored[record].get(key)
            if found != wanted:
                lost.append(f"{record[0]} {name}: {key} is {found!r}, acknowledged {wanted!r}")
    return lost


def title_is_shown(body, title):
    """Whether a page (HTML, escaped) or an API answer (JSON) shows ``title``."""
    return html.escape(title) in body or json.dumps(title) in body


def format_table(result):
    rows = [("reader", "path", "reads", "reads/s", "errors")]
    for reader in result.readers:
        rows.append(
            (
                reader.name,
                reader.path,
                f"{reader.requests:,}",
                f"{reader.per_second:,.1f}",
                str(reader.errors),
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    actions = {}
    for write in result.writes:
        actions[write.action] = actions.get(write.action, 0) + 1
    done = ", ".join(f"{count} {action}" for action, count in actions.items()) or "none"
    lines += [
        "",
        f"writes acknowledged  {len(result.writes)} in {result.seconds:.0f} s "
        f"({len(result.writes) / result.seconds if result.seconds else 0:.1f}/s): {done}",
        f"errors               {result.error_count}",
        f"stale reads          {len(result.stale_reads)}",
        f"lost writes          {len(result.lost_writes)}",
        f"page cache           {result.cache}",
    ]
    lines += [f"redis cut            {line}" for line in result.redis_cut]
    return "\n".join(lines)


class Http:
    """A small loopback HTTP client: ``(status, headers, text)``; status None on a socket
    error. With ``token`` it sends ``Authorization`` (so the page cache is bypassed)."""

    def __init__(self, base_url, token=None):
        if not base_url.startswith(f"http://{HOST}:"):
            raise ValueError(f"The soak test only talks to the loopback interface, not {base_url}")
        self.base_url = base_url
        self.token = token

    def __call__(self, method, path, payload=None, headers=None):
        request_headers = {"Accept": "application/json" if path.startswith("/api/") else "*/*"}
        if self.token:
            request_headers["Authorization"] = f"Token {self.token}"
        data = None
        if payload is not None:
            data = json.dumps(payload).encode()
            request_headers["Content-Type"] = "application/json"
        request_headers.update(headers or {})
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers=request_headers
        )
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")
        except OSError as error:
            return None, {}, str(error)


class Writer(threading.Thread):
    """Creates, reads back and edits works (and programme entries) until told to stop."""

    def __init__(self, http, *, people, institutions, meeting, run_label, seed, stop, fresh):
        super().__init__(name="soak-writer")
        self.http = http
        self.people = people
        self.institutions = institutions
        self.meeting = meeting
        self.run_label = run_label
        self.random = random.Random(seed)
        self.stop = stop
        self.fresh = fresh
        self.writes = []
        self.errors = []

    def run(self):
        number = 0
        while not self.stop.is_set():
            number += 1
            try:
                self.write_work(number)
            except Exception as error:  # noqa: BLE001 - a crash is reported, not hidden
                self.errors.append(f"writer stopped on work {number}: {error!r}")
                return

    def expect(self, answer, statuses, what):
        status, _headers, body = answer
        if status in statuses:
            return True
        self.errors.append(f"{what}: HTTP {status} {body[:200]}")
        return False

    def write_work(self, number):
        slug = f"soak-{self.run_label}-{number}"
        title = f"Soak work {self.run_label} number {number}"
        people = self.random.sample(self.people, self.random.choice((2, 3)))
        authors = [
            {
                "person": person,
                "position": position,
                "affiliation": self.random.choice(self.institutions),
            }
            for position, person in enumerate(people, start=1)
        ]
        work = {"slug": slug, "title": title, "type": "presentation", "year": 2026}
        answer = self.http("POST", "/api/papers/", {**work, "authors": authors})
        if not self.expect(answer, {201}, f"create {slug}"):
            return
        self.writes.append(
            Write("create work", ("work", slug), {"title": title, "authors": authors}, 201)
        )
        self.fresh.check(slug, title)

        status, headers, body = answer = self.http("GET", f"/api/papers/{slug}/")
        if not self.expect(answer, {200}, f"read back {slug}"):
            return
        if json.loads(body)["title"] != title:
            self.errors.append(f"read back {slug}: the API shows {json.loads(body)['title']!r}")
            return
        edited = f"{title} edited"
        answer = self.http(
            "PATCH", f"/api/papers/{slug}/", {"title": edited}, {"If-Match": headers["ETag"]}
        )
        if not self.expect(answer, {200}, f"edit title of {slug}"):
            return
        self.writes.append(Write("edit title", ("work", slug), {"title": edited}, 200))
        self.fresh.after_edit(slug, edited)

        if number % PRESENTATION_EVERY == 0:
            self.write_presentation(slug, [author["person"] for author in authors])

    def write_presentation(self, slug, authors):
        record = ("presentation", self.meeting, slug)
        # No position: the API puts the talk last among the unscheduled ones, so that runs
        # against the same database (and the writes of other organizers) never collide.
        entry = {"meeting": self.meeting, "work": slug, "presenters": authors[:1]}
        answer = self.http("POST", "/api/presentations/", entry)
        if not self.expect(answer, {201}, f"programme entry for {slug}"):
            return
        created = json.loads(answer[2])
        entry["position"] = created["position"]
        self.writes.append(Write("create presentation", record, _entry_values(entry), 201))
        url = f"/api/presentations/{created['id']}/"
        status, headers, _body = answer = self.http("GET", url)
        if not self.expect(answer, {200}, f"read back {url}"):
            return
        entry = {**entry, "presenters": authors[1:]}
        answer = self.http("PUT", url, entry, {"If-Match": headers["ETag"]})
        if self.expect(answer, {200}, f"put {url}"):
            self.writes.append(Write("put presentation", record, _entry_values(entry), 200))


def _entry_values(entry):
    return {key: entry[key] for key in ("position", "presenters")}


class FreshnessReader(threading.Thread):
    """After each acknowledged title change: the anonymous paper page and API detail show it.

    The writer also calls ``check`` itself right after creating a work, so that the page
    cache holds the work's first title when the edit comes: a cache that missed the edit
    would then serve that stale page.
    """

    def __init__(self, http):
        super().__init__(name="soak-fresh-reader")
        self.http = http
        self.edits = queue.Queue()
        self.reads = 0
        self.errors = []
        self.stale = []
        self._lock = threading.Lock()

    def after_edit(self, slug, title):
        self.edits.put((slug, title))

    def finish(self):
        """Stop once the edits queued so far are checked."""
        self.edits.put(None)

    def check(self, slug, title):
        for path in (f"/papers/{slug}/", f"/api/papers/{slug}/"):
            status, _headers, body = self.http("GET", path)
            with self._lock:
                self.reads += 1
            if status != 200:
                self.errors.append(f"fresh read {path}: HTTP {status} {body[:200]}")
            elif not title_is_shown(body, title):
                self.stale.append(f"{path} does not show the acknowledged title {title!r}")

    def run(self):
        while (edit := self.edits.get()) is not None:
            self.check(*edit)


class RedisCut:
    """Cuts the server's link to Redis for ``seconds``, around a probe work of its own:
    its page is cached before the cut, its title changed during it (the write must succeed)
    and the page read right after (it must show the new title, never the cached one)."""

    def __init__(self, proxy, *, writer_http, reader_http, slug, authors, seconds):
        self.proxy = proxy
        self.writer_http = writer_http
        self.reader_http = reader_http
        self.slug = slug
        self.authors = authors
        self.seconds = seconds
        self.writes = []
        self.errors = []
        self.stale = []
        self.report = []
        self.done = False
        self.title = f"Redis cut probe {slug}"

    def _expect(self, answer, statuses, what):
        if answer[0] in statuses:
            return True
        self.errors.append(f"redis cut, {what}: HTTP {answer[0]} {answer[2][:200]}")
        return False

    def _pages(self):
        return (f"/papers/{self.slug}/", f"/api/papers/{self.slug}/")

    def prepare(self):
        """Create the probe work and have its pages cached."""
        values = {"title": self.title, "authors": self.authors}
        work = {"slug": self.slug, "type": "conference_paper", "year": 2026, **values}
        answer = self.writer_http("POST", "/api/papers/", work)
        if not self._expect(answer, {201}, f"create {self.slug}"):
            return False
        self.writes.append(Write("create work", ("work", self.slug), values, 201))
        hits = 0
        for path in self._pages():
            for _ in range(2):
                status, headers, _body = self.reader_http("GET", path)
                self._expect((status, headers, _body), {200}, f"read {path} before the cut")
            hits += headers.get("X-Cache") == "hit"
        self.report.append(f"probe pages cached before the cut: {hits} of 2")
        return True

    def run(self):
        started = time.monotonic()
        self.proxy.cut()
        reads = failed = 0
        status, headers, _body = answer = self.writer_http("GET", f"/api/papers/{self.slug}/")
        edited = f"{self.title} edited during the cut"
        if self._expect(answer, {200}, "read back during the cut"):
            answer = self.writer_http(
                "PATCH",
                f"/api/papers/{self.slug}/",
                {"title": edited},
                {"If-Match": headers["ETag"]},
            )
            if self._expect(answer, {200}, "edit title during the cut"):
                self.writes.append(Write("edit title", ("work", self.slug), {"title": edited}, 200))
        ready = self.reader_http("GET", "/readyz")
        while True:
            for path in ("/", *self._pages()):
                reads += 1
                answer = self.reader_http("GET", path)
                failed += not self._expect(answer, {200}, f"read {path} during the cut")
            if time.monotonic() - started >= self.seconds:
                break
            time.sleep(0.05)
        self.proxy.restore()
        cut_seconds = time.monotonic() - started
        for path in self._pages():
            status, _headers, body = self.reader_http("GET", path)
            if status != 200:
                self.errors.append(f"redis cut, read {path} after: HTTP {status} {body[:200]}")
            elif not title_is_shown(body, edited):
                self.stale.append(f"{path} right after the Redis cut shows the title from before")
        self.report += [
            f"{cut_seconds:.1f} s; the probe's {reads} reads during it: {failed} failed; "
            f"its title change during it: {'acknowledged' if len(self.writes) == 2 else 'FAILED'}",
            f"/readyz during the cut: HTTP {ready[0]} {ready[2].strip()}",
        ]
        self.done = True


def _outage_log_lines(log_path):
    """What the server logged about the cut: one warning and one recovery per process."""
    with open(log_path, errors="replace") as log:
        text = log.read()
    down = text.count("is not answering")
    back = text.count("is answering again")
    return f"server log: {down} outage warning(s), {back} recovery line(s) (one each per worker)"


def stored_state(url, expected):
    """The database's values for the records in ``expected``, in the same shape."""
    slugs = sorted({record[-1] for record in expected})
    stored = {}
    with psycopg.connect(database._conninfo(url), autocommit=True) as connection:
        for slug, title in connection.execute(
            "SELECT slug, title FROM papers_paper WHERE slug = ANY(%s)", [slugs]
        ):
            stored[("work", slug)] = {"title": title, "authors": []}
        for slug, position, person, institution in connection.execute(
            "SELECT paper.slug, authorship.position, person.slug, institution.slug "
            "FROM papers_authorship authorship "
            "JOIN papers_paper paper ON paper.id = authorship.paper_id "
            "JOIN people_person person ON person.id = authorship.person_id "
            "LEFT JOIN people_institution institution "
            "ON institution.id = authorship.affiliation_id "
            "WHERE paper.slug = ANY(%s) ORDER BY paper.slug, authorship.position",
            [slugs],
        ):
            stored[("work", slug)]["authors"].append(
                {"person": person, "position": position, "affiliation": institution}
            )
        for meeting, slug, position, presenters in connection.execute(
            "SELECT meeting.slug, paper.slug, presentation.position, "
            "ARRAY(SELECT person.slug FROM papers_presenter presenter "
            "JOIN papers_authorship authorship ON authorship.id = presenter.authorship_id "
            "JOIN people_person person ON person.id = authorship.person_id "
            "WHERE presenter.presentation_id = presentation.id "
            "ORDER BY presenter.position, presenter.id) "
            "FROM papers_presentation presentation "
            "JOIN papers_paper paper ON paper.id = presentation.paper_id "
            "JOIN conference_meeting meeting ON meeting.id = presentation.meeting_id "
            "WHERE paper.slug = ANY(%s)",
            [slugs],
        ):
            stored[("presentation", meeting, slug)] = {
                "position": position,
                "presenters": list(presenters),
            }
    return stored


def writer_material(url, *, limit=200):
    """Person and institution slugs the writer picks authors from."""
    with psycopg.connect(database._conninfo(url), autocommit=True) as connection:
        people = [
            row[0]
            for row in connection.execute(
                "SELECT slug FROM people_person ORDER BY slug LIMIT %s", [limit]
            )
        ]
        institutions = [
            row[0]
            for row in connection.execute(
                "SELECT slug FROM people_institution ORDER BY slug LIMIT %s", [limit]
            )
        ]
    return people, institutions


TOKEN_SCRIPT = """
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user, _ = User.objects.get_or_create(username={username!r})
user.groups.add(Group.objects.get(name="Organizers"))
print(Token.objects.get_or_create(user=user)[0].key)
"""


def writer_token(env):
    """An API token of a member of the Organizers group (created once per database)."""
    output = database.manage(
        env, "shell", "-c", TOKEN_SCRIPT.format(username=WRITER_USERNAME), quiet=True
    )
    return output.strip().splitlines()[-1]


class WrkReaders:
    """One wrk process per endpoint, all started together and always stopped."""

    def __init__(self, server, endpoints, seconds):
        self.server = server
        self.endpoints = endpoints
        self.seconds = seconds
        self.processes = []

    def start(self):
        for name, path in self.endpoints:
            command = load.wrk_command(
                self.server.url(path),
                threads=1,
                connections=READER_CONNECTIONS,
                seconds=self.seconds,
            )
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            self.processes.append((name, path, process))

    def results(self):
        runs = []
        for name, path, process in self.processes:
            output, problems = process.communicate(timeout=self.seconds + 60)
            if process.returncode != 0:
                raise load.LoadError(f"wrk failed on {path}: {problems.strip()}")
            result = load.parse_wrk_output(output)
            runs.append(
                ReaderRun(
                    name,
                    path,
                    requests=result.requests,
                    errors=result.errors,
                    seconds=result.requests / result.requests_per_second
                    if result.requests_per_second
                    else self.seconds,
                )
            )
        return runs

    def stop(self):
        for _name, _path, process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak",
        description="Readers and a writer against gunicorn and PostgreSQL on 127.0.0.1 for a "
        "fixed time; fails on any error, stale read or lost write.",
    )
    parser.add_argument("--seconds", type=int, help="How long to run (default 30, smoke 5).")
    parser.add_argument(
        "--smoke", action="store_true", help=f"{SMOKE_SECONDS} s at scale {SMOKE_SCALE:g}."
    )
    parser.add_argument("--scale", type=float, help=f"Dataset scale (default {DEFAULT_SCALE:g}).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers.")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SOAK_DATABASE_URL", DEFAULT_URL),
        help="PostgreSQL on this machine; the database is dropped and rebuilt when stale.",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("SOAK_REDIS_URL", DEFAULT_REDIS_URL),
        help="Redis on this machine for the page cache; this database number is flushed.",
    )
    parser.add_argument(
        "--redis-cut-seconds",
        type=float,
        help=f"Cut the link to Redis this long, {REDIS_CUT_AT:.0%} into the run (default "
        f"{DEFAULT_REDIS_CUT_SECONDS:g}, smoke {SMOKE_REDIS_CUT_SECONDS:g}; 0: no cut). The "
        "soak then uses a redis-server of its own behind a proxy, not --redis-url.",
    )
    parser.add_argument("--output-dir", default=str(database.ROOT / "bench-results"))
    parser.add_argument(
        "--backup",
        action="store_true",
        help="Also run `manage.py backup` halfway through, during the writes, and restore it "
        "into a new database afterwards; fails unless it restores.",
    )
    arguments = parser.parse_args(argv)
    if arguments.scale is None:
        arguments.scale = SMOKE_SCALE if arguments.smoke else DEFAULT_SCALE
    if arguments.seconds is None:
        arguments.seconds = SMOKE_SECONDS if arguments.smoke else 30
    if arguments.redis_cut_seconds is None:
        arguments.redis_cut_seconds = (
            SMOKE_REDIS_CUT_SECONDS if arguments.smoke else DEFAULT_REDIS_CUT_SECONDS
        )
    if not 0 <= arguments.redis_cut_seconds <= arguments.seconds / 2:
        parser.error("--redis-cut-seconds must be between 0 and half of --seconds.")
    if arguments.smoke and arguments.database_url == DEFAULT_URL:
        arguments.database_url = DEFAULT_URL + "_smoke"
    if not 0 < arguments.scale <= 50 or not 1 <= arguments.seconds <= 3600:
        parser.error("--scale must be in (0, 50] and --seconds in [1, 3600].")
    return arguments


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def run(arguments, say=print):
    """Prepare, load and write for ``arguments.seconds``, verify; returns a SoakResult."""
    setup_env = cli.server_environment(arguments.database_url, {})
    database.prepare(arguments.database_url, setup_env, scale=arguments.scale, seed=arguments.seed)
    database.manage(setup_env, "collectstatic", "--no-input", "-v0")
    token = writer_token(setup_env)
    people, institutions = writer_material(arguments.database_url)
    meeting_path, _ = database.largest_meeting_path(arguments.database_url)

    with contextlib.ExitStack() as stack:
        proxy = None
        if arguments.redis_cut_seconds:
            if not RedisServer.available():
                raise load.LoadError("the Redis cut needs redis-server (make soak installs it)")
            own_redis = stack.enter_context(RedisServer())
            proxy = stack.enter_context(CuttableProxy(own_redis.port))
            redis_url, redis_problem = proxy.url(), ""
        else:
            redis_url = arguments.redis_url
            redis_problem = cli.flush_redis(redis_url)
        if redis_problem:
            mode_env, cache = {"PAGE_CACHE": "false"}, f"off ({redis_problem})"
        else:
            mode_env, cache = cli.modes(redis_url)["warm"]["env"], redis_url
        if proxy is not None:
            cache += f" (own redis-server on port {own_redis.port}, through a cuttable proxy)"
        return _soak(
            arguments,
            say,
            mode_env=mode_env,
            cache=cache,
            proxy=proxy,
            token=token,
            people=people,
            institutions=institutions,
            meeting_path=meeting_path,
        )


def run_load(
    *, readers, writer, checker, stop, seconds, before=None, midway=None, after_stop=None, others=()
):
    """Run the wrk ``readers``, the ``writer`` and its freshness ``checker`` for ``seconds`` (less
    if the writer dies), after ``before()`` and calling ``midway(elapsed seconds)`` five times
    a second; then stop them all (``stop``, then ``after_stop()``), whatever happened, and
    wait for the threads, ``others`` too. The readers' runs."""
    try:
        if before is not None:
            before()
        readers.start()
        writer.start()
        checker.start()
        begun = time.monotonic()
        while time.monotonic() < begun + seconds and writer.is_alive():
            if midway is not None:
                midway(time.monotonic() - begun)
            time.sleep(0.2)
        stop.set()
        writer.join()
        checker.finish()
        checker.join()
        return readers.results()
    finally:
        stop.set()
        checker.finish()
        readers.stop()
        if after_stop is not None:
            after_stop()
        for thread in (writer, checker, *others):
            if thread.is_alive():
                thread.join(timeout=HTTP_TIMEOUT_SECONDS + 5)


def fresh_reads(checker, seconds):
    """The freshness checker's reads as a row of the table."""
    return ReaderRun(
        "fresh reads",
        "/papers/<slug>/ + /api/papers/<slug>/",
        requests=checker.reads,
        errors=len(checker.errors),
        seconds=seconds,
    )


def _soak(arguments, say, *, mode_env, cache, proxy, token, people, institutions, meeting_path):
    meeting = meeting_path.strip("/").split("/")[-1]
    env = cli.server_environment(arguments.database_url, mode_env)
    started = datetime.datetime.now(datetime.UTC)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    os.makedirs(arguments.output_dir, exist_ok=True)
    log_path = os.path.join(arguments.output_dir, f"gunicorn-soak-{stamp}.log")

    endpoints = [
        ("home", "/"),
        ("meeting page", meeting_path),
        ("api papers 20", "/api/papers/?page_size=20"),
    ]
    stop = threading.Event()
    with GunicornServer(env, workers=arguments.workers, log_path=log_path) as server:
        checker = FreshnessReader(Http(server.url("")))
        writer = Writer(
            Http(server.url(""), token),
            people=people,
            institutions=institutions,
            meeting=meeting,
            run_label=stamp.lower(),
            seed=arguments.seed,
            stop=stop,
            fresh=checker,
        )
        readers = WrkReaders(server, endpoints, arguments.seconds)
        cut = None
        if proxy is not None:
            cut = RedisCut(
                proxy,
                writer_http=Http(server.url(""), token),
                reader_http=Http(server.url("")),
                slug=f"soak-{stamp.lower()}-redis-cut",
                authors=[
                    {"person": person, "position": position, "affiliation": institutions[0]}
                    for position, person in enumerate(people[:2], start=1)
                ],
                seconds=arguments.redis_cut_seconds,
            )
            cut.prepare()
        say(
            f"Soak: {arguments.seconds} s, readers on {', '.join(p for _, p in endpoints)}, "
            f"one writer; page cache {cache}."
        )
        backup = MidRunBackup(arguments.database_url, arguments.output_dir)

        def midway(elapsed):
            if arguments.backup and backup.ident is None and elapsed >= arguments.seconds / 2:
                backup.start()
            if cut is not None and not cut.done and elapsed >= REDIS_CUT_AT * arguments.seconds:
                say(f"Cutting the link to Redis for {arguments.redis_cut_seconds:g} s.")
                cut.run()

        reader_runs = run_load(
            readers=readers,
            writer=writer,
            checker=checker,
            stop=stop,
            seconds=arguments.seconds,
            midway=midway,
            after_stop=proxy.restore if proxy is not None else None,
        )

    result = SoakResult(
        seconds=arguments.seconds,
        readers=[
            *reader_runs,
            fresh_reads(checker, arguments.seconds),
        ],
        writes=writer.writes,
        write_errors=writer.errors,
        read_errors=checker.errors,
        stale_reads=checker.stale,
        cache=cache,
    )
    if cut is not None:
        result.writes = [*cut.writes, *result.writes]
        result.write_errors = [*result.write_errors, *cut.errors]
        result.stale_reads = [*result.stale_reads, *cut.stale]
        result.redis_cut = [*cut.report, _outage_log_lines(log_path)]
    expected = expected_state(result.writes)
    result.lost_writes = find_lost_writes(expected, stored_state(arguments.database_url, expected))
    if arguments.backup:
        result.backup = backup.restore()
        say(result.backup)
    return result


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        load.require_wrk()
        database.check_loopback(arguments.database_url)
    except (load.LoadError, ValueError) as error:
        print(f"soak: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        result = run(arguments)
    except KeyboardInterrupt:
        print("soak: interrupted; gunicorn, wrk and the writer stopped.", file=sys.stderr)
        return 130
    print()
    print(format_table(result))
    for line in result.problems()[:20]:
        print(f"  {line}")
    failures = result.failures()
    print("soak: FAILED: " + "; ".join(failures) if failures else "soak: passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
