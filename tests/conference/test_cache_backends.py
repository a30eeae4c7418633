"""The Redis cache backend keeps one client; it behaves as Django's own."""

import json
import os
import subprocess
import sys

import pytest
import redis
from django.conf import settings

from conference.core.cache_backends import RedisCache

# A database number of its own, emptied by these tests.
REDIS_URL = "redis://127.0.0.1:6379/13"


def redis_answers():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(
    not redis_answers(), reason="needs Redis on 127.0.0.1:6379 (as in production)"
)


@pytest.fixture
def redis_cache():
    cache = RedisCache(REDIS_URL, {})
    cache.clear()
    yield cache
    cache.clear()


def test_values_round_trip_and_counters_count(redis_cache):
    redis_cache.set("page", (200, {"ETag": '"x"'}, b"<html>"))
    assert redis_cache.add("version", 1)
    redis_cache.incr("version")

    assert redis_cache.get("page") == (200, {"ETag": '"x"'}, b"<html>")
    assert redis_cache.get_many(["version", "missing"]) == {"version": 2}
    redis_cache.delete("page")
    assert redis_cache.get("page") is None


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client("a")

    assert redis_cache._cache.get_client("b") is client
    assert redis_cache._cache.get_client("c", write=True) is client


def test_a_redis_cache_url_selects_this_backend():
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    finished = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert finished.stdout.strip() == "conference.core.cache_backends.RedisCache"


def test_a_redis_cache_url_gets_short_timeouts_and_a_retry_pause():
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    finished = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings; "
            "cache = settings.CACHES['default']; "
            "print(json.dumps([cache['OPTIONS'], cache['RETRY_SECONDS']]))",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stderr
    options, retry_seconds = json.loads(finished.stdout)
    assert options == {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
    assert retry_seconds == 1.0
