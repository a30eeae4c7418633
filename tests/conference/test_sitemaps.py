"""The sitemap index and its sections: every public record, each with its last change."""

import re

import pytest
from django.utils import timezone

from bench.sample_data import generate_sample_data
from conference.meetings.models import Meeting, Project, Topic
from conference.site.sitemaps import RecordSitemap
from papers.models import Paper
from people.models import Institution, Person

LOC_AND_LASTMOD = re.compile(r"<url><loc>http://testserver([^<]+)</loc><lastmod>([^<]+)</lastmod>")


@pytest.fixture
def generated_archive_for_sitemaps(db):
    generate_sample_data(scale=0.005, seed=2)


def harvest_sitemaps(client):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", index.content.decode())
    listed = {}
    for section in sections:
        response = client.get(section.replace("&amp;", "&"))
        assert response.status_code == 200
        listed.update(LOC_AND_LASTMOD.findall(response.content.decode()))
    return index.content.decode(), listed


def test_every_public_record_is_listed_with_its_last_change(client, generated_archive_for_sitemaps):
    _, listed = harvest_sitemaps(client)
    for model in (Meeting, Paper, Person, Institution, Topic, Project):
        for record in model.objects.all():
            # The day in the site's time zone, as Django's sitemap template writes it.
            day = timezone.localtime(record.updated_at).date().isoformat()
            assert listed[record.get_absolute_url()] == day


def test_sections_are_split_into_pages(client, generated_archive_for_sitemaps, monkeypatch):
    monkeypatch.setattr(RecordSitemap, "limit", 50)
    index, listed = harvest_sitemaps(client)
    assert "/sitemap-people.xml?p=2" in index
    assert sum(1 for path in listed if path.startswith("/people/")) == Person.objects.count()
    assert Person.objects.count() > 100
