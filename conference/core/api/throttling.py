"""Rate limits that count requests, read from settings at request time.

DRF's own classes copy ``DEFAULT_THROTTLE_RATES`` once, when they are imported; these read
them per request, so that tests and deployments can change them.

A request the server failed (any 5xx: a database outage, a bug) is not counted: the client
did nothing wrong and will retry, and during an outage every retry would otherwise use up
the limit of a whole address (``UncountServerErrorsMiddleware`` takes it back).

Requests are counted in the shared cache. While it does not answer they are counted in each
process's memory instead: the limit still holds per process, and no API request fails
because Redis did.
"""

from django.core.cache.backends.locmem import LocMemCache
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from conference.core.cache_backends import CacheUnavailable

_process_counts = LocMemCache("conference-throttling", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


class CountedRequestsMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        # DRF hands throttles its own request; the middleware sees Django's.
        self._django_request = request._request
        try:
            return super().allow_request(request, view)
        except CacheUnavailable:
            self.cache = _process_counts
            return super().allow_request(request, view)

    def throttle_success(self):
        counted = self._django_request.__dict__.setdefault("counted_by_throttles", [])
        counted.append(self)
        return super().throttle_success()

    def uncount(self):
        """Take back the request this throttle counted."""
        try:
            history = self.cache.get(self.key, [])
            if self.now in history:
                history.remove(self.now)
                self.cache.set(self.key, history, self.duration)
        except CacheUnavailable:
            pass


class AnonymousRateThrottle(CountedRequestsMixin, AnonRateThrottle):
    pass


class AuthenticatedRateThrottle(CountedRequestsMixin, UserRateThrottle):
    pass


class UncountServerErrorsMiddleware:
    """After a 5xx answer, the API's rate limits forget the request (see the docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 500:
            for throttle in getattr(request, "counted_by_throttles", ()):
                throttle.uncount()
        return response
