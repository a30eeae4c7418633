"""The DOI registration workflow: organizers mark records, the export writes the files to
upload, the confirmation puts the DOI on the record. No network call anywhere."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from lxml import etree

from conference.meetings.models import Meeting
from harvest.models import DoiRegistration
from harvest.services import mark_for_registration
from papers.models import Paper

TALK_SLUG = "sustainability-and-co-creation-in-public-sector-organisations"
NS = "{http://datacite.org/schema/kernel-4}"


@pytest.fixture
def prefix(settings):
    settings.DOI_PREFIX = "10.55555"
    return "10.55555"


def export(tmp_path):
    stdout = io.StringIO()
    call_command("doi_export", "--output-dir", str(tmp_path), stdout=stdout)
    return stdout.getvalue()


def test_export_writes_valid_files_for_marked_records(
    demo_data, prefix, tmp_path, datacite_schema, crossref_schema
):
    mark_for_registration(record=Paper.objects.get(slug=TALK_SLUG))
    mark_for_registration(record=Meeting.objects.get())
    output = export(tmp_path)
    assert output.splitlines()[0] == "Exported 2 DOI registration(s):"
    talk_file = tmp_path / "datacite" / f"10.55555_work.{TALK_SLUG}.xml"
    meeting_file = tmp_path / "datacite" / "10.55555_meeting.coproduction-2023-nijmegen.xml"
    deposit_file = tmp_path / "crossref" / "coproduction-2023-nijmegen.xml"
    for path in (talk_file, meeting_file):
        datacite_schema.validate(str(path))
    crossref_schema.validate(str(deposit_file))
    talk = etree.parse(str(talk_file))
    assert talk.findtext(f"{NS}identifier") == f"10.55555/work.{TALK_SLUG}"
    # The talk points at the meeting's page until the meeting's own DOI is registered.
    assert talk.find(f".//{NS}relatedIdentifier").get("relatedIdentifierType") == "URL"
    assert set(DoiRegistration.objects.values_list("status", flat=True)) == {"exported"}
    assert export(tmp_path) == "Nothing is marked to register: mark works or meetings first.\n"


def test_confirmation_puts_the_doi_on_the_work(demo_data, prefix, tmp_path, client):
    talk = Paper.objects.get(slug=TALK_SLUG)
    mark_for_registration(record=talk)
    export(tmp_path)
    assert Paper.objects.get(slug=TALK_SLUG).doi == ""
    call_command("doi_export", "--confirm", f"10.55555/work.{TALK_SLUG}", stdout=io.StringIO())
    assert Paper.objects.get(slug=TALK_SLUG).doi == f"10.55555/work.{TALK_SLUG}"
    page = client.get(f"/papers/{TALK_SLUG}/")
    assert f"https://doi.org/10.55555/work.{TALK_SLUG}" in page.content.decode()


def test_registered_meeting_doi_is_the_talks_presented_at_link(
    demo_data, prefix, tmp_path, client, datacite_schema
):
    mark_for_registration(record=Meeting.objects.get())
    export(tmp_path)
    call_command(
        "doi_export",
        "--confirm",
        "10.55555/meeting.coproduction-2023-nijmegen",
        stdout=io.StringIO(),
    )
    response = client.get(f"/papers/{TALK_SLUG}/datacite.xml")
    datacite_schema.validate(response.content)
    link = etree.fromstring(response.content).find(f".//{NS}relatedIdentifier")
    assert (link.get("relatedIdentifierType"), link.text) == (
        "DOI",
        "10.55555/meeting.coproduction-2023-nijmegen",
    )


def test_marking_needs_a_prefix(demo_data, settings):
    settings.DOI_PREFIX = ""
    with pytest.raises(ValidationError, match="DOI_PREFIX is not set"):
        mark_for_registration(record=Paper.objects.get(slug=TALK_SLUG))
    assert DoiRegistration.objects.count() == 0


def test_a_work_with_a_doi_is_not_marked(demo_data, prefix):
    article = Paper.objects.exclude(doi="").get()
    with pytest.raises(ValidationError, match="already has the DOI 10.3390/admsci13020043"):
        mark_for_registration(record=article)
    assert DoiRegistration.objects.count() == 0


def test_confirming_an_unknown_doi_is_refused(demo_data):
    with pytest.raises(CommandError, match="Not marked for registration here: 10.1/x"):
        call_command("doi_export", "--confirm", "10.1/x")


def test_organizers_mark_works_from_the_admin_list(staff_client, demo_data, prefix):
    talk = Paper.objects.get(slug=TALK_SLUG)
    response = staff_client.post(
        "/admin/papers/paper/",
        {"action": "mark_to_register", "_selected_action": [talk.pk]},
        follow=True,
    )
    assert (
        "1 marked to register; export them with manage.py doi_export." in response.content.decode()
    )
    registration = DoiRegistration.objects.get()
    assert (registration.paper, registration.doi, registration.status) == (
        talk,
        f"10.55555/work.{TALK_SLUG}",
        "to_register",
    )


def test_admin_refuses_marking_without_a_prefix(staff_client, demo_data, settings):
    settings.DOI_PREFIX = ""
    meeting = Meeting.objects.get()
    response = staff_client.post(
        "/admin/conference/meeting/",
        {"action": "mark_to_register", "_selected_action": [meeting.pk]},
        follow=True,
    )
    assert "DOI_PREFIX is not set" in response.content.decode()
    assert DoiRegistration.objects.count() == 0


def test_admin_add_form_suggests_the_doi(staff_client, demo_data, prefix):
    meeting = Meeting.objects.get()
    response = staff_client.post(
        "/admin/harvest/doiregistration/add/", {"meeting": meeting.pk, "doi": ""}, follow=True
    )
    assert response.status_code == 200
    assert DoiRegistration.objects.get().doi == "10.55555/meeting.coproduction-2023-nijmegen"
