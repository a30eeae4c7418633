"""What a visitor does on the public site in a real browser: follow links, search, use a phone."""

import re

import pytest
from playwright.sync_api import expect

MEETING = "coproduction-2023-nijmegen"
PAPER = "sustainability-and-co-creation-in-public-sector-organisations"
PAPER_TITLE = (
    "Sustainability and Co-creation in Public Sector Organisations: "
    "Practices, Outcomes, and Lessons Learned"
)
ARTICLE_TITLE = "The Impact of Sustainability on Co-Creation of Digital Public Services"
# The programme writes institutions out in full (no abbreviation to look up).
PRESENTERS_AT = {
    "Noella Edelmann": "University for Continuing Education Krems",
    "Trui Steen": "KU Leuven",
    "Charlotte van Dijk": "KU Leuven",
}
PRESENTERS = list(PRESENTERS_AT)


def link_to(page, path):
    """The first link on the page that points at ``path`` (the URL contract, not the wording)."""
    return page.locator(f'main a[href="{path}"]').first


def search_from_header(page, query):
    search_box = page.get_by_role("banner").get_by_role("searchbox")
    search_box.fill(query)
    search_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=" + re.escape(query) + "$"))


def assert_in_order(text, names):
    positions = [text.find(name) for name in names]
    assert -1 not in positions, f"missing from the page: {[n for n in names if n not in text]}"
    assert positions == sorted(positions), f"expected in this order: {names}"


@pytest.mark.browser
def test_visitor_finds_the_programme_from_the_home_page(site_url, page, screenshot_dir):
    page.goto(site_url + "/")
    link_to(page, f"/meetings/{MEETING}/").click()

    expect(page).to_have_url(f"{site_url}/meetings/{MEETING}/")
    page.screenshot(path=screenshot_dir / "meeting-desktop.png", full_page=True)
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Coproduction of Public Services")
    expect(main).to_contain_text("11–12 May 2023")
    expect(main).to_contain_text("Nijmegen")
    presentation = main.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=PAPER_TITLE, exact=True)
    )
    expect(presentation).to_be_visible()
    for name, institution in PRESENTERS_AT.items():
        expect(presentation.get_by_role("link", name=name, exact=True)).to_be_visible()
        # Each name is followed by the presenter's institution, only punctuation between.
        expect(presentation).to_contain_text(
            re.compile(rf"{re.escape(name)}\W+{re.escape(institution)}\b")
        )
    assert_in_order(presentation.inner_text(), PRESENTERS)
    expect(main).to_contain_text("962563")


