"""Bad input never crashes and never writes: forms and the API answer with clear messages,
and what is stored is normalised text (NFC, no control characters)."""

import unicodedata

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conference.meetings.models import Meeting
from papers.importer import plan_import
from papers.models import Paper
from people.models import Institution, Person
from tests.factories.conference import SeriesFactory
from tests.trust.admin_forms import admin_url, form_data

DECOMPOSED_ZOE = "Zoe\u0308"  # "e" followed by a combining diaeresis
ZOE = "Zoë"


def row_counts():
    return {model: model.objects.count() for model in (Person, Institution, Meeting, Paper)}


def admin_add(client, model, **fields):
    url = admin_url(model, "add")
    return client.post(url, form_data(client.get(url), **fields))


@pytest.fixture
def organizer_api(django_user_model):
    user = django_user_model.objects.create_user(username="ines", password="not-used-9x!")
    user.groups.add(Group.objects.get(name="Organizers"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


# Admin forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "fields", "message"),
    [
        pytest.param(
            Person,
            {"given_name": "Zo\x00ë", "family_name": "Hoppen"},
            "Null characters are not allowed.",
            id="null-character",
        ),
        pytest.param(
            Person,
            {"given_name": "Z" * 10_000, "family_name": "Hoppen"},
            "Ensure this value has at most 120 characters (it has 10000).",
            id="huge-name",
        ),
        pytest.param(
            Paper,
            {"title": "T" * 100_000, "kind": "conference_paper"},
            "Ensure this value has at most 500 characters (it has 100000).",
            id="huge-title",
        ),
        pytest.param(
            Meeting,
            {"edition": "ten", "start_date": "2023-05-11", "end_date": "2023-05-12"},
            "Enter a whole number.",
            id="wrong-type",
        ),
        pytest.param(
            Meeting,
            {"edition": "", "start_date": "0000-05-11", "end_date": "2023-05-12"},
            "Enter a valid date.",
            id="year-0",
        ),
        pytest.param(
            Meeting,
            {"edition": "", "start_date": "2023-05-11", "end_date": "10000-05-12"},
            "Enter a valid date.",
            id="year-10000",
        ),
        pytest.param(
            Meeting,
            {"series": "987654321", "start_date": "2023-05-11", "end_date": "2023-05-12"},
            "Select a valid choice. That choice is not one of the available choices.",
            id="unknown-series",
        ),
        pytest.param(
            Paper,
            {"title": "A work", "kind": "conference_paper", "year": "0"},
            "The year must have four digits.",
            id="paper-year-0",
        ),
        pytest.param(
            Paper,
            {"title": "A work", "kind": "conference_paper", "year": "10000"},
            "The year must have four digits.",
            id="paper-year-10000",
        ),
        pytest.param(
            Paper,
            {"title": "A work", "kind": "poem"},
            "Select a valid choice. poem is not one of the available choices.",
            id="unknown-kind",
        ),
        pytest.param(
            Institution,
            {"name": "Somewhere", "ror_id": "https://ror.org/<script>"},
            "is not a ROR id",
            id="bad-ror",
        ),
        pytest.param(
            Paper,
            {"title": "A work", "kind": "journal_article", "doi": "doi: not a doi"},
            "DOI",
            id="bad-doi",
        ),
    ],
)
def test_admin_answers_bad_input_with_a_form_error_and_writes_nothing(
    staff_client, db, model, fields, message
):
    if model is Meeting and "series" not in fields:
        fields = {**fields, "series": str(SeriesFactory().pk)}
    before = row_counts()

    response = admin_add(staff_client, model, **fields)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in str(errors), errors
    assert row_counts() == before


def test_admin_stores_names_in_nfc_without_control_characters(staff_client, db):
    response = admin_add(
        staff_client, Person, given_name=f" {DECOMPOSED_ZOE}\x07 ", family_name="van\tDijk\x1b"
    )

    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.given_name, person.family_name) == (ZOE, "van Dijk")
    assert unicodedata.is_normalized("NFC", person.given_name)


