"""Crossref deposit XML 5.3.0 for a meeting's papers, and ``manage.py crossref_deposit``."""

import io

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from bench.sample_data import largest_meeting
from conference.meetings.models import Meeting
from harvest.services import mark_for_registration
from papers.models import Paper
from people.models import Person

CR = "{http://www.crossref.org/schema/5.3.0}"
FR = "{http://www.crossref.org/fundref.xsd}"
TALK_TITLE = (
    "Sustainability and Co-creation in Public Sector Organisations: Practices, Outcomes, and "
    "Lessons Learned"
)


def deposit(meeting_slug, tmp_path):
    output = tmp_path / "deposit.xml"
    stderr = io.StringIO()
    call_command("crossref_deposit", meeting_slug, "--output", str(output), stderr=stderr)
    return output.read_bytes(), stderr.getvalue()


def test_deposit_of_the_demo_meeting(crossref_schema, demo_data, tmp_path, settings):
    settings.DOI_PREFIX = "10.55555"
    talk = Paper.objects.get(title=TALK_TITLE)
    mark_for_registration(record=talk)
    Person.objects.filter(slug="trui-steen").update(orcid="0000-0002-1825-0097")
    content, stderr = deposit("coproduction-2023-nijmegen", tmp_path)
    crossref_schema.validate(content)
    document = etree.fromstring(content)
    event = document.find(f".//{CR}event_metadata")
    assert event.findtext(f"{CR}conference_name") == (
        "10th open meeting of the IIAS Study Group on ‘Coproduction of Public Services’"
    )
    assert event.findtext(f"{CR}conference_number") == "10"
    assert event.findtext(f"{CR}conference_location") == "Nijmegen, Netherlands"
    assert dict(event.find(f"{CR}conference_date").attrib) == {
        "start_day": "11",
        "start_month": "05",
        "start_year": "2023",
        "end_day": "12",
        "end_month": "05",
        "end_year": "2023",
    }
    (paper,) = document.iter(f"{CR}conference_paper")
    assert paper.findtext(f".//{CR}title") == TALK_TITLE
    people = [
        (
            p.get("sequence"),
            p.findtext(f"{CR}given_name"),
            p.findtext(f"{CR}surname"),
            p.findtext(f".//{CR}institution_id"),
            p.findtext(f"{CR}ORCID"),
        )
        for p in paper.iter(f"{CR}person_name")
    ]
    assert people == [
        ("first", "Noella", "Edelmann", "https://ror.org/03ef4a036", None),
        (
            "additional",
            "Trui",
            "Steen",
            "https://ror.org/05f950310",
            "https://orcid.org/0000-0002-1825-0097",
        ),
        ("additional", "Charlotte", "van Dijk", "https://ror.org/05f950310", None),
    ]
    assert paper.findtext(f".//{CR}doi") == f"10.55555/work.{talk.slug}"
    assert paper.findtext(f".//{CR}resource") == f"http://127.0.0.1:8000/papers/{talk.slug}/"
    assert [a.text for a in paper.iter(f"{FR}assertion") if a.get("name") == "award_number"] == [
        "962563"
    ]
    assert stderr == "Wrote 1 paper(s) to " + str(tmp_path / "deposit.xml") + ".\n"


def test_works_without_a_doi_are_left_out_and_named(crossref_schema, demo_data, tmp_path):
    content, stderr = deposit("coproduction-2023-nijmegen", tmp_path)
    crossref_schema.validate(content)
    assert not list(etree.fromstring(content).iter(f"{CR}conference_paper"))
    assert f"Left out “{TALK_TITLE}”: it has no DOI: mark it to register one." in stderr


def test_deposit_goes_to_standard_output_by_default(demo_data, capfdbinary):
    call_command("crossref_deposit", "coproduction-2023-nijmegen")
    assert capfdbinary.readouterr().out.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_unknown_meeting_is_a_clear_error(demo_data):
    with pytest.raises(CommandError, match="No meeting has the slug 'nowhere'"):
        call_command("crossref_deposit", "nowhere")


def test_deposit_of_a_generated_meeting_validates(crossref_schema, generated_archive, tmp_path):
    meeting = largest_meeting()
    content, _ = deposit(meeting.slug, tmp_path)
    crossref_schema.validate(content)
    papers = list(etree.fromstring(content).iter(f"{CR}conference_paper"))
    with_doi = Paper.objects.presented_at(meeting).exclude(doi="").count()
    assert len(papers) == with_doi > 0


def test_every_generated_meeting_deposit_validates(crossref_schema, generated_archive, tmp_path):
    for slug in Meeting.objects.values_list("slug", flat=True):
        crossref_schema.validate(deposit(slug, tmp_path)[0])
