"""People's other names, institutions' names and links, merges and same-name creates."""

import pytest

from people.models import Institution, Person, RecordMerge
from tests.factories.papers import AuthorshipFactory
from tests.factories.people import InstitutionFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_person_exposes_and_organizers_write_other_names(api_client, organizer_client):
    person = PersonFactory(given_name="Trui", family_name="Steen", other_names="T. Steen")
    assert api_client.get(f"/api/people/{person.slug}/").json()["other_names"] == ["T. Steen"]

    response = organizer_client.patch(
        f"/api/people/{person.slug}/",
        {"other_names": ["T. Steen", "Geertrui Steen", "T. Steen"]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["other_names"] == ["T. Steen", "Geertrui Steen"]
    person.refresh_from_db()
    assert person.other_names == "T. Steen\nGeertrui Steen"


def test_other_names_must_be_a_list_of_lines(organizer_client):
    person = PersonFactory(other_names="")

    response = organizer_client.patch(
        f"/api/people/{person.slug}/", {"other_names": ["One\nTwo"]}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["other_names"]
    person.refresh_from_db()
    assert person.other_names == ""


def test_create_with_a_recorded_name_is_a_conflict_unless_confirmed(organizer_client):
    trui = PersonFactory(given_name="Trui", family_name="Steen")
    body = {"given_name": "Trui", "family_name": "Steen"}

    refused = organizer_client.post("/api/people/", body, format="json")

    assert refused.status_code == 409
    assert refused.json()["existing"] == f"http://testserver/api/people/{trui.slug}/"
    assert "same_name_confirmed" in refused.json()["detail"]
    assert Person.objects.count() == 1
    confirmed = organizer_client.post(
        "/api/people/", {**body, "same_name_confirmed": True}, format="json"
    )
    assert confirmed.status_code == 201, confirmed.content
    assert confirmed.json()["slug"] == "trui-steen-2"


def test_merge_action_moves_records_and_the_old_slug_redirects(
    api_client, organizer_client, steen_pair
):
    trui, initials, authorship = steen_pair

    response = organizer_client.post(
        f"/api/people/{trui.slug}/merge/",
        {"merge": initials.slug, "keep": {"website": "merged"}},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["slug"], body["website"], body["other_names"]) == (
        "trui-steen",
        "https://steen.example",
        ["T. Steen"],
    )
    assert [work["work"]["slug"] for work in body["works"]] == [authorship.paper.slug]
    old = api_client.get("/api/people/t-steen/")
    assert old.status_code == 301
    assert old["Location"] == "http://testserver/api/people/trui-steen/"
    assert RecordMerge.objects.get().merged_slug == "t-steen"


def test_merge_action_refuses_different_orcids_naming_the_field(organizer_client):
    first = PersonFactory(given_name="Anna", family_name="Berg", orcid="0000-0002-1825-0097")
    second = PersonFactory(given_name="Anna", family_name="Berg", orcid="0000-0001-5109-3700")

    response = organizer_client.post(
        f"/api/people/{first.slug}/merge/", {"merge": second.slug}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["merge"]
    assert "different ORCID iDs" in response.json()["merge"][0]
    assert Person.objects.count() == 2


def test_merge_action_refuses_an_unknown_choice(organizer_client, steen_pair):
    trui, initials, _ = steen_pair

    response = organizer_client.post(
        f"/api/people/{trui.slug}/merge/",
        {"merge": initials.slug, "keep": {"website": "both"}},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["keep"]
    assert Person.objects.count() == 2


def test_merge_action_is_for_organizers_only(api_client, member_client, steen_pair):
    trui, initials, _ = steen_pair
    url = f"/api/people/{trui.slug}/merge/"

    assert api_client.post(url, {"merge": initials.slug}, format="json").status_code == 401
    assert member_client.post(url, {"merge": initials.slug}, format="json").status_code == 403
    assert Person.objects.count() == 2


def test_institution_names_and_links_are_read_and_written(api_client, organizer_client):
    university = InstitutionFactory(name="KU Leuven", short_name="KLU")
    older = InstitutionFactory(name="Older College", short_name="OC")

    response = organizer_client.post(
        "/api/institutions/",
        {
            "name": "University for Continuing Education Krems",
            "short_name": "DUK",
            "names": [
                {"name": "Danube University Krems", "kind": "former", "end_year": 2022},
                {
                    "name": "Universität für Weiterbildung Krems",
                    "kind": "translation",
                    "language": "de",
                },
            ],
            "parent": university.slug,
            "predecessors": [older.slug],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = api_client.get("/api/institutions/duk/").json()
    assert body["names"] == [
        {
            "name": "Danube University Krems",
            "kind": "former",
            "language": "",
            "start_year": None,
            "end_year": 2022,
        },
        {
            "name": "Universität für Weiterbildung Krems",
            "kind": "translation",
            "language": "de",
            "start_year": None,
            "end_year": None,
        },
    ]
    assert body["alternative_names"] == [
        "Danube University Krems",
        "Universität für Weiterbildung Krems",
    ]
    assert (body["parent"], body["predecessors"]) == ("klu", ["oc"])
    assert api_client.get("/api/institutions/oc/").json()["successors"] == ["duk"]


def test_institution_names_with_a_bad_period_are_refused(organizer_client):
    institution = InstitutionFactory()

    response = organizer_client.patch(
        f"/api/institutions/{institution.slug}/",
        {"names": [{"name": "Old", "kind": "former", "start_year": 2010, "end_year": 2001}]},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["names"]
    assert not institution.names.exists()


def test_institution_merge_action_and_redirect(api_client, organizer_client):
    InstitutionFactory(name="KU Leuven", short_name="KLU")
    old = InstitutionFactory(name="Katholieke Universiteit Leuven", short_name="KUL")
    AuthorshipFactory(affiliation=old)

    response = organizer_client.post(
        "/api/institutions/klu/merge/", {"merge": "kul"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["alternative_names"] == ["Katholieke Universiteit Leuven"]
    assert not Institution.objects.filter(slug="kul").exists()
    assert api_client.get("/api/institutions/kul/")["Location"] == (
        "http://testserver/api/institutions/klu/"
    )


def test_identifiers_are_unique_through_the_api(organizer_client):
    PersonFactory(orcid="0000-0002-1825-0097")

    response = organizer_client.post(
        "/api/people/",
        {"given_name": "Other", "family_name": "Person", "orcid": "0000-0002-1825-0097"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["orcid"]
