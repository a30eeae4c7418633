import pytest

from conference.meetings.models import CommitteeMember, Meeting, MeetingSupport, MeetingTopic
from papers.models import Authorship, Paper, Presentation, Presenter, WorkRelation
from people.models import Institution, Person
from tests.factories.conference import MeetingFactory, SeriesFactory
from tests.factories.papers import AuthorshipFactory, PaperFactory
from tests.factories.people import InstitutionFactory, PersonFactory

pytestmark = pytest.mark.django_db

WRITTEN_MODELS = [
    Institution,
    Person,
    Meeting,
    MeetingTopic,
    MeetingSupport,
    CommitteeMember,
    Paper,
    Authorship,
    Presentation,
    Presenter,
    WorkRelation,
]


def row_counts():
    return {model.__name__: model.objects.count() for model in WRITTEN_MODELS}


def post(client, url, data):
    return client.post(url, data, format="json")


def test_anonymous_write_is_refused_with_401(api_client, db):
    response = post(api_client, "/api/institutions/", {"name": "KU Leuven"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Institution.objects.exists()


def test_write_without_model_permission_is_refused_with_403(member_client):
    response = post(member_client, "/api/institutions/", {"name": "KU Leuven"})

    assert response.status_code == 403
    assert not Institution.objects.exists()


def test_member_without_permission_can_still_read(member_client, demo_data):
    assert member_client.get("/api/meetings/").status_code == 200


def test_session_write_needs_csrf_token(organizer):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(organizer)

    response = post(client, "/api/institutions/", {"name": "KU Leuven"})

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Institution.objects.exists()


def test_organizer_creates_a_whole_programme_and_reads_it_back(organizer_client, api_client):
    series = SeriesFactory(slug="coproduction")
    krems = post(
        organizer_client,
        "/api/institutions/",
        {"name": "University for Continuing Education Krems", "short_name": "DUK", "country": "AT"},
    )
    assert krems.status_code == 201, krems.json()
    assert krems.json()["slug"] == "duk"
    leuven = post(
        organizer_client,
        "/api/institutions/",
        {"name": "KU Leuven", "short_name": "KLU", "ror_id": "https://ror.org/05f950310"},
    ).json()
    assert leuven["ror_id"] == "05f950310"
    people = [
        post(organizer_client, "/api/people/", person).json()
        for person in [
            {"given_name": "Noella", "family_name": "Edelmann"},
            {"given_name": "Trui", "family_name": "Steen", "orcid": "0000-0002-1825-0097"},
            {"given_name": "Charlotte", "family_name": "van Dijk"},
        ]
    ]
    topic = post(organizer_client, "/api/topics/", {"name": "Digital co-production"}).json()
    project = post(
        organizer_client,
        "/api/projects/",
        {"acronym": "inGOV", "funder": "European Union", "grant_agreement": "962563"},
    ).json()

    meeting = post(
        organizer_client,
        "/api/meetings/",
        {
            "series": "coproduction",
            "edition": 10,
            "start_date": "2023-05-11",
            "end_date": "2023-05-12",
            "city": "Nijmegen",
            "country": "NL",
            "topics": [topic["slug"]],
            "organizers": [{"person": "trui-steen", "institution": "klu", "role": "chair"}],
            "supporting_projects": [{"project": project["id"], "acknowledged": True}],
        },
    )
    assert meeting.status_code == 201, meeting.json()
    meeting_slug = meeting.json()["slug"]
    work = post(
        organizer_client,
        "/api/papers/",
        {
            "title": "Sustainability and Co-creation in Public Sector Organisations",
            "year": 2023,
            "authors": [
                {"person": people[0]["id"], "position": 1, "affiliation": "duk"},
                {"person": "trui-steen", "position": 2, "affiliation": leuven["id"]},
                {"person": "charlotte-van-dijk", "position": 3, "affiliation": "klu"},
            ],
            "topics": [topic["id"]],
            "projects": ["ingov"],
        },
    )
    assert work.status_code == 201, work.json()
    presentation = post(
        organizer_client,
        "/api/presentations/",
        {
            "meeting": meeting_slug,
            "work": work.json()["slug"],
            "presenters": ["noella-edelmann", "trui-steen", "charlotte-van-dijk"],
        },
    )
    assert presentation.status_code == 201, presentation.json()

    programme = api_client.get(f"/api/meetings/{meeting_slug}/").json()
    assert programme["title"] == f"10th open meeting of the {series.name}"
    assert [
        (p["person"]["name"], p["institution"]["short_name"])
        for p in programme["programme"][0]["presenters"]
    ] == [("Noella Edelmann", "DUK"), ("Trui Steen", "KLU"), ("Charlotte van Dijk", "KLU")]
    assert programme["organizers"][0]["person"]["slug"] == "trui-steen"
    assert programme["organizers"][0]["role"] == "chair"
    assert programme["supporting_projects"][0]["project"]["grant_agreement"] == "962563"
    assert programme["announced_topics"][0]["topic"]["name"] == "Digital co-production"
    read_back = api_client.get(f"/api/papers/{work.json()['slug']}/").json()
    assert read_back["presentations"][0]["meeting"]["slug"] == meeting_slug
    assert {**read_back, "presentations": []} == work.json()
    assert api_client.get(presentation.json()["url"]).json() == presentation.json()


def test_updating_authors_reorders_them_and_keeps_presenters(organizer_client, demo_data):
    url = "/api/papers/sustainability-and-co-creation-in-public-sector-organisations/"

    response = organizer_client.patch(
        url,
        {
            "authors": [
                {"person": "trui-steen", "position": 1, "affiliation": "klu"},
                {"person": "noella-edelmann", "position": 2, "affiliation": "duk"},
                {"person": "charlotte-van-dijk", "position": 3, "affiliation": "klu"},
            ]
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert [a["person"]["slug"] for a in response.json()["authors"]] == [
        "trui-steen",
        "noella-edelmann",
        "charlotte-van-dijk",
    ]
    assert len(response.json()["presentations"][0]["presenters"]) == 3


def test_removing_a_presenting_author_is_refused(organizer_client, demo_data):
    before = row_counts()

    response = organizer_client.patch(
        "/api/papers/sustainability-and-co-creation-in-public-sector-organisations/",
        {"authors": [{"person": "trui-steen", "position": 1}]},
        format="json",
    )

    assert response.status_code == 400
    assert "Noella Edelmann presented this work" in response.json()["authors"][0]
    assert row_counts() == before


@pytest.fixture
def programme_parts(db):
    person = PersonFactory(slug="trui-steen")
    InstitutionFactory(slug="klu")
    meeting = MeetingFactory(slug="nijmegen")
    paper = PaperFactory(slug="the-work")
    AuthorshipFactory(paper=paper, person=person, position=1)
    PersonFactory(slug="not-an-author")
    PaperFactory(slug="other", doi="10.3390/admsci13020043")
    return meeting, paper


def work(**changes):
    data = {
        "title": "A new work",
        "year": 2023,
        "authors": [
            {"person": "trui-steen", "position": 1, "affiliation": "klu"},
            {"person": "not-an-author", "position": 2},
        ],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        pytest.param(
            "/api/papers/",
            work(authors=[{"person": "nobody", "position": 1}]),
            "authors",
            "There is no person with the slug “nobody”.",
            id="unknown-person",
        ),
        pytest.param(
            "/api/papers/",
            work(authors=[{"person": "trui-steen", "position": 1, "affiliation": 99999}]),
            "authors",
            "There is no institution with the id “99999”.",
            id="unknown-institution",
        ),
        pytest.param(
            "/api/papers/",
            work(
                authors=[
                    {"person": "trui-steen", "position": 1},
                    {"person": "not-an-author", "position": 1},
                ]
            ),
            "authors",
            "both have position 1",
            id="duplicate-position",
        ),
        pytest.param(
            "/api/papers/",
            work(
                authors=[
                    {"person": "trui-steen", "position": 1},
                    {"person": "trui-steen", "position": 2},
                ]
            ),
            "authors",
            "is listed more than once",
            id="duplicate-person",
        ),
        pytest.param("/api/papers/", work(authors=[]), "authors", "", id="no-authors"),
        pytest.param(
            "/api/papers/",
            work(authors=[{"person": "trui-steen", "position": "first"}]),
            "authors",
            "A valid integer is required.",
            id="wrong-type-position",
        ),
        pytest.param(
            "/api/papers/", work(year="soon"), "year", "A valid integer is required.", id="year"
        ),
        pytest.param(
            "/api/papers/", work(title=["a", "list"]), "title", "Not a valid string.", id="title"
        ),
        pytest.param(
            "/api/papers/",
            work(doi="10.3390"),
            "doi",
            "“10.3390” is not a DOI",
            id="malformed-doi",
        ),
        pytest.param(
            "/api/papers/",
            work(doi="https://doi.org/10.3390/ADMSCI13020043"),
            "doi",
            "already has the DOI 10.3390/admsci13020043",
            id="duplicate-doi",
        ),
        pytest.param(
            "/api/papers/",
            work(relations=[{"kind": "extends", "work": "missing"}]),
            "relations",
            "There is no paper with the slug “missing”.",
            id="unknown-related-work",
        ),
        pytest.param(
            "/api/presentations/",
            {"meeting": "nijmegen", "work": "the-work", "presenters": ["not-an-author"]},
            "presenters",
            "is not an author of “",
            id="presenter-not-author",
        ),
        pytest.param(
            "/api/presentations/",
            {"meeting": "elsewhere", "work": "the-work", "presenters": ["trui-steen"]},
            "meeting",
            "There is no meeting with the slug “elsewhere”.",
            id="unknown-meeting",
        ),
        pytest.param(
            "/api/meetings/",
            {"series": "unknown-series", "start_date": "2023-05-11", "end_date": "2023-05-12"},
            "series",
            "There is no meeting series with the slug “unknown-series”.",
            id="unknown-series",
        ),
        pytest.param(
            "/api/people/",
            {"given_name": "Josiah", "family_name": "Carberry", "orcid": "0000-0002-1825-0098"},
            "orcid",
            "its check digit does not match",
            id="orcid-checksum",
        ),
        pytest.param(
            "/api/institutions/",
            {"name": "Somewhere", "ror_id": "not-a-ror"},
            "ror_id",
            "is not a ROR id",
            id="malformed-ror",
        ),
        pytest.param(
            "/api/institutions/",
            {"name": "Somewhere", "country": "XX"},
            "country",
            "is not a valid choice",
            id="unknown-country",
        ),
    ],
)
def test_bad_input_answers_400_with_field_messages_and_writes_nothing(
    organizer_client, programme_parts, url, data, field, message
):
    before = row_counts()

    response = post(organizer_client, url, data)

    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert message in str(response.json()[field])
    assert row_counts() == before


def test_meeting_ending_before_it_starts_answers_400_on_end_date(organizer_client, db):
    SeriesFactory(slug="coproduction")
    before = row_counts()

    response = post(
        organizer_client,
        "/api/meetings/",
        {"series": "coproduction", "start_date": "2023-05-12", "end_date": "2023-05-11"},
    )

    assert response.status_code == 400
    assert response.json() == {"end_date": ["The meeting cannot end before it starts."]}
    assert row_counts() == before


def test_changing_end_date_to_before_start_is_refused(organizer_client, db):
    meeting = MeetingFactory(slug="nijmegen")

    response = organizer_client.patch(
        "/api/meetings/nijmegen/", {"end_date": "2023-05-01"}, format="json"
    )

    assert response.status_code == 400
    assert "end_date" in response.json()
    meeting.refresh_from_db()
    assert str(meeting.end_date) == "2023-05-12"


def test_duplicate_orcid_answers_400_naming_the_field(organizer_client, db):
    PersonFactory(orcid="0000-0002-1825-0097")

    response = post(
        organizer_client,
        "/api/people/",
        {"given_name": "J", "family_name": "C", "orcid": "https://orcid.org/0000-0002-1825-0097"},
    )

    assert response.status_code == 400
    assert "orcid" in response.json()
    assert Person.objects.count() == 1


def test_presentation_twice_in_a_programme_is_refused(organizer_client, demo_data):
    before = row_counts()

    response = post(
        organizer_client,
        "/api/presentations/",
        {
            "meeting": "coproduction-2023-nijmegen",
            "work": "sustainability-and-co-creation-in-public-sector-organisations",
            "presenters": ["trui-steen"],
        },
    )

    assert response.status_code == 400
    assert "already in the programme" in response.json()["work"][0]
    assert row_counts() == before


def test_deleting_a_referenced_institution_answers_409_and_deletes_nothing(
    organizer_client, demo_data
):
    before = row_counts()

    response = organizer_client.delete("/api/institutions/klu/")

    assert response.status_code == 409
    body = response.json()
    assert "cannot be deleted" in body["detail"]
    assert body["detail"].startswith("This cannot be deleted: 5 other record(s) still refer")
    assert sorted((ref["type"], ref["name"]) for ref in body["referenced_by"])[:4] == [
        ("affiliation", "Charlotte van Dijk – KLU (since 2023)"),
        ("affiliation", "Trui Steen – KLU (since 2023)"),
        ("authorship", "2. Trui Steen"),
        ("authorship", "3. Charlotte van Dijk"),
    ]
    assert {ref["type"] for ref in body["referenced_by"]} == {
        "affiliation",
        "authorship",
        "organizing committee member",
    }
    assert row_counts() == before


def test_deleting_an_unreferenced_institution_works(organizer_client, db):
    InstitutionFactory(slug="unused")

    response = organizer_client.delete("/api/institutions/unused/")

    assert response.status_code == 204
    assert not Institution.objects.exists()


def test_deleting_a_presented_work_answers_409(organizer_client, demo_data):
    response = organizer_client.delete(
        "/api/papers/sustainability-and-co-creation-in-public-sector-organisations/"
    )

    assert response.status_code == 409
    assert Paper.objects.count() == 2


def test_errors_are_reported_under_the_api_field_names(organizer_client, demo_data):
    before = row_counts()

    response = organizer_client.patch(
        "/api/meetings/coproduction-2023-nijmegen/",
        {
            "organizers": [{"person": "trui-steen"}, {"person": "trui-steen"}],
            "supporting_projects": [{"project": "ingov"}, {"project": "ingov"}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "organizers": ["Trui Steen is listed more than once."],
        "supporting_projects": ["The project inGOV is listed more than once."],
    }
    assert row_counts() == before


@pytest.mark.parametrize(
    "url",
    [
        "/api/",
        "/api/meetings/",
        "/api/meetings/coproduction-2023-nijmegen/",
        "/api/papers/sustainability-and-co-creation-in-public-sector-organisations/",
        "/api/presentations/",
        "/api/people/trui-steen/",
    ],
)
def test_browsable_api_renders_for_an_organizer(client, organizer, demo_data, url):
    client.force_login(organizer)

    response = client.get(url, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"csrfToken" in response.content


def test_a_superscript_digit_as_a_record_id_answers_400(organizer_client, demo_data):
    before = row_counts()

    response = organizer_client.post(
        "/api/papers/",
        {"title": "Footnotes", "authors": [{"person": "¹", "position": 1}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "authors": {"0": {"person": ["There is no person with the slug “¹”."]}}
    }
    assert row_counts() == before


def test_writes_without_a_write_serializer_answer_as_documented(
    organizer_client, demo_data, assert_matches_schema
):
    person = organizer_client.patch(
        "/api/people/trui-steen/", {"website": "https://example.org/ts"}, format="json"
    )
    series = organizer_client.patch(
        "/api/series/coproduction-of-public-services/", {"short_name": "CoPS"}, format="json"
    )

    assert person.status_code == 200
    assert "works" not in person.json()
    assert_matches_schema(person, "/api/people/{slug}/", "patch")
    assert series.status_code == 200
    assert "meetings" not in series.json()
    assert_matches_schema(series, "/api/series/{slug}/", "patch")


def test_a_presentation_write_answers_as_documented(
    organizer_client, demo_data, assert_matches_schema
):
    presentation = organizer_client.get("/api/presentations/").json()["results"][0]

    response = organizer_client.patch(presentation["url"], {"session": "Room 2"}, format="json")

    assert response.status_code == 200
    assert response.json()["meeting"]["slug"] == "coproduction-2023-nijmegen"
    assert_matches_schema(response, "/api/presentations/{id}/", "patch")


def test_a_nul_character_in_a_related_slug_answers_400(organizer_client, demo_data):
    before = row_counts()

    response = organizer_client.post(
        "/api/papers/",
        {"title": "Nothing", "authors": [{"person": "trui\x00steen", "position": 1}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "authors": {"0": {"person": ["There is no person with the slug “trui\\x00steen”."]}}
    }
    assert row_counts() == before
