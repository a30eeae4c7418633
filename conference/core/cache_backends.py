"""Django's Redis cache, with one Redis client per connection pool and a circuit breaker.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` object for every
cache operation, and redis-py fills each new client's table of response callbacks: about
0.3 ms, as much as a whole ``/healthz`` request, twice per cached page (data version, page).
A client is safe to share between threads (connections come from its pool), so this backend
builds it once.

The cache must never be what takes the site down. Every operation that fails to reach Redis
raises ``CacheUnavailable`` (its callers serve uncached pages; see conference/caching.py),
and opens the circuit: for ``RETRY_SECONDS`` every operation raises at once, without waiting
for a connection, so an outage costs a request almost nothing. After the pause one operation
tries Redis again. Each outage is logged (a warning) once when it starts and once when it ends.
Everything else is Django's.
"""

import functools
import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends import redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_RETRY_SECONDS = 1.0


class CacheUnavailable(Exception):
    """The shared cache did not answer, or is being given time before it is asked again."""


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class CircuitBreaker:
    """Whether Redis may be asked now, and how many outages this process has seen.

    One per Redis server and process (``for_server``): Django gives each thread its own
    cache object, but an outage is the process's to log once and to count once.
    """

    _by_server = {}
    _registry_lock = threading.Lock()

    @classmethod
    def for_server(cls, name, retry_seconds):
        with cls._registry_lock:
            breaker = cls._by_server.get(name)
            if breaker is None or breaker.retry_seconds != retry_seconds:
                breaker = cls._by_server[name] = cls(name, retry_seconds)
            return breaker

    def __init__(self, name, retry_seconds):
        self.name = name
        self.retry_seconds = retry_seconds
        self.outages = 0
        self._lock = threading.Lock()
        self._down_since = None
        self._retry_at = 0.0

    @property
    def is_open(self):
        return self._down_since is not None

    def before_call(self):
        if self._down_since is not None and time.monotonic() < self._retry_at:
            raise CacheUnavailable(f"{self.name} is not answering; asked again shortly")

    def failed(self, error):
        with self._lock:
            now = time.monotonic()
            self._retry_at = now + self.retry_seconds
            if self._down_since is not None:
                return
            self._down_since = now
            self.outages += 1
        logger.warning(
            "The cache at %s is not answering (%s): pages and API answers are served "
            "uncached and rate limits are counted in each process until it answers again.",
            self.name,
            error,
        )

    def succeeded(self):
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is None:
                return
            seconds, self._down_since = time.monotonic() - self._down_since, None
        # A warning too: whoever was alerted by the start of the outage wants to see its end.
        logger.warning("The cache at %s is answering again after %.1f s.", self.name, seconds)


def _guarded(operation):
    @functools.wraps(operation)
    def guarded(self, *args, **kwargs):
        self.breaker.before_call()
        try:
            result = operation(self, *args, **kwargs)
        except RedisError as error:
            self.breaker.failed(error)
            raise CacheUnavailable(f"{self.breaker.name}: {error}") from error
        self.breaker.succeeded()
        return result

    return guarded


class RedisCache(redis.RedisCache):
    """``RETRY_SECONDS`` (beside ``OPTIONS`` in ``CACHES``): the breaker's pause."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        address = urlsplit(self._servers[0])
        # Host and port only: the URL may hold a password, and this name goes into logs.
        self.breaker = CircuitBreaker.for_server(
            f"{address.hostname}:{address.port or 6379}",
            params.get("RETRY_SECONDS", DEFAULT_RETRY_SECONDS),
        )

    @property
    def outages(self):
        """How many times this process has found Redis unreachable (conference/caching.py)."""
        return self.breaker.outages

    add = _guarded(redis.RedisCache.add)
    get = _guarded(redis.RedisCache.get)
    set = _guarded(redis.RedisCache.set)
    touch = _guarded(redis.RedisCache.touch)
    delete = _guarded(redis.RedisCache.delete)
    get_many = _guarded(redis.RedisCache.get_many)
    has_key = _guarded(redis.RedisCache.has_key)
    incr = _guarded(redis.RedisCache.incr)
    set_many = _guarded(redis.RedisCache.set_many)
    delete_many = _guarded(redis.RedisCache.delete_many)
    clear = _guarded(redis.RedisCache.clear)
