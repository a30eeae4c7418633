"""Links resolved once per view give exactly the URLs Django and DRF would build."""

import pytest
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix
from rest_framework.request import Request
from rest_framework.reverse import reverse as api_reverse

from conference.core.api.fields import HyperlinkedIdentityField
from conference.core.base import reverse_by_slug
from tests.factories.people import PersonFactory


@pytest.mark.parametrize("slug", ["trui-steen", "a", "x_1-2", "2023"])
def test_reverse_by_slug_matches_reverse(slug):
    assert reverse_by_slug("people:person_detail", slug) == reverse(
        "people:person_detail", args=[slug]
    )


def test_reverse_by_slug_follows_the_script_prefix():
    try:
        set_script_prefix("/archive/")
        assert reverse_by_slug("people:person_detail", "trui-steen") == (
            "/archive/people/trui-steen/"
        )
    finally:
        set_script_prefix("/")
    assert reverse_by_slug("people:person_detail", "trui-steen") == "/people/trui-steen/"


def test_reverse_by_slug_leaves_unusual_slugs_to_reverse():
    assert reverse_by_slug("papers:paper_detail", "a-b") == "/papers/a-b/"
    with pytest.raises(Exception) as raised:
        reverse_by_slug("papers:paper_detail", "not a slug")
    assert type(raised.value).__name__ == "NoReverseMatch"


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["noella-edelmann", "n0"])
def test_api_links_are_drfs_links(slug):
    person = PersonFactory(slug=slug)
    request = Request(RequestFactory().get("/api/papers/", HTTP_HOST="testserver"))
    field = HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="slug")
    field.bind("url", None)
    field._context = {"request": request}

    expected = api_reverse("api:person-detail", kwargs={"slug": slug}, request=request)
    assert expected == f"http://testserver/api/people/{slug}/"
    assert field.to_representation(person) == expected
    assert field.to_representation(person) == expected
