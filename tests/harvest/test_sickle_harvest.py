"""A real OAI-PMH client (Sickle) harvests a whole generated archive from a live server."""

import pytest
from sickle import Sickle

from bench.sample_data import generate_sample_data
from conference.meetings.models import Meeting
from papers.models import Paper

REPOSITORY = "archive.localhost"


@pytest.fixture
def live_archive(transactional_db, live_server):
    generate_sample_data(scale=0.01, seed=5)
    return Sickle(f"{live_server.url}/oai/", max_retries=0, timeout=60)


@pytest.mark.parametrize("prefix", ["oai_dc", "oai_datacite"])
def test_sickle_harvests_every_work_and_meeting_exactly_once(live_archive, prefix):
    harvested = [
        record.header.identifier for record in live_archive.ListRecords(metadataPrefix=prefix)
    ]
    works = [
        f"oai:{REPOSITORY}:paper/{slug}" for slug in Paper.objects.values_list("slug", flat=True)
    ]
    meetings = [
        f"oai:{REPOSITORY}:meeting/{slug}"
        for slug in Meeting.objects.values_list("slug", flat=True)
    ]
    assert len(works) + len(meetings) > 200  # three pages of 100
    assert sorted(harvested) == sorted(works + meetings)


def test_sickle_reads_identify_and_a_set(live_archive):
    identify = live_archive.Identify()
    assert identify.protocolVersion == "2.0"
    meeting = Meeting.objects.select_related("series").order_by("slug").first()
    spec = f"{meeting.series.slug}:{meeting.slug}"
    harvested = {
        h.identifier for h in live_archive.ListIdentifiers(metadataPrefix="oai_dc", set=spec)
    }
    expected = {f"oai:{REPOSITORY}:meeting/{meeting.slug}"} | {
        f"oai:{REPOSITORY}:paper/{slug}"
        for slug in Paper.objects.presented_at(meeting).values_list("slug", flat=True)
    }
    assert harvested == expected
