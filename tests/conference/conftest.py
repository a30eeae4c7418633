import pytest
import redis

from bench.faults import CuttableProxy, RedisServer
from conference.core.cache_backends import CircuitBreaker
from conference.site import caching

# Short, as in production (settings): an unreachable Redis must not stall a request.
REDIS_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
RETRY_SECONDS = 0.5


@pytest.fixture(scope="session")
def own_redis():
    """A redis-server of the tests' own on a free port (never the shared one)."""
    if not RedisServer.available():
        pytest.skip("needs redis-server (make test installs it)")
    with RedisServer() as server:
        yield server


@pytest.fixture
def redis_link(own_redis, settings):
    """The page cache on, in our own Redis reached through a proxy the test can cut."""
    with CuttableProxy(own_redis.port) as proxy:
        original_caches = settings.CACHES
        settings.CACHES = {
            "default": {
                "BACKEND": "conference.core.cache_backends.RedisCache",
                "LOCATION": proxy.url(),
                "OPTIONS": REDIS_OPTIONS,
                "RETRY_SECONDS": RETRY_SECONDS,
            }
        }
        settings.PAGE_CACHE = True
        direct = redis.Redis.from_url(own_redis.url)
        direct.flushdb()
        caching.forget_process_state()
        CircuitBreaker._by_server.clear()  # a port the OS hands out again starts closed
        proxy.redis = direct
        yield proxy
        proxy.restore()
        caching.forget_process_state()
        settings.CACHES = original_caches
        direct.flushdb()
        direct.close()
