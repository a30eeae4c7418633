"""Two app servers behind one address: whichever answers, a visitor sees the same site.

Sessions and sign-in lockouts live in PostgreSQL, the page cache, its data version and the
API's rate limits in the shared Redis: nothing a request depends on stays in one process.
"""

import secrets

import pytest
import requests

from tests.deploy.conftest import PASSWORD, Stack

SLUG = "edelmann-2023-impact-sustainability-co-creation"


def test_a_sign_in_on_one_server_is_valid_on_the_other(browser):
    organizer = browser()
    assert organizer.sign_in(0, "organizer", PASSWORD).status_code == 302

    admin_home = organizer.request(1, "GET", "/admin/")
    assert admin_home.status_code == 200
    assert "organizer" in admin_home.text
    assert "Log out" in admin_home.text

    stranger = browser()
    assert stranger.request(1, "GET", "/admin/").status_code == 302  # to the sign-in form


def test_a_lockout_on_one_server_holds_on_the_other(browser):
    attacker = browser()
    for _ in range(2):
        assert attacker.sign_in(0, "lockout-target", "not-the-password").status_code == 200
    # The third failure (LOGIN_FAILURE_LIMIT in the test stack) locks the username.
    assert attacker.sign_in(0, "lockout-target", "not-the-password").status_code == 429

    # The right password, from another address and through the other server: still refused.
    owner = browser()
    refused = owner.sign_in(1, "lockout-target", PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed sign-ins for this username" in refused.text
    assert "sessionid" not in owner.cookies

    # Only that username and the attacker's address are locked, not everyone behind the proxy.
    assert browser().sign_in(1, "organizer", PASSWORD).status_code == 302


def test_an_edit_through_one_server_is_fresh_on_the_others_next_page(stack):
    page = f"/papers/{SLUG}/"
    for server in (0, 1):  # both servers now hold the page in their caches
        requests.get(stack.url(server, page), timeout=30)
    assert requests.get(stack.url(1, page), timeout=30).headers["X-Cache"] == "hit"

    title = f"The Impact of Sustainability, edited {secrets.token_hex(3)}"
    answer = stack.api(0, "PATCH", f"/api/papers/{SLUG}/", json={"title": title})
    assert answer.status_code == 200, answer.text

    fresh = requests.get(stack.url(1, page), timeout=30)
    assert fresh.status_code == 200
    assert title in fresh.text
    api = requests.get(stack.url(1, f"/api/papers/{SLUG}/"), timeout=30)
    assert api.json()["title"] == title


@pytest.fixture
def limited(stack: Stack):
    """A rate limit low enough to reach: the anonymous API limit of the running servers is
    replaced for this test by restarting them with API_THROTTLE_ANON=8/minute."""
    for server in stack.servers:
        server.stop()
        server.env = {**server.env, "API_THROTTLE_ANON": "8/minute"}
        server.start()
    yield stack
    for server in stack.servers:
        server.stop()
        server.env = {**server.env, "API_THROTTLE_ANON": "10000/minute"}
        server.start()


def test_the_api_rate_limit_counts_requests_to_both_servers(limited):
    statuses = []
    for number in range(10):
        # A query string of its own each time: answers from the page cache are not counted.
        path = f"/api/topics/?search={secrets.token_hex(4)}"
        answer = requests.get(
            limited.url(number % 2, path), headers={"X-Forwarded-For": "198.51.100.7"}, timeout=30
        )
        statuses.append(answer.status_code)
    assert statuses == [200] * 8 + [429] * 2
