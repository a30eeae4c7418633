"""The programme in a real browser: the demo's talk first on a desktop, a multi-day meeting's
parallel sessions as columns on a wide screen and one column on a phone, and the meeting and
session pages passing axe."""

import datetime
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from bench.sample_data import generate_sample_data, largest_meeting
from tests.browser.test_accessibility import (
    AXE_TAGS,
    BLOCKING_IMPACTS,
    HEADINGS_SCRIPT,
    describe_violation,
    outline_problems,
)
from tests.factories.conference import (
    MeetingFactory,
    RoomFactory,
    SessionChairFactory,
    SessionFactory,
)
from tests.factories.papers import (
    AuthorshipFactory,
    DiscussantFactory,
    PresentationFactory,
    PresenterFactory,
)

MEETING = "coproduction-2023-nijmegen"
PAPER_TITLE = (
    "Sustainability and Co-creation in Public Sector Organisations: "
    "Practices, Outcomes, and Lessons Learned"
)
WIDE = {"viewport": {"width": 1366, "height": 900}}
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


@pytest.fixture
def generated_site(live_server, transactional_db):
    """A live server with a two-day meeting: four parallel sessions at nine in four rooms,
    each with a chair and three talks with a discussant, and a plenary after them."""
    cache.clear()
    meeting = MeetingFactory(
        slug="coproduction-2024-leuven",
        start_date=datetime.date(2024, 5, 15),
        end_date=datetime.date(2024, 5, 16),
        country="BE",
    )
    parallel = []
    for number in range(1, 5):
        room = RoomFactory(meeting=meeting, name=f"Room {number}")
        session = SessionFactory(
            meeting=meeting,
            title=f"Co-creation in practice {number}",
            start_time=datetime.time(9),
            end_time=datetime.time(10, 30),
            room=room,
        )
        SessionChairFactory(session=session)
        for _ in range(3):
            talk = PresentationFactory(meeting=meeting, session=session)
            for position in (1, 2):
                authorship = AuthorshipFactory(paper=talk.paper, position=position)
                if position == 1:
                    PresenterFactory(presentation=talk, authorship=authorship)
            DiscussantFactory(presentation=talk)
        parallel.append(session)
    SessionFactory(
        meeting=meeting,
        title="Closing plenary",
        kind="plenary",
        day=datetime.date(2024, 5, 16),
        start_time=datetime.time(11),
        end_time=datetime.time(12),
    )
    return live_server.url, meeting, parallel[0]


def audit(page, axe_script):
    """Serious or critical axe violations and heading-outline problems of the open page."""
    headings = page.evaluate(HEADINGS_SCRIPT)
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    failures = [
        describe_violation(v) for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS
    ]
    return failures + outline_problems(headings)


@pytest.mark.browser
def test_demo_talk_is_the_first_thing_seen_on_a_desktop(site_url, new_context, screenshot_dir):
    page = new_context(**WIDE).new_page()
    page.goto(f"{site_url}/meetings/{MEETING}/")
    page.screenshot(path=screenshot_dir / "meeting-demo-1366.png")

    talk = page.locator(".talks > li").first
    expect(talk.get_by_role("link", name=PAPER_TITLE, exact=True)).to_be_in_viewport()
    box = talk.bounding_box()
    assert box["y"] + box["height"] <= 900, f"the talk ends {box['y'] + box['height']} px down"
    expect(talk).to_contain_text(
        "Presented by Noella Edelmann (University for Continuing Education Krems), "
        "Trui Steen (KU Leuven) and Charlotte van Dijk (KU Leuven)"
    )
    # The facts follow the programme: nothing invented, nothing lost.
    about = page.locator("#about")
    expect(about).to_contain_text("11–12 May 2023")
    expect(about).to_contain_text("Nijmegen")
    expect(page.locator("main")).to_contain_text("962563")
    expect(page.locator("main")).not_to_contain_text(re.compile(r"\b\d\d:\d\d\b"))


@pytest.mark.browser
def test_parallel_sessions_are_columns_on_a_wide_screen_and_one_column_on_a_phone(
    generated_site, new_context, screenshot_dir
):
    url, meeting, parallel = generated_site
    wide = new_context(**WIDE).new_page()
    wide.goto(url + meeting.get_absolute_url())
    wide.screenshot(path=screenshot_dir / "meeting-generated-1366.png")

    first_session = wide.locator(".session").first
    expect(first_session).to_be_in_viewport()
    slot = wide.locator(f"#session-{parallel.slug}").locator("xpath=..")
    boxes = [card.bounding_box() for card in slot.locator(".session").all()]
    assert len(boxes) > 1
    assert len({round(box["y"]) for box in boxes}) == 1, "parallel sessions side by side"
    assert len({round(box["x"]) for box in boxes}) == len(boxes)
    assert wide.evaluate("document.documentElement.scrollHeight") <= 10_000

    phone = new_context(**PHONE).new_page()
    phone.goto(url + meeting.get_absolute_url())
    phone.screenshot(path=screenshot_dir / "meeting-generated-phone.png")
    slot = phone.locator(f"#session-{parallel.slug}").locator("xpath=..")
    boxes = [card.bounding_box() for card in slot.locator(".session").all()]
    assert len({round(box["x"]) for box in boxes}) == 1, "one column on a phone"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.browser
def test_a_visitor_reaches_a_talk_through_its_session_page(generated_site, new_context):
    url, meeting, parallel = generated_site
    page = new_context(**WIDE).new_page()
    page.goto(url + meeting.get_absolute_url())

    page.locator(f"#session-{parallel.slug}").get_by_role(
        "link", name=parallel.title, exact=True
    ).click()

    expect(page).to_have_url(url + parallel.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(parallel.title)
    talk = parallel.talks.order_by("position").select_related("paper").first()
    page.get_by_role("link", name=talk.paper.title, exact=True).first.click()
    expect(page).to_have_url(url + talk.paper.get_absolute_url())


@pytest.mark.browser
@pytest.mark.parametrize("context", ["wide", "phone"])
def test_meeting_and_session_pages_pass_axe(generated_site, new_context, axe_script, context):
    url, meeting, parallel = generated_site
    options = WIDE if context == "wide" else PHONE
    page = new_context(bypass_csp=True, **options).new_page()
    failures = {}
    for path in (meeting.get_absolute_url(), parallel.get_absolute_url()):
        page.goto(url + path)
        problems = audit(page, axe_script)
        if problems:
            failures[path] = problems
    assert not failures, failures


@pytest.mark.browser
def test_the_400_talk_meetings_timetable_and_every_day_fit_10000_px_at_1366(
    live_server, transactional_db, new_context, screenshot_dir
):
    cache.clear()
    generate_sample_data(scale=0.03, seed=1)
    meeting = largest_meeting()
    page = new_context(**WIDE).new_page()

    heights = {}
    for query in ["", *(f"?day={day.isoformat()}" for day in meeting.days)]:
        page.goto(f"{live_server.url}{meeting.get_absolute_url()}{query}")
        expect(page.locator(".session").first).to_be_in_viewport()
        heights[query or "timetable"] = page.evaluate("document.documentElement.scrollHeight")
        if not query:
            page.screenshot(path=screenshot_dir / "meeting-400-talks-1366.png")

    assert len(heights) == 4
    assert all(height <= 10_000 for height in heights.values()), heights
