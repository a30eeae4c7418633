"""Reads from PostgreSQL read replicas, writes to the primary, and no read older than a write.

With ``DATABASE_REPLICA_URLS`` set, settings add one database alias per replica and install
``PrimaryReplicaRouter`` and ``ReplicaMiddleware``. A request's reads then go to one replica,
picked per request, except where a stale read would show: such requests read the primary.

- Writes (POST, PUT, PATCH, DELETE), the admin and every read inside a transaction use the
  primary, as do the models whose rows decide who someone is and what they may do (sessions,
  users and permissions, API tokens, sign-in lockouts): a login or a lockout must hold on the
  very next request, whichever app server answers it.
- **Read your writes**: after a write, the same client reads from the primary for
  ``REPLICA_PIN_SECONDS`` (a signed cookie for browsers, a cache flag for its API token).
- **No read older than a committed write, for anyone**: before a request reads a replica, it
  asks the primary how far its WAL is flushed (every acknowledged commit is) and the replica
  how far it has replayed; a replica that is behind gets up to 30 ms to catch up, and is not
  used for that request if it does not. Without this, the first anonymous
  visitor after an edit could build the page from a lagging replica, and the page cache would
  keep that stale page under the new data version. The check costs two one-row queries of the
  ``WalPosition`` view (``core/models.py``), only on requests that read the database at all (a
  page-cache hit reads none).

Outside a request (management commands, the shell, migrations) everything uses the primary,
and migrations run on the primary only: replicas copy its schema by streaming replication.
"""

import contextlib
import contextvars
import hashlib
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connections

from conference.core.models import WalPosition

PRIMARY = "default"
# Sign-in state, identities and permissions: read where they are written.
PRIMARY_APPS = frozenset({"sessions", "auth", "authtoken", "axes", "admin"})
PIN_COOKIE = "read_primary"
_PIN_SALT = "conference.db_routers.pin"
_PIN_CACHE_PREFIX = "conference:read-primary:"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A replica a little behind is asked again after each of these pauses (30 ms in all) before
# the primary answers: it replays what the primary flushed within ~10 ms (the primary's
# wal_writer_delay, deploy/postgres.py), a few ms more on a busy machine.
CATCH_UP_PAUSES = (0.002, 0.004, 0.008, 0.016)
# A replica that did not catch up is then asked only once, without waiting, for this long:
# while it lags (replay paused, a long recovery conflict) reads do not each wait for it.
BEHIND_SECONDS = 1.0


@dataclass
class _RequestReads:
    """Where one request reads: decided on its first read, then kept for the whole request
    so that one page never mixes two replicas' views of the data."""

    pinned: bool
    alias: str | None = None


_request_reads = contextvars.ContextVar("conference_request_reads", default=None)


def _replicas():
    return getattr(settings, "DATABASE_REPLICAS", [])


def _wal_position(alias):
    return WalPosition.objects.using(alias).get().number


def _primary_position():
    return _wal_position(PRIMARY)


def _replica_has_replayed(alias, position):
    replayed = _wal_position(alias)
    return replayed is not None and replayed >= position


# This process's replicas that did not catch up lately: alias -> until when (monotonic).
_behind_until = {}


def _first_replayed(replicas, position):
    for alias in replicas:
        if _replica_has_replayed(alias, position):
            _behind_until.pop(alias, None)
            return alias
    return None


def _up_to_date_replica():
    """A replica that has replayed every write committed before now, or None."""
    replicas = list(_replicas())
    random.shuffle(replicas)
    try:
        position = _primary_position()
        alias = _first_replayed(replicas, position)
        if alias is not None:
            return alias
        now = time.monotonic()
        worth_waiting_for = [alias for alias in replicas if _behind_until.get(alias, 0) <= now]
        for pause in CATCH_UP_PAUSES if worth_waiting_for else ():
            time.sleep(pause)
            alias = _first_replayed(worth_waiting_for, position)
            if alias is not None:
                return alias
        for alias in worth_waiting_for:
            _behind_until[alias] = time.monotonic() + BEHIND_SECONDS
    except DatabaseError:
        # A replica that is down or restarting: the primary answers instead.
        return None
    return None


def read_alias():
    """The database this request reads from (the primary outside a request)."""
    reads = _request_reads.get()
    if reads is None or reads.pinned:
        return PRIMARY
    if reads.alias is None:
        reads.alias = _up_to_date_replica() or PRIMARY
    return reads.alias


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_APPS or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return read_alias()

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same data: rows read from a replica may point at the primary's.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def _credential_key(request):
    """The cache key of the client's API credential, or None for a browser."""
    authorization = request.headers.get("Authorization", "")
    if not authorization:
        return None
    return _PIN_CACHE_PREFIX + hashlib.sha256(authorization.encode()).hexdigest()


def _recently_wrote(request):
    seconds = settings.REPLICA_PIN_SECONDS
    if request.get_signed_cookie(PIN_COOKIE, default=None, salt=_PIN_SALT, max_age=seconds):
        return True
    key = _credential_key(request)
    if key is None:
        return False
    try:
        return bool(cache.get(key))
    except Exception:  # noqa: BLE001 - a cache that fails must not serve an older read
        return True


def _remember_write(request, response):
    seconds = settings.REPLICA_PIN_SECONDS
    response.set_signed_cookie(
        PIN_COOKIE,
        "1",
        salt=_PIN_SALT,
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    key = _credential_key(request)
    if key is not None:
        # The write succeeded; a cache that fails loses only the pin.
        with contextlib.suppress(Exception):
            cache.set(key, 1, seconds)


class ReplicaMiddleware:
    """Decide, per request, whether it may read a replica (see the module docstring)."""

    def __init__(self, get_response):
        if not _replicas():
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_URL}"

    def __call__(self, request):
        writes = request.method not in SAFE_METHODS
        pinned = writes or request.path.startswith(self.admin_prefix) or _recently_wrote(request)
        token = _request_reads.set(_RequestReads(pinned=pinned))
        try:
            response = self.get_response(request)
        finally:
            _request_reads.reset(token)
        if writes:
            _remember_write(request, response)
        return response
