"""Rate limits read from settings at request time, so that tests and deployments can change them.

DRF's own classes copy ``DEFAULT_THROTTLE_RATES`` once, when they are imported.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class CurrentRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousRateThrottle(CurrentRateMixin, AnonRateThrottle):
    pass


class AuthenticatedRateThrottle(CurrentRateMixin, UserRateThrottle):
    pass
