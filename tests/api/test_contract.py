"""The API answers what its OpenAPI schema documents, found by schemathesis `--checks all`:
errors are objects, CSL-JSON is an array, web addresses are URIs, empty exports keep their
type, unknown fields are refused, and the write rule is the one the schema states."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db.models import URLField
from jsonschema import Draft7Validator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conference.core.identifiers import validate_web_address
from conference.meetings.models import Meeting, Project, Series, Topic
from papers.models import Paper, Presentation
from people.models import Institution, Person
from tests.api.conftest import _as_json_schema

MEETING = "coproduction-2023-nijmegen"
PAPER = "sustainability-and-co-creation-in-public-sector-organisations"
CSL_JSON = "application/vnd.citationstyles.csl+json"


def row_counts():
    models = (Meeting, Series, Topic, Project, Paper, Presentation, Person, Institution)
    return {model: model.objects.count() for model in models}


def documented_schema(openapi_schema, path, status, media_type, method="get"):
    operation = openapi_schema["paths"][path][method]
    schema = operation["responses"][str(status)]["content"][media_type]["schema"]
    components = _as_json_schema(openapi_schema["components"])
    return Draft7Validator({"allOf": [_as_json_schema(schema)], "components": components})


def test_a_null_character_in_search_answers_the_documented_error_object(
    api_client, demo_data, assert_matches_schema
):
    response = api_client.get("/api/papers/", {"search": "co\x00creation"})

    assert response.status_code == 400
    assert response.json() == {"search": ["Null characters are not allowed."]}
    assert_matches_schema(response, "/api/papers/")


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/api/papers/", "/api/papers/"),
        (f"/api/papers/{PAPER}/", "/api/papers/{slug}/"),
        (f"/api/meetings/{MEETING}/works/", "/api/meetings/{slug}/works/"),
    ],
)
def test_csl_json_answers_are_documented_as_an_array_of_items(
    api_client, demo_data, openapi_schema, url, path
):
    response = api_client.get(url, HTTP_ACCEPT=CSL_JSON)
    items = response.json()

    assert response.status_code == 200
    assert isinstance(items, list) and items
    validator = documented_schema(openapi_schema, path, 200, CSL_JSON)
    assert not list(validator.iter_errors(items))
    assert validator.is_valid(items[0]) is False  # one item is not the documented answer


@pytest.mark.parametrize(
    ("media_type", "export_format"),
    [
        ("application/x-research-info-systems", "ris"),
        ("application/x-bibtex", "bibtex"),
        ("text/x-bibliography", "bibliography"),
    ],
)
def test_an_export_of_no_works_is_an_empty_file_of_its_type(
    api_client, demo_data, openapi_schema, media_type, export_format
):
    for response in (
        api_client.get("/api/papers/", {"year": 1999}, HTTP_ACCEPT=media_type),
        api_client.get("/api/papers/", {"year": 1999, "format": export_format}),
    ):
        assert response.status_code == 200
        assert response.content == b""
        assert response["Content-Type"] == f"{media_type}; charset=utf-8"
    documented = openapi_schema["paths"]["/api/papers/"]["get"]["responses"]["200"]["content"]
    assert documented[media_type] == {"schema": {"type": "string"}}


# Web addresses --------------------------------------------------------------------------

BAD_ADDRESSES = [
    ("https://example.org/<script>", "'<'"),
    ('https://example.org/"quoted"', "'\"'"),
    ("https://example.org/a b", "a space"),
    ("https://example.org/{x}", "'{'"),
]


@pytest.mark.parametrize(("address", "named"), BAD_ADDRESSES)
@pytest.mark.parametrize(
    ("url", "field", "model"),
    [
        ("/api/people/trui-steen/", "website", Person),
        ("/api/institutions/klu/", "website", Institution),
        ("/api/series/coproduction-of-public-services/", "website", Series),
        ("/api/projects/ingov/", "website", Project),
        (f"/api/meetings/{MEETING}/", "website", Meeting),
        (f"/api/papers/{PAPER}/", "external_url", Paper),
    ],
)
def test_api_refuses_a_web_address_that_is_not_a_uri(
    organizer_client, demo_data, url, field, model, address, named
):
    before = list(model.objects.order_by("pk").values())

    response = organizer_client.patch(url, {field: address}, format="json")

    assert response.status_code == 400
    assert response.json()[field][0] == (
        f"Enter a valid web address: it contains {named}, which a web address cannot hold. "
        "Write it percent-encoded (such as %3C for <), or remove it."
    )
    assert list(model.objects.order_by("pk").values()) == before


def test_a_percent_encoded_web_address_is_kept(organizer_client, demo_data):
    response = organizer_client.patch(
        "/api/people/trui-steen/", {"website": "https://example.org/%3Cscript%3E"}, format="json"
    )
    assert response.status_code == 200
    assert Person.objects.get(slug="trui-steen").website == "https://example.org/%3Cscript%3E"


def test_every_stored_web_address_refuses_what_no_uri_may_hold():
    """Each URL field of the archive's models carries the validator: admin, importer and
    API alike refuse the address."""
    fields = [
        field
        for label in ("conference", "people", "papers")
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, URLField)
    ]
    assert len(fields) >= 6
    for field in fields:
        assert validate_web_address in field.validators, field


# Unknown fields ---------------------------------------------------------------------------

UNKNOWN_FIELD_WRITES = [
    ("post", "/api/people/", {"given_name": "Zoë", "family_name": "Hoppen"}, "nickname"),
    ("post", "/api/institutions/", {"name": "KU Leuven"}, "acronym"),
    ("post", "/api/series/", {"name": "A new series"}, "organisation"),
    ("post", "/api/topics/", {"name": "Digital co-production"}, "parent"),
    ("post", "/api/projects/", {"acronym": "NEW", "title": "A project"}, "budget"),
    (
        "post",
        "/api/meetings/",
        {"series": "coproduction", "start_date": "2024-05-11", "end_date": "2024-05-12"},
        "venu",
    ),
    ("post", "/api/papers/", {"title": "A work", "authors": [{"person": "trui-steen"}]}, "titel"),
    ("patch", f"/api/papers/{PAPER}/", {"abstract": "New."}, "abstrct"),
    ("patch", f"/api/meetings/{MEETING}/", {"city": "Leuven"}, "town"),
    ("put", "/api/people/trui-steen/", {"given_name": "Trui", "family_name": "Steen"}, "nick"),
]


@pytest.mark.parametrize(
    ("method", "url", "body", "unknown"),
    UNKNOWN_FIELD_WRITES,
    ids=[f"{m}-{u.split('/')[2]}" for m, u, _, _ in UNKNOWN_FIELD_WRITES],
)
def test_api_refuses_a_field_it_does_not_have_with_400_naming_it(
    organizer_client, demo_data, method, url, body, unknown
):
    before = row_counts()
    changed = Paper.objects.get(slug=PAPER).updated_at

    response = getattr(organizer_client, method)(url, {**body, unknown: "x"}, format="json")

    assert response.status_code == 400, response.json()
    (message,) = response.json()[unknown]
    assert message.startswith(f"There is no field '{unknown}' here. The fields are: ")
    assert row_counts() == before
    assert Paper.objects.get(slug=PAPER).updated_at == changed


def test_api_refuses_an_unknown_field_inside_a_list_item(organizer_client, demo_data):
    response = organizer_client.patch(
        f"/api/papers/{PAPER}/",
        {"authors": [{"person": "trui-steen", "lead": True}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "authors": {
            "0": {
                "lead": [
                    "There is no field 'lead' here. The fields are: person, role, position, "
                    "affiliation."
                ]
            }
        }
    }


def test_read_only_fields_sent_back_are_not_refused(organizer_client, demo_data):
    person = organizer_client.get("/api/people/trui-steen/").json()
    body = {key: person[key] for key in ("id", "url", "slug", "name", "given_name", "family_name")}
    response = organizer_client.put("/api/people/trui-steen/", body, format="json")
    assert response.status_code == 200, response.json()


# Who may write ------------------------------------------------------------------------------


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_schema_states_the_write_rule(openapi_schema):
    description = openapi_schema["info"]["description"]
    assert "needs the token of a member of the Organizers group, or of a superuser" in description
    assert "being staff is neither needed nor enough" in description
    assert "staff user" not in description


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("organizer", 201),
        ("superuser", 201),
        ("staff-without-group", 403),
        ("staff-with-permission-without-group", 403),
        ("permission-without-group", 403),
    ],
)
def test_only_organizers_and_superusers_write(db, django_user_model, organizer, kind, status):
    if kind == "organizer":
        user = organizer  # not staff
    elif kind == "superuser":
        user = django_user_model.objects.create_superuser("root", password="not-used-9x!")
    else:
        user = django_user_model.objects.create_user(
            "someone", password="not-used-9x!", is_staff=kind.startswith("staff")
        )
        if "with-permission" in kind or kind == "permission-without-group":
            user.user_permissions.add(Permission.objects.get(codename="add_institution"))
    assert not user.is_staff or kind != "organizer"

    response = token_client(user).post("/api/institutions/", {"name": "KU Leuven"}, format="json")

    assert response.status_code == status, response.json()
    assert Institution.objects.filter(name="KU Leuven").exists() == (status == 201)


def test_api_refuses_a_multipart_body_with_no_field(organizer_client, demo_data):
    """A malformed multipart body (nothing between its boundaries) changed nothing and
    answered 200; it is a 400 that says so (found by schemathesis' negative data)."""
    before = Institution.objects.get(slug="iias").updated_at
    response = organizer_client.generic(
        "PATCH",
        "/api/institutions/iias/",
        b"--b\r\nNone--b--\r\n",
        content_type="multipart/form-data; boundary=b",
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 400
    assert "the body holds no field" in response.json()["detail"]
    assert Institution.objects.get(slug="iias").updated_at == before
