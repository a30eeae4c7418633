"""Locked down: security headers, sign-in rate limits, strong passwords, request size."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.trust.admin_forms import admin_url

MEETING_PAGE = "/meetings/coproduction-2023-nijmegen/"
ADMIN_LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery-9"


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize("path", [MEETING_PAGE, "/api/meetings/", "/api/docs/", ADMIN_LOGIN])
def test_every_kind_of_page_has_a_policy_without_inline_scripts(client, demo_data, path):
    response = client.get(path)

    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", [MEETING_PAGE, "/api/docs/", "/api/redoc/", ADMIN_LOGIN])
def test_pages_have_no_inline_script(client, demo_data, path):
    html = client.get(path).content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attributes, body in scripts:
        executable = "application/ld+json" not in attributes
        assert not (executable and body.strip()), f"inline script on {path}: {body[:80]}"


def test_swagger_start_up_script_is_served_as_a_file(client, db):
    html = client.get("/api/docs/").content.decode()
    script_url = re.search(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', html).group(1)
    response = client.get(script_url.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


@pytest.fixture
def organizer(django_user_model):
    return django_user_model.objects.create_superuser(
        username="organizer", email="organizer@example.org", password=PASSWORD
    )


def sign_in(username, password, address="192.0.2.10"):
    client = Client(REMOTE_ADDR=address)
    return client.post(ADMIN_LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_organizer_signs_in_with_the_right_password(organizer):
    assert sign_in("organizer", "wrong-password").status_code == 200
    response = sign_in("organizer", PASSWORD)
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_five_failures_for_a_user_lock_that_user_from_every_address(organizer, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in("organizer", f"guess-{attempt}", address=f"198.51.100.{attempt}")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    assert sign_in("organizer", "last-guess", address="198.51.100.50").status_code == 429

    locked = sign_in("organizer", PASSWORD, address="203.0.113.99")

    assert locked.status_code == 429
    assert "Too many failed sign-ins for this username or from this address" in (
        locked.content.decode()
    )
    assert "blocked for 30 minutes" in locked.content.decode()


def test_five_failures_from_an_address_lock_that_address_for_every_user(organizer, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(f"someone-{attempt}", "guess", address="198.51.100.7").status_code == 200
    assert sign_in("someone-else", "guess", address="198.51.100.7").status_code == 429

    assert sign_in("organizer", PASSWORD, address="198.51.100.7").status_code == 429
    assert sign_in("organizer", PASSWORD, address="198.51.100.8").status_code == 302


def test_force_login_and_the_staff_client_are_not_rate_limited(staff_client):
    assert staff_client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-9x", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("493817264501", "This password is entirely numeric."),
        ("new-organizer-2025", "The password is too similar to the username."),
    ],
)
def test_admin_refuses_weak_passwords_for_new_staff(staff_client, password, message):
    users = get_user_model().objects.count()

    response = staff_client.post(
        admin_url(get_user_model(), "add"),
        {
            "username": "new-organizer-2025",
            "password1": password,
            "password2": password,
            "usable_password": "true",
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert get_user_model().objects.count() == users


def test_request_larger_than_the_limit_is_refused_with_413(client, db, settings):
    settings.MAX_REQUEST_BYTES = 10_000
    body = "x" * 20_000

    for path in ["/api/papers/", ADMIN_LOGIN, MEETING_PAGE]:
        response = client.post(path, body, content_type="application/json")
        assert response.status_code == 413
        assert "The request is too large: at most" in response.content.decode()


def test_form_data_over_the_field_limit_is_a_400_not_a_500(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = client.post(ADMIN_LOGIN, {"username": "u" * 5_000, "password": "p"})
    assert response.status_code == 400


def test_a_garbled_content_length_is_a_400(client, db):
    response = client.generic("POST", "/api/papers/", b"{}", CONTENT_LENGTH="lots")
    assert response.status_code == 400
