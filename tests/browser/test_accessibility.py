"""Accessibility audit of every kind of public page: axe-core rules and the heading outline."""

import pytest

MEETING = "coproduction-2023-nijmegen"
PAPER = "sustainability-and-co-creation-in-public-sector-organisations"

PAGES = {
    "home": "/",
    "meeting": f"/meetings/{MEETING}/",
    "paper": f"/papers/{PAPER}/",
    "person": "/people/noella-edelmann/",
    "institution": "/institutions/duk/",
    "topic": "/topics/digital-co-production/",
    "project": "/projects/ingov/",
    "search results": "/search/?q=Edelmann",
    "search results of one kind": "/search/?q=co-production&kind=topics",
    "search without results": "/search/?q=Edelmanx",
    "meetings index": "/meetings/",
    "series": "/series/coproduction-of-public-services/",
    "series index": "/series/",
    "people index": "/people/?letter=E",
    "institutions index": "/institutions/",
    "topics index": "/topics/",
    "works index": "/papers/?type=journal_article",
    "journal article": "/papers/edelmann-2023-impact-sustainability-co-creation/",
    "not found": "/meetings/no-such-meeting/",
}
PAGE_STATUS = {"not found": 404}
# The French pages (/fr/…) that differ in layout or wording from the English ones most:
# longer words in the navigation, the switch, the programme, the citation, search, errors.
FRENCH_PAGES = ["home", "meeting", "paper", "search results", "people index", "not found"]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}

HEADINGS_SCRIPT = """
() => Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]"))
    .filter((heading) => heading.getClientRects().length > 0)
    .map((heading) => ({
        level: heading.hasAttribute("aria-level")
            ? Number(heading.getAttribute("aria-level"))
            : Number(heading.tagName.substring(1)),
        tag: heading.tagName.toLowerCase(),
        text: heading.textContent.trim().replace(/\\s+/g, " "),
    }))
"""


def open_page(page, site_url, kind, prefix=""):
    response = page.goto(site_url + prefix + PAGES[kind])
    assert response.status == PAGE_STATUS.get(kind, 200), (
        f"{kind} page {prefix}{PAGES[kind]} answered {response.status}"
    )


def describe_violation(violation):
    lines = [f"[{violation['impact']}] {violation['id']}: {violation['help']}"]
    lines.append(f"    {violation['helpUrl']}")
    for node in violation["nodes"]:
        target = " ".join(str(selector) for selector in node["target"])
        lines.append(f"    - {target}")
        lines.append(f"      {node['html'][:200]}")
        summary = node.get("failureSummary", "").replace("\n", " / ")
        if summary:
            lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def outline_problems(headings):
    """What is wrong with a page's heading outline: the count of h1 and skipped levels."""
    problems = []
    top_level = [heading for heading in headings if heading["level"] == 1]
    if len(top_level) != 1:
        found = ", ".join(repr(heading["text"]) for heading in top_level) or "none"
        problems.append(f"expected exactly one h1, found {len(top_level)}: {found}")
    previous = 0
    for heading in headings:
        if heading["level"] > previous + 1:
            after = f"h{previous}" if previous else "the start of the page"
            problems.append(
                f"<{heading['tag']}> {heading['text']!r} is level {heading['level']} "
                f"right after {after}"
            )
        previous = heading["level"]
    return problems


@pytest.mark.browser
@pytest.mark.parametrize(
    ("prefix", "kind"),
    [("", kind) for kind in PAGES] + [("/fr", kind) for kind in FRENCH_PAGES],
)
def test_page_passes_axe_audit_and_heading_outline(site_url, new_context, axe_script, prefix, kind):
    """One page load per kind of page (each live-server test reloads the demo): both checks."""
    # The site's Content-Security-Policy forbids inline scripts, which is how Playwright
    # injects axe; only this audit's browser context is exempt (the journeys keep the CSP).
    page = new_context(bypass_csp=True).new_page()
    open_page(page, site_url, kind, prefix)
    headings = page.evaluate(HEADINGS_SCRIPT)
    page.add_script_tag(path=str(axe_script))

    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )

    failures = []
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        failures.append(
            "axe-core violations (serious or critical):\n"
            + "\n".join(describe_violation(violation) for violation in blocking)
        )
    problems = outline_problems(headings)
    if problems:
        outline = "\n".join(
            f"    {'  ' * (h['level'] - 1)}h{h['level']} {h['text']}" for h in headings
        )
        failures.append(
            "heading outline:\n"
            + "\n".join(f"  - {problem}" for problem in problems)
            + f"\n  outline:\n{outline}"
        )
    assert not failures, f"the {kind} page {prefix}{PAGES[kind]} is not accessible:\n" + "\n".join(
        failures
    )
