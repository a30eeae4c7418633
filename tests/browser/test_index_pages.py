"""The index pages and the paged search in a real browser, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories.papers import PaperFactory

INDEX_PAGES = {
    "/meetings/": "Meetings",
    "/papers/": "Works",
    "/people/": "People",
    "/institutions/": "Institutions",
    "/topics/": "Topics",
    "/series/coproduction-of-public-services/": (
        "IIAS Study Group on ‘Coproduction of Public Services’"
    ),
}


def page_width(page):
    """The page's width and the screen's: a phone browser widens its window to fit a page
    that overflows, so the screen is the viewport the context was opened with."""
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    return {"page": width, "window": page.viewport_size["width"]}


@pytest.fixture
def many_works(site_url):
    for number in range(30):
        PaperFactory(title=f"Participatory budgeting study {number:02}", year=1990 + number)
    return site_url


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_index_pages_open_from_the_header_and_fit_the_screen(
    site_url, page, phone_page, screenshot_dir, device
):
    browser_page = phone_page if device == "phone" else page
    for path, heading in INDEX_PAGES.items():
        browser_page.goto(site_url + path)
        expect(browser_page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(browser_page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Home")
        widths = page_width(browser_page)
        assert widths["page"] <= widths["window"], (
            f"{path} is {widths['page']}px wide on a {widths['window']}px {device} screen"
        )
    browser_page.screenshot(path=screenshot_dir / f"series-{device}.png", full_page=True)

    browser_page.goto(site_url + "/")
    header = browser_page.get_by_role("banner")
    if device == "desktop":
        header.get_by_role("link", name="People", exact=True).click()
        expect(browser_page).to_have_url(f"{site_url}/people/")
        browser_page.get_by_role("navigation", name="Family names by first letter").get_by_role(
            "link", name="E", exact=True
        ).click()
        expect(browser_page).to_have_url(f"{site_url}/people/?letter=E")
        expect(browser_page.locator("main")).to_contain_text("Edelmann, Noella")


@pytest.mark.browser
def test_works_index_filters_with_the_form(site_url, page):
    page.goto(site_url + "/papers/")
    page.get_by_label("Type").select_option("journal_article")
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(r"/papers/\?type=journal_article"))
    main = page.locator("main")
    expect(main).to_contain_text("1 work.")
    expect(main).to_contain_text("The Impact of Sustainability on Co-Creation")
    main.get_by_role("link", name=re.compile("Remove the filter type")).click()
    expect(main).to_contain_text("2 works.")


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_search_pages_through_all_results(many_works, page, phone_page, screenshot_dir, device):
    browser_page = phone_page if device == "phone" else page
    browser_page.goto(many_works + "/")
    search = browser_page.get_by_role("banner").get_by_role("searchbox")
    search.fill("budgeting")
    search.press("Enter")

    main = browser_page.locator("main")
    expect(main).to_contain_text("Works (30)")
    main.get_by_role("link", name="See all 30 works").click()
    expect(main).to_contain_text("Page 1 of 2 · 1–25 of 30")
    main.get_by_role("link", name="Next →").click()
    expect(browser_page).to_have_url(re.compile(r"kind=works&page=2$"))
    expect(main).to_contain_text("Page 2 of 2 · 26–30 of 30")
    expect(main.locator("mark").first).to_have_text(re.compile("budgeting", re.IGNORECASE))
    widths = page_width(browser_page)
    browser_page.screenshot(path=screenshot_dir / f"search-page-2-{device}.png", full_page=True)
    assert widths["page"] <= widths["window"]


@pytest.mark.browser
def test_header_search_placeholder_fits_on_a_phone(site_url, phone_page):
    phone_page.goto(site_url + "/")
    box = phone_page.get_by_role("banner").get_by_role("searchbox")

    fits = box.evaluate(
        """(input) => {
            const canvas = document.createElement("canvas").getContext("2d");
            const style = getComputedStyle(input);
            canvas.font = `${style.fontSize} ${style.fontFamily}`;
            const room = input.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return {text: canvas.measureText(input.placeholder).width, room};
        }"""
    )

    assert fits["text"] <= fits["room"], fits
