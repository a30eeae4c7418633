import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

DETAILS = [
    ("/api/meetings/coproduction-2023-nijmegen/", "/api/meetings/{slug}/"),
    (
        "/api/papers/sustainability-and-co-creation-in-public-sector-organisations/",
        "/api/papers/{slug}/",
    ),
    ("/api/papers/edelmann-2023-impact-sustainability-co-creation/", "/api/papers/{slug}/"),
    ("/api/people/noella-edelmann/", "/api/people/{slug}/"),
    ("/api/institutions/duk/", "/api/institutions/{slug}/"),
    ("/api/series/coproduction-of-public-services/", "/api/series/{slug}/"),
    ("/api/topics/digital-co-production/", "/api/topics/{slug}/"),
    ("/api/projects/ingov/", "/api/projects/{slug}/"),
]
LISTS = [
    "/api/meetings/",
    "/api/papers/",
    "/api/presentations/",
    "/api/people/",
    "/api/institutions/",
    "/api/series/",
    "/api/topics/",
    "/api/projects/",
]


def test_schema_generates_without_warnings(tmp_path):
    schema_file = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))

    assert "/api/meetings/{slug}/" in schema_file.read_text()


@pytest.mark.parametrize("url", LISTS)
def test_list_responses_match_the_schema(api_client, demo_data, assert_matches_schema, url):
    response = api_client.get(url)

    assert response.status_code == 200
    assert response.json()["count"] > 0
    assert_matches_schema(response, url)


@pytest.mark.parametrize(("url", "path"), DETAILS)
def test_detail_responses_match_the_schema(api_client, demo_data, assert_matches_schema, url, path):
    response = api_client.get(url)

    assert response.status_code == 200
    assert_matches_schema(response, path)


def test_presentation_detail_matches_the_schema(api_client, demo_data, assert_matches_schema):
    presentation = api_client.get("/api/presentations/").json()["results"][0]

    response = api_client.get(presentation["url"])

    assert_matches_schema(response, "/api/presentations/{id}/")


def test_write_responses_match_the_schema(organizer_client, demo_data, assert_matches_schema):
    created = organizer_client.post(
        "/api/papers/",
        {
            "title": "Co-creation and its discontents",
            "type": "journal_article",
            "doi": "doi:10.1234/ABC.5",
            "authors": [{"person": "trui-steen", "position": 1, "affiliation": "klu"}],
            "relations": [
                {"kind": "cites", "work": "edelmann-2023-impact-sustainability-co-creation"}
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["doi"] == "10.1234/abc.5"
    assert_matches_schema(created, "/api/papers/", "post")

    changed = organizer_client.patch(
        created.json()["url"], {"year": 2024, "topics": ["digital-co-production"]}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert_matches_schema(changed, "/api/papers/{slug}/", "patch")

    meeting = organizer_client.patch(
        "/api/meetings/coproduction-2023-nijmegen/", {"city": "Nijmegen"}, format="json"
    )
    assert_matches_schema(meeting, "/api/meetings/{slug}/", "patch")


def test_schema_and_documentation_pages_are_served_without_a_cdn(api_client, db):
    schema = api_client.get("/api/schema/")
    docs = api_client.get("/api/docs/")
    redoc = api_client.get("/api/redoc/")

    assert schema.status_code == 200
    assert b"openapi: 3.0" in schema.content
    for page in (docs, redoc):
        assert page.status_code == 200
        assert b"/static/drf_spectacular_sidecar/" in page.content
        assert b"cdn.jsdelivr" not in page.content


def test_a_meeting_without_a_country_matches_the_schema(
    organizer_client, api_client, demo_data, assert_matches_schema
):
    """Found by schemathesis: a blank country was answered but not allowed by the schema."""
    changed = organizer_client.patch(
        "/api/meetings/coproduction-2023-nijmegen/", {"country": ""}, format="json"
    )

    assert changed.status_code == 200, changed.json()
    assert changed.json()["country"] == ""
    assert_matches_schema(changed, "/api/meetings/{slug}/", "patch")
    listed = api_client.get("/api/meetings/")
    assert listed.json()["results"][0]["country"] == ""
    assert_matches_schema(listed, "/api/meetings/")


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_if_match_is_documented_for_every_change_and_delete(openapi_schema, method):
    paths = [path for path, operations in openapi_schema["paths"].items() if method in operations]
    assert len(paths) == 10
    for path in paths:
        operation = openapi_schema["paths"][path][method]
        (if_match,) = [p for p in operation["parameters"] if p["name"] == "If-Match"]
        assert (if_match["in"], if_match["required"]) == ("header", False)
        assert operation["responses"]["412"]["description"] == (
            "The record changed since it was read (`If-Match`); nothing was changed."
        )


def test_gunicorns_414_is_documented_for_every_operation(openapi_schema):
    for path, operations in openapi_schema["paths"].items():
        if not path.startswith("/api/") or path.startswith("/api/schema"):
            continue
        for method, operation in operations.items():
            documented = operation["responses"]["414"]
            assert documented["content"] == {"text/html": {"schema": {"type": "string"}}}, (
                path,
                method,
            )


def _list_operations_with_query_parameters(schema):
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if "{" in path or operation is None:
            continue
        for parameter in operation.get("parameters", ()):
            if parameter["in"] == "query":
                yield path, parameter


def test_an_empty_query_parameter_is_documented_and_answered_as_if_left_out(
    api_client, demo_data, openapi_schema
):
    """``?page=`` or ``?type=`` (what an HTML form sends for a field left blank) reads as the
    list without that parameter, as the schema says (allowEmptyValue); ``?format=`` is the
    one refused (an unknown format)."""
    checked = 0
    for path, parameter in _list_operations_with_query_parameters(openapi_schema):
        answer = api_client.get(path, {parameter["name"]: ""})
        if parameter["name"] == "format":
            assert "allowEmptyValue" not in parameter
            assert answer.status_code == 404, path
            continue
        assert parameter.get("allowEmptyValue") is True, (path, parameter["name"])
        assert answer.status_code == 200, (path, parameter["name"], answer.content[:200])
        assert answer.json() == api_client.get(path).json(), (path, parameter["name"])
        checked += 1
    assert checked > 40
