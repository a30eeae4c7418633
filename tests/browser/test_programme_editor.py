"""An organizer builds a session in the admin's programme editor, in a real browser: one page,
no "save first", the presenters ticked among each work's authors as soon as the work is chosen."""

import datetime

import pytest
from playwright.sync_api import expect

from conference.meetings.models import Meeting, Room, Session
from people.models import Affiliation
from tests.factories.papers import AuthorshipFactory, PaperFactory
from tests.factories.people import InstitutionFactory, PersonFactory

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def organizer(site_url, django_user_model):
    django_user_model.objects.create_superuser(
        username="organizer", email="organizer@example.org", password=PASSWORD
    )
    return "organizer"


@pytest.fixture
def works(site_url):
    """Three works of two authors each, a chair and a discussant, for the demo meeting."""
    works = []
    for number, (first, second) in enumerate(
        [("Ada", "Bakker"), ("Bram", "Claes"), ("Cato", "Dekker")], start=1
    ):
        work = PaperFactory(title=f"Panel paper {number} on co-creation")
        AuthorshipFactory(
            paper=work, position=1, person=PersonFactory(given_name=first, family_name="Author")
        )
        AuthorshipFactory(
            paper=work, position=2, person=PersonFactory(given_name=second, family_name="Second")
        )
        works.append(work)
    discussant = PersonFactory(given_name="Dora", family_name="Discussant")
    Affiliation.objects.create(
        person=discussant, institution=InstitutionFactory(name="Ghent University"), start_year=2020
    )
    PersonFactory(given_name="Chris", family_name="Chairwoman")
    return works


def choose(page, select_id, term, option):
    """Pick ``option`` in the admin's autocomplete (Select2) for the select ``select_id``."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(term)
    page.locator(".select2-results__option", has_text=option).first.click()


def log_in(page, site_url, username):
    page.goto(site_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()


@pytest.mark.browser
def test_organizer_adds_a_session_with_three_talks_presenters_and_a_discussant_in_one_page(
    site_url, page, organizer, works, screenshot_dir
):
    meeting = Meeting.objects.get()
    Room.objects.create(meeting=meeting, name="Aula", position=1)
    log_in(page, site_url, organizer)

    page.goto(f"{site_url}/admin/conference/session/add/?meeting={meeting.pk}")
    page.fill("#id_title", "Co-creation in practice")
    page.select_option("#id_kind", "panel")
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "10:30")
    page.select_option("#id_room", label="Aula")
    choose(page, "id_session_chairs-0-person", "Chairwoman", "Chris Chairwoman")
    for row, work in enumerate(works):
        choose(page, f"id_talks-{row}-paper", work.title, work.title)
        presenters = page.locator(f"#id_talks-{row}-presenters")
        # The work's authors appear to be ticked without saving first.
        expect(presenters.get_by_label("Author", exact=False)).to_be_visible()
        presenters.get_by_label("Author", exact=False).check()
        expect(page.locator(f"#id_talks-{row}-position")).to_have_value(str(row + 1))
    page.locator("#id_talks-1-presenters").get_by_label("Second", exact=False).check()
    page.locator("#id_talks-1-discussed_by + .select2 .select2-search__field").fill("Discussant")
    page.locator(".select2-results__option", has_text="Dora Discussant").first.click()
    # The third talk goes first: reorder with its "up" button (what dragging does too).
    third = page.locator("tr.form-row", has=page.locator("#id_talks-2-paper"))
    third.get_by_role("button", name="Move up").click()
    third.get_by_role("button", name="Move up").click()
    expect(page.locator("#id_talks-2-position")).to_have_value("1")
    page.screenshot(path=screenshot_dir / "programme-editor-new-session.png", full_page=True)

    page.locator("input[name=_save]").click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    session = Session.objects.get()
    assert (session.title, session.kind, session.start_time, str(session.room)) == (
        "Co-creation in practice",
        "panel",
        datetime.time(9),
        "Aula",
    )
    assert [chair.person.full_name for chair in session.session_chairs.all()] == [
        "Chris Chairwoman"
    ]
    talks = list(session.talks.order_by("position"))
    assert [talk.paper for talk in talks] == [works[2], works[0], works[1]]
    assert [
        [presenter.authorship.person.full_name for presenter in talk.presenters.all()]
        for talk in talks
    ] == [["Cato Author"], ["Ada Author"], ["Bram Author", "Claes Second"]]
    discussant = talks[2].discussant_roles.get()
    assert (discussant.person.full_name, discussant.affiliation.name) == (
        "Dora Discussant",
        "Ghent University",
    )


@pytest.mark.browser
def test_organizer_adds_a_talk_for_a_new_work_without_leaving_the_session(
    site_url, page, organizer, works
):
    meeting = Meeting.objects.get()
    log_in(page, site_url, organizer)
    page.goto(f"{site_url}/admin/conference/session/add/?meeting={meeting.pk}")
    page.fill("#id_title", "New research")

    with page.expect_popup() as opened:
        page.locator("#add_id_talks-0-paper").click()
    popup = opened.value
    popup.fill("#id_title", "A work written for this session")
    popup.fill("#id_year", "2023")
    popup.get_by_text("Add another contributor").click()
    popup.fill("#id_authorships-0-position", "1")
    choose(popup, "id_authorships-0-person", "Discussant", "Dora Discussant")
    popup.locator("input[name=_save]").click()
    popup.wait_for_event("close")

    expect(page.locator("#select2-id_talks-0-paper-container")).to_contain_text(
        "A work written for this session"
    )
    presenters = page.locator("#id_talks-0-presenters")
    presenters.get_by_label("Dora Discussant", exact=False).check()
    page.locator("input[name=_save]").click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    talk = Session.objects.get().talks.get()
    assert talk.paper.title == "A work written for this session"
    assert [presenter.authorship.person.full_name for presenter in talk.presenters.all()] == [
        "Dora Discussant"
    ]