def test_admin_keeps_line_breaks_but_drops_control_characters_in_long_text(staff_client, db):
    abstract = "First line.\x00\r\nSecond\x0b line.\n\nThird paragraph."
    response = admin_add(
        staff_client, Paper, title="A work", kind="conference_paper", abstract=abstract
    )

    # Forms refuse NUL outright; without it, the text is kept with its line breaks.
    assert response.status_code == 200
    response = admin_add(
        staff_client,
        Paper,
        title="A work",
        kind="conference_paper",
        abstract=abstract.replace("\x00", ""),
    )
    assert response.status_code == 302
    assert Paper.objects.get().abstract == "First line.\r\nSecond line.\n\nThird paragraph."


# Model path (imports, services, the shell): PostgreSQL refuses NUL in text --------------


@pytest.mark.django_db
def test_model_save_strips_null_and_control_characters():
    person = Person.objects.create(given_name="A\x00na\x7f", family_name=f"{DECOMPOSED_ZOE}\x00")
    paper = Paper.objects.create(title="Ti\x00tle", abstract="One\x00\ntwo\x08")

    person.refresh_from_db()
    paper.refresh_from_db()
    assert (person.given_name, person.family_name) == ("Ana", ZOE)
    assert (paper.title, paper.abstract) == ("Title", "One\ntwo")


# Names: composed and decomposed accents are one person -----------------------------------


@pytest.mark.django_db
def test_decomposed_accents_find_the_same_person():
    zoe = Person.objects.create(given_name=ZOE, family_name="Hoppen")
    menno = Person.objects.create(given_name="Menno", family_name="Hoppen")

    assert Person.objects.find_match(given_name=DECOMPOSED_ZOE, family_name="Hoppen") == (
        zoe,
        "name",
    )
    assert Person.objects.find_match(given_name="ZOË", family_name="HOPPEN")[0] == zoe
    assert Person.objects.find_match(given_name="Menno", family_name="Hoppen")[0] == menno


def test_site_search_finds_a_name_typed_with_a_combining_accent(client, db):
    Person.objects.create(given_name=ZOE, family_name="Hoppen")
    Person.objects.create(given_name="Zoe", family_name="Other")

    page = client.get("/search/", {"q": DECOMPOSED_ZOE}).content.decode()

    assert "Hoppen" in page


@pytest.mark.django_db
def test_import_links_a_decomposed_name_to_the_existing_person():
    Person.objects.create(given_name=ZOE, family_name="Hoppen")
    plan = plan_import(
        "@article{h2023, title={A work}, author={Hoppen, " + DECOMPOSED_ZOE + "}, year={2023}}"
    )
    assert plan.is_valid, plan.errors
    assert plan.new_people == []


@pytest.mark.django_db
def test_mixed_scripts_are_kept_as_typed():
    names = [("Георгий", "Иванов"), ("ひろし", "山田"), ("Ἀριστοτέλης", "Σταγειρίτης")]
    for given, family in names:
        Person.objects.create(given_name=given, family_name=family)
    assert sorted(Person.objects.values_list("given_name", "family_name")) == sorted(names)
    # Slugs are ASCII; names without Latin letters get a placeholder slug, made unique.
    assert all(Person.objects.values_list("slug", flat=True))


