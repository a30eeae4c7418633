"""Liveness and readiness probes for load balancers, orchestrators and the benchmark.

``/healthz`` touches nothing but Python: it is the baseline the benchmark divides by, so it
must stay free of database access, sessions and templates.

``/readyz`` answers what the process can rely on, as JSON:
``{"database": "ok", "cache": "ok"}``. It is 503 only when the database does not answer,
since then no page can be built. A cache that does not answer (``"cache": "unavailable"``)
leaves it 200: every page is still served, only uncached (conference/site/caching.py), and as
all processes share the one Redis, taking them out of the load balancer for it would turn a
slower site into no site at all. Monitoring should alert on the body, not only the status.
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from conference.core.cache_backends import CacheUnavailable

logger = logging.getLogger(__name__)

READINESS_PROBE_KEY = "conference:readyz"


@never_cache
@require_safe
def healthz(request):
    """The process is up and serving requests."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _database_state():
    # Django's own liveness test of a connection (on PostgreSQL a round trip to the server).
    try:
        connection.ensure_connection()
        usable = connection.is_usable()
    except DatabaseError as error:
        logger.warning("Readiness check failed: %s", error)
        return "unavailable"
    if not usable:
        logger.warning("Readiness check failed: the database connection does not answer")
        return "unavailable"
    return "ok"


def _cache_state():
    try:
        cache.get(READINESS_PROBE_KEY)
    except CacheUnavailable:
        return "unavailable"  # the cache backend logs the outage
    return "ok"


@never_cache
@require_safe
def readyz(request):
    """Whether the database and the cache answer; 503 without a database."""
    state = {"database": _database_state(), "cache": _cache_state()}
    return JsonResponse(state, status=200 if state["database"] == "ok" else 503)
