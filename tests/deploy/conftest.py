"""The production stack in miniature, started once per test session on loopback ports.

A PostgreSQL primary and its streaming replica of our own (data under /tmp, never the
distribution's cluster on 5432), a Redis of our own, and two gunicorn app servers reading
the replica: the tests talk to them over HTTP as a browser or an API client would.
"""

import itertools
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import redis
import requests

from bench.server import GunicornServer
from deploy import postgres

ROOT = Path(__file__).resolve().parents[2]
PORTS = [int(port) for port in os.environ.get("STACK_TEST_PG_PORTS", "5441,5442").split(",")]
DATABASE = "conference"
PASSWORD = "correct-horse-battery-9"
PIN_SECONDS = 3
# The servers log statements so that tests can see which cluster ran a query.
LOGGED = {"log_statement": "'all'", "log_line_prefix": "'%p '", "fsync": "off"}
CREATE_USERS = """
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
organizer = User.objects.create_user("organizer", password="{password}", is_staff=True)
organizer.groups.add(Group.objects.get(name="Organizers"))
print(Token.objects.create(user=organizer).key)
User.objects.create_superuser("admin", "admin@example.org", "{password}")
for name in ("lockout-target", "rate-target"):
    User.objects.create_user(name, password="{password}", is_staff=True)
"""


def _port_is_free(port):
    with socket.socket() as probe:
        return probe.connect_ex((postgres.HOST, port)) != 0


@pytest.fixture(scope="session")
def clusters():
    """(primary, replica), running; removed at the end of the session."""
    problem = postgres.why_unavailable()
    if not problem and not all(_port_is_free(port) for port in PORTS):
        problem = f"ports {PORTS} are in use (set STACK_TEST_PG_PORTS to two free ports)"
    if problem:
        pytest.skip(f"no PostgreSQL cluster of our own on this machine: {problem}")
    folder = Path(tempfile.mkdtemp(prefix="conference-stack-test-"))
    os.chmod(folder, 0o755)
    primary = postgres.Cluster(folder / "primary", PORTS[0], settings=LOGGED)
    replica = postgres.Cluster(folder / "replica", PORTS[1], settings=LOGGED)
    try:
        primary.create().start()
        primary.psql(f"CREATE DATABASE {DATABASE}")
        replica.replica_of(primary).start()
        yield primary, replica
    finally:
        replica.remove()
        primary.remove()
        shutil.rmtree(folder, ignore_errors=True)


def _manage(env, *arguments):
    finished = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return finished.stdout


@pytest.fixture(scope="session")
def redis_url():
    """A redis-server of our own on a free loopback port, without persistence."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            subprocess.run(["sleep", "0.05"], check=True)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def stack(clusters, redis_url, tmp_path_factory):
    """The archive on the primary (demo meeting, an organizer with a token, an admin), and
    two app servers reading the replica through the shared Redis."""
    primary, replica = clusters
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": primary.url(DATABASE),
        "DATABASE_REPLICA_URLS": replica.url(DATABASE),
        "CACHE_URL": redis_url,
        "PAGE_CACHE": "true",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "API_THROTTLE_ANON": "10000/minute",
        "API_THROTTLE_USER": "10000/minute",
        "LOGIN_FAILURE_LIMIT": "3",
        "REPLICA_PIN_SECONDS": str(PIN_SECONDS),
    }
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "loaddata", "demo", "-v0")
    _manage(env, "collectstatic", "--no-input", "-v0")
    token = _manage(env, "shell", "--no-imports", "-c", CREATE_USERS.format(password=PASSWORD))
    primary.wait_for_replay(replica)
    logs = tmp_path_factory.mktemp("gunicorn")
    servers = [
        GunicornServer(env, workers=1, log_path=logs / f"app-{number}.log") for number in (1, 2)
    ]
    try:
        for server in servers:
            server.start()
        yield Stack(primary, replica, servers, token.strip().splitlines()[-1])
    finally:
        for server in servers:
            server.stop()


class Stack:
    def __init__(self, primary, replica, servers, token):
        self.primary = primary
        self.replica = replica
        self.servers = servers
        self.token = token

    def url(self, server, path):
        return self.servers[server].url(path)

    def api(self, server, method, path, **kwargs):
        headers = {"Authorization": f"Token {self.token}", **kwargs.pop("headers", {})}
        return requests.request(
            method, self.url(server, path), headers=headers, timeout=30, **kwargs
        )


class Browser:
    """A browser's cookies, sent to whichever app server it talks to.

    Production cookies are ``Secure``; these servers speak plain HTTP on loopback, behind
    no TLS proxy, so the cookies are carried by hand instead of by a cookie jar's rules.
    """

    def __init__(self, stack, address):
        self.stack = stack
        self.cookies = {}
        # The proxy's X-Forwarded-For: each browser signs in from an address of its own.
        self.headers = {"X-Forwarded-For": address}

    def request(self, server, method, path, **kwargs):
        response = requests.request(
            method,
            self.stack.url(server, path),
            cookies=self.cookies,
            headers=self.headers,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def sign_in(self, server, username, password):
        """The admin's sign-in form, as a browser posts it."""
        login = "/admin/login/"
        form = self.request(server, "GET", login)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        return self.request(
            server,
            "POST",
            login,
            data={"csrfmiddlewaretoken": csrf, "username": username, "password": password},
        )


_addresses = (f"192.0.2.{number}" for number in itertools.count(10))


@pytest.fixture
def browser(stack):
    """``browser()``: a new browser, from an address no other test's browser used."""
    return lambda: Browser(stack, next(_addresses))


class LogWatch:
    """The statements each cluster logged since the watch began (``log_statement = all``)."""

    def __init__(self, *clusters):
        self.start = {cluster.port: cluster.log_path.stat().st_size for cluster in clusters}

    def new(self, cluster):
        with open(cluster.log_path, errors="replace") as log:
            log.seek(self.start[cluster.port])
            return log.read()


@pytest.fixture
def log_watch(stack):
    return lambda: LogWatch(stack.primary, stack.replica)
