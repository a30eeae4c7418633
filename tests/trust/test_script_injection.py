"""Script injection: user text in every field is escaped on every public page."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conference.meetings.models import (
    CommitteeMember,
    Meeting,
    MeetingSupport,
    MeetingTopic,
    Project,
    Series,
    Topic,
)
from papers.models import Authorship, Paper, Presentation, Presenter, WorkRelation
from people.models import Affiliation, Institution, Person
from tests.trust.admin_forms import admin_url, form_data

PAYLOAD = "<script>alert('xss')</script><img src=x onerror=alert(1)>\"'"
SHORT_PAYLOAD = "<script>alert(1)</script>"  # for fields of 60 characters
RAW_MARKERS = ["<script>alert", "<img src=x onerror", "</script><img"]
EVIL_URL = "javascript:alert(document.cookie)"
# A valid address whose query holds the script: it must come out escaped in href="…".
HOSTILE_URL = "https://example.org/?q=<script>alert(1)</script>"


def text(label):
    return f"{label} {PAYLOAD}"


@pytest.fixture
def hostile_archive(db):
    """Every text field an organizer or an import can fill, holding a script. Addresses are
    valid ones (every way in refuses javascript: addresses, tested below)."""
    institution = Institution.objects.create(
        name=text("Institution"),
        short_name="EVIL<b>",
        other_names=text("Formerly"),
        city=text("City"),
        website=HOSTILE_URL,
    )
    person = Person.objects.create(
        given_name=text("Given"), family_name=text("Family"), website=HOSTILE_URL
    )
    Affiliation.objects.create(person=person, institution=institution, role=text("Role"))
    series = Series.objects.create(
        name=text("Series"),
        short_name=text("S"),
        description=text("Series description"),
        parent_organisation=institution,
        website=HOSTILE_URL,
    )
    topic = Topic.objects.create(name=text("Topic"), description=text("Topic description"))
    project = Project.objects.create(
        acronym=f"P {SHORT_PAYLOAD}",
        title=text("Project"),
        funder=text("Funder"),
        programme=text("Programme"),
        grant_agreement=f"GA {SHORT_PAYLOAD}",
        description=text("Project description"),
        website=HOSTILE_URL,
    )
    meeting = Meeting.objects.create(
        series=series,
        edition=1,
        kind=f"kind {SHORT_PAYLOAD}",
        title=text("Meeting"),
        start_date=datetime.date(2023, 5, 11),
        end_date=datetime.date(2023, 5, 12),
        venue=text("Venue"),
        city=text("Town"),
        country="NL",
        description=text("Meeting description"),
        acknowledgment_note=text("Thanks"),
        website=HOSTILE_URL,
    )
    MeetingTopic.objects.create(meeting=meeting, topic=topic)
    MeetingSupport.objects.create(meeting=meeting, project=project, acknowledged=True)
    CommitteeMember.objects.create(meeting=meeting, person=person, affiliation=institution)
    earlier = Paper.objects.create(title=text("Earlier work"), year=2020)
    paper = Paper.objects.create(
        title=text("Work"),
        abstract=text("Abstract\nsecond line"),
        kind=Paper.Kind.JOURNAL_ARTICLE,
        year=2023,
        journal=text("Journal"),
        volume="1<b>",
        issue="2<i>",
        pages="3<u>",
        publisher=text("Publisher"),
        url=HOSTILE_URL,
    )
    paper.topics.add(topic)
    paper.projects.add(project)
    authorship = Authorship.objects.create(
        paper=paper, person=person, position=1, affiliation=institution
    )
    Authorship.objects.create(paper=earlier, person=person, position=1)
    WorkRelation.objects.create(source=paper, target=earlier, kind="extends", note=text("Note"))
    presentation = Presentation.objects.create(meeting=meeting, paper=paper, session=text("S1"))
    Presenter.objects.create(presentation=presentation, authorship=authorship)
    return {
        "meeting": meeting,
        "paper": paper,
        "earlier": earlier,
        "person": person,
        "institution": institution,
        "topic": topic,
        "project": project,
    }


PAGES = ["meeting", "paper", "earlier", "person", "institution", "topic", "project"]


@pytest.mark.parametrize("name", PAGES)
def test_record_pages_escape_user_text(client, hostile_archive, name):
    response = client.get(hostile_archive[name].get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    for marker in RAW_MARKERS:
        assert marker not in html
    assert "&lt;script&gt;alert(" in html


@pytest.mark.parametrize("path", ["/", "/search/?q=script", "/search/?q=<script>alert(1)</script>"])
def test_lists_and_search_escape_user_text(client, hostile_archive, path):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    for marker in RAW_MARKERS:
        assert marker not in html


def test_structured_data_cannot_close_its_script_element(client, hostile_archive):
    html = client.get(hostile_archive["paper"].get_absolute_url()).content.decode()
    for block in re.findall(r"<script[^>]*ld\+json[^>]*>(.*?)</script>", html, flags=re.S):
        assert "<" not in block


def test_admin_refuses_a_javascript_url(staff_client, db):
    url = admin_url(Person, "add")
    response = staff_client.post(
        url,
        form_data(staff_client.get(url), given_name="A", family_name="B", website=EVIL_URL),
    )
    assert response.status_code == 200
    assert "Enter a valid URL." in str(response.context["adminform"].form.errors)
    assert not Person.objects.exists()


def test_api_refuses_a_javascript_url(db, django_user_model):
    user = django_user_model.objects.create_user(username="ines", password="not-used-9x!")
    user.groups.add(Group.objects.get(name="Organizers"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    response = client.post(
        "/api/people/", {"given_name": "A", "family_name": "B", "website": EVIL_URL}, format="json"
    )

    assert response.status_code == 400
    assert "website" in response.json()
    assert not Person.objects.exists()


def test_import_refuses_a_javascript_url(staff_client, db):
    entry = "@article{a2023, title={A work}, author={B, A}, year={2023}, url={" + EVIL_URL + "}}"
    url = "/admin/papers/paper/import/"
    response = staff_client.post(url, {"format": "bibtex", "text": entry, "confirm": "1"})

    assert response.status_code == 200
    # The preview already names the bad address, and offers no import button.
    assert "URL: Enter a valid URL." in response.content.decode()
    assert 'name="confirm"' not in response.content.decode()
    assert not Paper.objects.exists()
    assert not Person.objects.exists()