# API --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        pytest.param(
            "/api/people/",
            {"given_name": 5, "family_name": ["Hoppen"]},
            "family_name",
            "Not a valid string.",
            id="wrong-types",
        ),
        pytest.param(
            "/api/people/",
            {"given_name": "Z" * 100_000, "family_name": "Hoppen"},
            "given_name",
            "Ensure this field has no more than 120 characters.",
            id="huge-string",
        ),
        pytest.param(
            "/api/people/",
            {"given_name": "Zo\x00ë", "family_name": "Hoppen"},
            "given_name",
            "Null characters are not allowed.",
            id="null-character",
        ),
        pytest.param(
            "/api/meetings/",
            {"series": "coproduction", "start_date": "0000-05-11", "end_date": "2023-05-12"},
            "start_date",
            "Date has wrong format.",
            id="year-0",
        ),
        pytest.param(
            "/api/meetings/",
            {"series": "coproduction", "start_date": "2023-05-11", "end_date": "10000-01-01"},
            "end_date",
            "Date has wrong format.",
            id="year-10000",
        ),
        pytest.param(
            "/api/meetings/",
            {"series": "coproduction", "edition": "tenth", "start_date": "2023-05-11"},
            "edition",
            "A valid integer is required.",
            id="wrong-type-integer",
        ),
        pytest.param(
            "/api/papers/",
            {"title": "A work", "year": 10000, "authors": [{"person": "trui-steen"}]},
            "year",
            "",
            id="paper-year-10000",
        ),
    ],
)
def test_api_answers_bad_input_with_400_and_writes_nothing(
    organizer_api, demo_data, url, data, field, message
):
    before = row_counts()

    response = organizer_api.post(url, data, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert message in str(response.json()[field])
    assert row_counts() == before


def test_api_refuses_a_body_that_is_not_json(organizer_api, db):
    before = row_counts()
    response = organizer_api.post(
        "/api/people/", b'{"given_name": "Zo', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert row_counts() == before


# Unusable characters in an API address --------------------------------------------------

LOOKUP_URLS = [
    *(
        f"/api/{resource}/{{lookup}}/"
        for resource in (
            "meetings",
            "series",
            "topics",
            "papers",
            "people",
            "institutions",
            "projects",
            "presentations",
        )
    ),
    "/api/meetings/{lookup}/works/",
]


# A NUL (which PostgreSQL refuses in a query) alone and inside a slug, and other control
# characters (a newline, DEL).
UNUSABLE_LOOKUPS = ["%00", "trui%00steen", "%0A", "%7F"]


@pytest.mark.parametrize("method", ["get", "head", "options", "post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", LOOKUP_URLS)
def test_api_answers_an_unusable_lookup_with_a_json_404(organizer_api, db, url, method):
    Person.objects.create(given_name="Trui", family_name="Steen")
    before = row_counts()

    for who, client in (("anonymous", APIClient()), ("organizer", organizer_api)):
        for lookup in UNUSABLE_LOOKUPS:
            response = getattr(client, method)(url.format(lookup=lookup), {}, format="json")

            assert response.status_code == 404, (who, lookup, response.content)
            assert response["Content-Type"] == "application/json"
            if method != "head":
                assert set(response.json()) == {"detail"}, response.json()
    assert row_counts() == before


# Bodies the API cannot read ----------------------------------------------------------------

TOO_DEEP = "Records of the archive need only a few levels of objects and lists."


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("[" * 1000 + "]" * 1000, id="lists-1000"),
        pytest.param('{"given_name": ' * 1000 + '"Zoë"' + "}" * 1000, id="objects-1000"),
        pytest.param("[" * 200_000 + "]" * 200_000, id="lists-200000"),
    ],
)
def test_api_refuses_json_nested_too_deeply_with_a_json_400(organizer_api, db, body):
    before = row_counts()

    response = organizer_api.post("/api/people/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"JSON parse error - the body is nested too deeply to read. {TOO_DEEP}"
    }
    assert row_counts() == before


@pytest.mark.parametrize(
    ("megabytes", "limit"), [(5.5, "5.0 MB"), (9.9, "5.0 MB"), (10.5, "10.0 MB")]
)
@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_api_refuses_a_large_json_body_with_a_json_413(
    organizer_api, db, settings, method, megabytes, limit
):
    # The defaults the README documents: Django reads 5 MB, the site accepts 10 MB.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
    settings.MAX_REQUEST_BYTES = 10 * 1024 * 1024
    Person.objects.create(given_name="Trui", family_name="Steen")
    before = row_counts()
    biography = "z" * int(megabytes * 1024 * 1024)
    body = {"given_name": "Zoë", "family_name": "Hoppen", "biography": biography}
    url = "/api/people/" if method == "post" else "/api/people/trui-steen/"

    response = getattr(organizer_api, method)(url, body, format="json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": (
            f"The request is too large: at most {limit} is accepted. "
            "Send fewer or shorter records per request."
        )
    }
    assert row_counts() == before
    assert Person.objects.get().given_name == "Trui"
