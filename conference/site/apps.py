from django.apps import AppConfig

from conference.site import caching


class SiteConfig(AppConfig):
    """The site layer: what combines the apps (public pages of meetings and people, search,
    sitemaps, health, the page cache, backup). Nothing but the root urls, settings and
    management commands imports it."""

    name = "conference.site"
    label = "site"
    verbose_name = "Site"

    def ready(self):
        caching.connect_signals()
