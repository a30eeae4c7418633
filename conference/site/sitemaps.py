"""sitemap.xml: every public page, with the last change for records that have one.

``/sitemap.xml`` is an index of one sitemap per kind of record (``/sitemap-papers.xml``…),
each split into pages of 50,000 addresses as the sitemaps protocol requires: a large
archive has more people than one sitemap may hold. Each page is listed in every language
(``/fr/papers/…``), with its translations as hreflang alternates.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from conference.meetings.models import Meeting, Project, Series, Session, Topic
from papers.models import Paper
from people.models import Institution, Person


class PublicPageSitemap(Sitemap):
    """Every page once per language, each entry naming the others (hreflang alternates)."""

    i18n = True
    alternates = True
    x_default = True


class RecordSitemap(PublicPageSitemap):
    model = None

    def items(self):
        # A record's address needs only its slug.
        return self.model.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, record):
        return record.updated_at

    def get_latest_lastmod(self):
        """The index's lastmod for this section, from one aggregate query."""
        return self.model.objects.aggregate(latest=Max("updated_at"))["latest"]


class MeetingSitemap(RecordSitemap):
    model = Meeting
    priority = 0.8


class SessionSitemap(RecordSitemap):
    """Session pages: their address is their meeting's and their own slug."""

    model = Session
    priority = 0.6

    def items(self):
        return (
            Session.objects.select_related("meeting")
            .only("slug", "updated_at", "meeting__slug")
            .order_by("pk")
        )


class PaperSitemap(RecordSitemap):
    model = Paper
    priority = 0.7


class PersonSitemap(RecordSitemap):
    model = Person


class InstitutionSitemap(RecordSitemap):
    model = Institution


class SeriesSitemap(RecordSitemap):
    model = Series
    priority = 0.8


class TopicSitemap(RecordSitemap):
    model = Topic


class ProjectSitemap(RecordSitemap):
    model = Project


class StaticPageSitemap(PublicPageSitemap):
    priority = 0.5

    def items(self):
        return [
            "conference:home",
            "conference:meeting_list",
            "conference:series_list",
            "conference:topic_list",
            "papers:paper_list",
            "people:person_list",
            "people:institution_list",
        ]

    def location(self, name):
        return reverse(name)


sitemaps = {
    "static": StaticPageSitemap,
    "series": SeriesSitemap,
    "meetings": MeetingSitemap,
    "sessions": SessionSitemap,
    "papers": PaperSitemap,
    "people": PersonSitemap,
    "institutions": InstitutionSitemap,
    "topics": TopicSitemap,
    "projects": ProjectSitemap,
}
