"""Fixtures for the browser tests: one headless Chromium per session, a live server with the demo.

Run them with ``.venv/bin/pytest -m browser``. They need the system Chromium
(``apt-get install -y chromium``) and axe-core from ``npm install``; Playwright's own browser
download (``playwright install``) is not used.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an asyncio event loop running in the test thread, and Django
# refuses database work in a thread with a running loop. The loop never runs Django code here,
# so the check is switched off for the browser tests only.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "artifacts" / "screenshots"
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
# Local pages answer in milliseconds; a short timeout makes a missing element fail fast.
TIMEOUT_MS = 5_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need the system Chromium. "
            "Run `apt-get install -y chromium` (never `playwright install`).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site_url(live_server, transactional_db):
    """Base URL of a live server holding the demo meeting (reloaded for every test)."""
    # The server shares this process's cache: no page rendered for an earlier test's rows.
    cache.clear()
    call_command("loaddata", "demo", verbosity=0)
    return live_server.url


@pytest.fixture(scope="session")
def screenshot_dir():
    """``artifacts/screenshots/``, with the failure pictures of earlier runs cleared away."""
    shutil.rmtree(SCREENSHOT_DIR / "failures", ignore_errors=True)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture
def new_context(browser, request, screenshot_dir):
    """Open browser contexts (desktop by default) that are closed after the test.

    When the test fails, the last page of each context is saved under
    ``artifacts/screenshots/failures/`` so CI shows what the browser saw.
    """
    contexts = []

    def open_context(**options):
        context = browser.new_context(**{**DESKTOP, **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context

    report = getattr(request.node, "report_call", None)
    failed = report is not None and report.failed
    for number, context in enumerate(contexts):
        if failed and context.pages:
            failures = screenshot_dir / "failures"
            failures.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            try:
                context.pages[-1].screenshot(path=failures / f"{name}-{number}.png", full_page=True)
            except PlaywrightError as error:
                # The failure report matters more than the picture: say why there is none.
                print(f"No failure screenshot for {request.node.name}: {error}")
        context.close()


@pytest.fixture
def page(new_context):
    """A fresh desktop-sized (1280×900) page with JavaScript on."""
    return new_context().new_page()


@pytest.fixture
def phone_page(new_context):
    """A phone-sized (375×812, mobile, touch) page."""
    return new_context(**PHONE).new_page()


@pytest.fixture
def axe_script():
    if not AXE_SCRIPT.exists():
        pytest.fail(
            f"{AXE_SCRIPT} is missing: run `npm install` in the repository root "
            "(package.json pins axe-core).",
            pytrace=False,
        )
    return AXE_SCRIPT
