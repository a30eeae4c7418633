"""sitemap.xml: every public page, with the last change for records that have one."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from conference.models import Meeting, Project, Topic
from papers.models import Paper
from people.models import Institution, Person


class RecordSitemap(Sitemap):
    model = None

    def items(self):
        return self.model.objects.order_by("pk")

    def lastmod(self, record):
        return record.updated_at


class MeetingSitemap(RecordSitemap):
    model = Meeting
    priority = 0.8


class PaperSitemap(RecordSitemap):
    model = Paper
    priority = 0.7


class PersonSitemap(RecordSitemap):
    model = Person


class InstitutionSitemap(RecordSitemap):
    model = Institution


class TopicSitemap(RecordSitemap):
    model = Topic


class ProjectSitemap(RecordSitemap):
    model = Project


class StaticPageSitemap(Sitemap):
    priority = 0.5

    def items(self):
        return ["conference:home", "conference:search"]

    def location(self, name):
        return reverse(name)


sitemaps = {
    "static": StaticPageSitemap,
    "meetings": MeetingSitemap,
    "papers": PaperSitemap,
    "people": PersonSitemap,
    "institutions": InstitutionSitemap,
    "topics": TopicSitemap,
    "projects": ProjectSitemap,
}