@pytest.mark.browser
def test_french_visitor_is_shown_the_french_page_and_switches_to_english_and_back(
    site_url, new_context, screenshot_dir
):
    page = new_context(
        locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR,fr"}
    ).new_page()
    page.goto(f"{site_url}/meetings/{MEETING}/")

    expect(page).to_have_url(f"{site_url}/fr/meetings/{MEETING}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    main = page.locator("main")
    expect(main).to_contain_text("11–12 mai 2023")
    expect(main).to_contain_text("Pays-Bas")
    page.screenshot(path=screenshot_dir / "meeting-desktop-fr.png", full_page=True)

    page.get_by_role("link", name="English", exact=True).click()
    expect(page).to_have_url(f"{site_url}/meetings/{MEETING}/")
    expect(page.locator("main")).to_contain_text("11–12 May 2023")
    # The choice is kept although the browser still asks for French.
    page.locator("main").get_by_role("link", name=PAPER_TITLE).click()
    expect(page).to_have_url(f"{site_url}/papers/{PAPER}/")

    page.get_by_role("link", name="Français", exact=True).click()
    expect(page).to_have_url(f"{site_url}/fr/papers/{PAPER}/")
    expect(page.locator("main")).to_contain_text("(2023, mai 11–12)")


@pytest.mark.browser
def test_visitor_follows_the_paper_to_its_authors_and_citation(site_url, page):
    page.goto(f"{site_url}/meetings/{MEETING}/")
    page.locator("main").get_by_role("link", name=PAPER_TITLE).click()

    expect(page).to_have_url(f"{site_url}/papers/{PAPER}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(PAPER_TITLE)
    main = page.locator("main")
    assert_in_order(main.inner_text(), PRESENTERS)
    expect(main.get_by_role("heading", name="Cite this")).to_be_visible()
    expect(main).to_contain_text(ARTICLE_TITLE)


@pytest.mark.browser
def test_visitor_follows_a_presenter_to_her_works(site_url, page):
    page.goto(f"{site_url}/meetings/{MEETING}/")
    page.locator("main").get_by_role("link", name="Noella Edelmann", exact=True).first.click()

    expect(page).to_have_url(f"{site_url}/people/noella-edelmann/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Noella Edelmann")
    main = page.locator("main")
    expect(main.get_by_role("link", name=PAPER_TITLE).first).to_be_visible()
    expect(main.get_by_role("link", name=ARTICLE_TITLE).first).to_be_visible()


@pytest.mark.browser
def test_visitor_follows_an_institution_link(site_url, page):
    page.goto(f"{site_url}/meetings/{MEETING}/")
    link_to(page, "/institutions/duk/").click()

    expect(page).to_have_url(f"{site_url}/institutions/duk/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "University for Continuing Education Krems"
    )
    expect(page.locator("main").get_by_role("link", name="Noella Edelmann").first).to_be_visible()


@pytest.mark.browser
def test_visitor_finds_the_meeting_by_its_city_from_the_header_search(site_url, page):
    page.goto(site_url + "/")

    search_from_header(page, "Nijmegen")

    expect(link_to(page, f"/meetings/{MEETING}/")).to_be_visible()


@pytest.mark.browser
def test_visitor_finds_a_person_and_her_works_by_name_from_the_header_search(site_url, page):
    page.goto(f"{site_url}/meetings/{MEETING}/")

    search_from_header(page, "Edelmann")

    main = page.locator("main")
    expect(main.get_by_role("link", name="Noella Edelmann", exact=True).first).to_be_visible()
    expect(main.get_by_role("link", name=PAPER_TITLE).first).to_be_visible()
    expect(main.get_by_role("link", name=ARTICLE_TITLE).first).to_be_visible()


@pytest.mark.browser
def test_meeting_page_fits_a_phone_without_sideways_scrolling(site_url, phone_page, screenshot_dir):
    phone_page.goto(f"{site_url}/meetings/{MEETING}/")
    expect(phone_page.locator("main")).to_contain_text(PAPER_TITLE)

    widths = phone_page.evaluate(
        "() => ({page: document.scrollingElement.scrollWidth, window: window.innerWidth})"
    )
    phone_page.screenshot(path=screenshot_dir / "meeting-phone.png", full_page=True)
    assert widths["page"] <= widths["window"], (
        f"the meeting page is {widths['page']}px wide on a {widths['window']}px phone screen"
    )


@pytest.mark.browser
def test_meeting_page_and_search_work_without_javascript(site_url, new_context):
    page = new_context(java_script_enabled=False).new_page()

    page.goto(f"{site_url}/meetings/{MEETING}/")
    expect(page.locator("main")).to_contain_text(PAPER_TITLE)

    search_from_header(page, "Edelmann")
    expect(page.locator("main").get_by_role("link", name="Noella Edelmann").first).to_be_visible()


@pytest.mark.browser
def test_pages_run_under_the_content_security_policy_without_violations(site_url, page):
    """The CSP is enforced in the browser, and nothing the pages load breaks it."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in (
        "/",
        "/meetings/coproduction-2023-nijmegen/",
        "/papers/sustainability-and-co-creation-in-public-sector-organisations/",
        "/search/?q=Nijmegen",
    ):
        response = page.goto(site_url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert violations == []
