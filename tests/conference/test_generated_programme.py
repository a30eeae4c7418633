"""The programme of generated meetings: every schedule validates, and the 400-talk meeting's
pages stay small with every talk two clicks from the meeting page."""

import json

import pytest
from lxml import etree

from bench.sample_data import generate_sample_data, largest_meeting
from conference.meetings.models import Meeting

MAX_PAGE_BYTES = 150 * 1024


@pytest.fixture
def generated(db):
    """A generated archive whose largest meeting has 400 talks over 3 days and 4 rooms."""
    generate_sample_data(scale=0.03, seed=1)
    return largest_meeting()


def test_every_generated_meeting_schedule_validates(
    client, generated, frab_xml_schema, frab_json_validator
):
    events = 0
    for meeting in Meeting.objects.all():
        xml = client.get(f"{meeting.get_absolute_url()}schedule.xml")
        data = client.get(f"{meeting.get_absolute_url()}schedule.json")
        frab_xml_schema.validate(xml.content)
        frab_json_validator.validate(json.loads(data.content))
        events += len(etree.fromstring(xml.content).findall(".//event"))
    assert events > 0


def test_the_400_talk_meeting_pages_stay_small_and_every_talk_is_two_clicks_away(client, generated):
    meeting_url = generated.get_absolute_url()
    first = client.get(meeting_url)
    assert len(first.content) < MAX_PAGE_BYTES
    pages = [first.content.decode()]
    for day in generated.days:
        response = client.get(f"{meeting_url}?day={day.isoformat()}")
        assert len(response.content) < MAX_PAGE_BYTES, day
        pages.append(response.content.decode())
    session_urls = {session.get_absolute_url() for session in generated.sessions.all()}
    # Click one: every session page is linked from the meeting page's index.
    assert all(f'href="{url}"' in pages[0] for url in session_urls)
    reachable = set()
    for url in session_urls:
        response = client.get(url)
        assert len(response.content) < MAX_PAGE_BYTES, url
        reachable.update(
            paper
            for paper in generated.presentations.values_list("paper__slug", flat=True)
            if f'href="/papers/{paper}/"' in response.content.decode()
        )
    unscheduled = set(
        generated.presentations.filter(session=None).values_list("paper__slug", flat=True)
    )
    other = client.get(f"{meeting_url}?day=other").content.decode()
    reachable.update(slug for slug in unscheduled if f'href="/papers/{slug}/"' in other)
    assert reachable == set(generated.presentations.values_list("paper__slug", flat=True))
