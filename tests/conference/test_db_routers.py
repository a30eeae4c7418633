"""Which database each read and write goes to (the real replica: tests/deploy/)."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from rest_framework.authtoken.models import Token

from conference.core import db_routers
from conference.core.db_routers import PrimaryReplicaRouter, ReplicaMiddleware
from conference.meetings.models import Meeting
from papers.models import Paper

router = PrimaryReplicaRouter()


@pytest.fixture
def replica_request(settings):
    """A request that may read the replica, as the middleware sets one up."""
    settings.DATABASE_REPLICAS = ["replica1"]
    token = db_routers._request_reads.set(db_routers._RequestReads(pinned=False, alias="replica1"))
    yield
    db_routers._request_reads.reset(token)


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "papers")
    assert not router.allow_migrate("replica1", "papers")
    assert not router.allow_migrate("replica1", "auth")


def test_writes_go_to_the_primary(replica_request):
    assert router.db_for_write(Paper) == "default"
    assert router.db_for_write(User) == "default"


def test_archive_reads_in_a_request_go_to_its_replica(replica_request):
    assert router.db_for_read(Paper) == "replica1"
    assert router.db_for_read(Meeting) == "replica1"


def test_sign_in_state_is_read_from_the_primary(replica_request):
    # A login, a new token or a lockout must hold on the next request, on any server.
    assert router.db_for_read(User) == "default"
    assert router.db_for_read(Token) == "default"


def test_reads_outside_a_request_use_the_primary(settings):
    settings.DATABASE_REPLICAS = ["replica1"]
    assert router.db_for_read(Paper) == "default"


def test_the_middleware_is_left_out_without_replicas(settings):
    settings.DATABASE_REPLICAS = []
    with pytest.raises(MiddlewareNotUsed):
        ReplicaMiddleware(lambda request: HttpResponse())


def test_a_write_pins_the_client_and_the_next_request_reads_the_primary(settings, rf):
    settings.DATABASE_REPLICAS = ["replica1"]
    seen = []

    def view(request):
        seen.append(db_routers._request_reads.get().pinned)
        return HttpResponse()

    middleware = ReplicaMiddleware(view)
    response = middleware(rf.post("/api/papers/"))
    cookie = response.cookies[db_routers.PIN_COOKIE]
    assert cookie["max-age"] == settings.REPLICA_PIN_SECONDS
    assert cookie["httponly"]

    middleware(rf.get("/papers/x/"))
    follow = rf.get("/papers/x/")
    follow.COOKIES[db_routers.PIN_COOKIE] = cookie.value
    middleware(follow)
    forged = rf.get("/papers/x/")
    forged.COOKIES[db_routers.PIN_COOKIE] = "1"  # unsigned: ignored
    middleware(forged)
    middleware(rf.get("/admin/papers/paper/"))
    assert seen == [True, False, True, False, True]


class _Positions:
    """The primary at ``primary``; each replica's replayed positions, one per question asked
    (the last repeats), so a test says when a replica catches up."""

    def __init__(self, primary, **replicas):
        self.primary = primary
        self.replicas = {alias: list(answers) for alias, answers in replicas.items()}
        self.asked = []

    def __call__(self, alias):
        self.asked.append(alias)
        if alias == db_routers.PRIMARY:
            return self.primary
        answers = self.replicas[alias]
        return answers.pop(0) if len(answers) > 1 else answers[0]


@pytest.fixture
def positions(settings, monkeypatch):
    settings.DATABASE_REPLICAS = ["replica1"]
    monkeypatch.setattr(db_routers, "_behind_until", {})
    monkeypatch.setattr(db_routers.time, "sleep", lambda seconds: None)

    def use(primary, **replicas):
        fake = _Positions(primary, **replicas)
        monkeypatch.setattr(db_routers, "_wal_position", fake)
        return fake

    return use


def test_a_replica_that_has_replayed_the_primary_s_position_is_read(positions):
    fake = positions(100, replica1=[120])
    assert db_routers._up_to_date_replica() == "replica1"
    assert fake.asked == ["default", "replica1"]


def test_a_replica_a_moment_behind_is_waited_for(positions):
    fake = positions(100, replica1=[90, 95, 99, 100])
    assert db_routers._up_to_date_replica() == "replica1"
    assert fake.asked == ["default", "replica1", "replica1", "replica1", "replica1"]


def test_a_replica_that_stays_behind_is_not_waited_for_again_at_once(positions, monkeypatch):
    fake = positions(100, replica1=[90])
    assert db_routers._up_to_date_replica() is None
    assert fake.asked.count("replica1") == 1 + len(db_routers.CATCH_UP_PAUSES)

    # The next requests ask it once each, until the moment has passed.
    fake.asked.clear()
    assert db_routers._up_to_date_replica() is None
    assert fake.asked == ["default", "replica1"]

    later = db_routers.time.monotonic() + db_routers.BEHIND_SECONDS + 1
    monkeypatch.setattr(db_routers.time, "monotonic", lambda: later)
    fake.asked.clear()
    assert db_routers._up_to_date_replica() is None
    assert fake.asked.count("replica1") == 1 + len(db_routers.CATCH_UP_PAUSES)


def test_a_replica_that_caught_up_is_waited_for_again(positions):
    fake = positions(100, replica1=[90])
    assert db_routers._up_to_date_replica() is None
    fake.replicas["replica1"] = [100]
    assert db_routers._up_to_date_replica() == "replica1"
    assert db_routers._behind_until == {}
