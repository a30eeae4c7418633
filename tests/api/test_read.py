import pytest

from tests.factories.conference import MeetingFactory, MeetingTopicFactory, SeriesFactory
from tests.factories.papers import AuthorshipFactory, PaperFactory, PresentationFactory
from tests.factories.people import AffiliationFactory, InstitutionFactory, PersonFactory

pytestmark = pytest.mark.django_db

MEETING = "/api/meetings/coproduction-2023-nijmegen/"
PAPER = "/api/papers/sustainability-and-co-creation-in-public-sector-organisations/"
ARTICLE = "/api/papers/edelmann-2023-impact-sustainability-co-creation/"


def slugs(response):
    return [item["slug"] for item in response.json()["results"]]


def test_api_root_lists_every_resource(api_client):
    response = api_client.get("/api/")

    assert response.status_code == 200
    assert set(response.json()) == {
        "meetings",
        "series",
        "topics",
        "papers",
        "presentations",
        "sessions",
        "rooms",
        "people",
        "institutions",
        "projects",
    }
    assert response.json()["meetings"] == "http://testserver/api/meetings/"


def test_meeting_programme_shows_presenters_in_order_with_institutions(api_client, demo_data):
    response = api_client.get(MEETING)

    assert response.status_code == 200
    meeting = response.json()
    assert meeting["date_range"] == "11–12 May 2023"
    assert meeting["place"] == "Nijmegen, Netherlands"
    assert meeting["edition"] == 10
    assert len(meeting["programme"]) == 1
    entry = meeting["programme"][0]
    assert entry["work"]["title"] == (
        "Sustainability and Co-creation in Public Sector Organisations: "
        "Practices, Outcomes, and Lessons Learned"
    )
    assert entry["work"]["url"] == f"http://testserver{PAPER}"
    assert [
        (p["position"], p["person"]["name"], p["institution"]["short_name"])
        for p in entry["presenters"]
    ] == [
        (1, "Noella Edelmann", "DUK"),
        (2, "Trui Steen", "KLU"),
        (3, "Charlotte van Dijk", "KLU"),
    ]
    assert entry["presenters"][1]["institution"] == {
        "id": entry["presenters"][1]["institution"]["id"],
        "slug": "klu",
        "name": "KU Leuven",
        "short_name": "KLU",
        "url": "http://testserver/api/institutions/klu/",
    }


def test_meeting_detail_shows_series_topics_organizers_and_projects(api_client, demo_data):
    meeting = api_client.get(MEETING).json()

    assert meeting["series"]["parent_organisation"]["short_name"] == "IIAS"
    assert [t["topic"]["name"] for t in meeting["announced_topics"]][-1] == "Digital co-production"
    assert len(meeting["announced_topics"]) == 5
    organizers = {o["person"]["name"]: o["institution"] for o in meeting["organizers"]}
    assert organizers["Trui Steen"]["short_name"] == "KLU"
    assert organizers["Tina Nabatchi"]["name"] == "Syracuse University"
    projects = {s["project"]["name"]: s for s in meeting["supporting_projects"]}
    assert set(projects) == {"inGOV", "Interlink"}
    assert projects["inGOV"]["project"]["grant_agreement"] == "962563"
    assert any("Grant Agreement 962563" in sentence for sentence in meeting["acknowledgments"])


def test_paper_detail_shows_authors_presentations_and_relations(api_client, demo_data):
    paper = api_client.get(PAPER).json()

    assert [a["person"]["slug"] for a in paper["authors"]] == [
        "noella-edelmann",
        "trui-steen",
        "charlotte-van-dijk",
    ]
    assert [a["affiliation"]["short_name"] for a in paper["authors"]] == ["DUK", "KLU", "KLU"]
    assert paper["presentations"][0]["meeting"]["slug"] == "coproduction-2023-nijmegen"
    assert [p["person"]["name"] for p in paper["presentations"][0]["presenters"]] == [
        "Noella Edelmann",
        "Trui Steen",
        "Charlotte van Dijk",
    ]
    assert paper["relations"][0]["kind"] == "extends"
    assert paper["relations"][0]["work"]["url"] == f"http://testserver{ARTICLE}"
    assert {p["name"] for p in paper["projects"]} == {"inGOV"}


def test_article_detail_shows_doi_and_the_work_extending_it(api_client, demo_data):
    article = api_client.get(ARTICLE).json()

    assert article["doi"] == "10.3390/admsci13020043"
    assert article["doi_url"] == "https://doi.org/10.3390/admsci13020043"
    assert (article["journal"], article["volume"], article["issue"], article["pages"]) == (
        "Administrative Sciences",
        "13",
        "2",
        "43",
    )
    assert [(r["kind"], r["work"]["slug"]) for r in article["inverse_relations"]] == [
        ("extends", "sustainability-and-co-creation-in-public-sector-organisations")
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/people/trui-steen/", "Trui Steen"),
        ("/api/institutions/duk/", "University for Continuing Education Krems"),
        ("/api/projects/ingov/", None),
        ("/api/topics/digital-co-production/", "Digital co-production"),
        ("/api/series/coproduction-of-public-services/", None),
    ],
)
def test_details_are_readable_by_anyone(api_client, demo_data, url, expected):
    response = api_client.get(url)

    assert response.status_code == 200
    if expected:
        assert response.json()["name"] == expected


def test_unknown_slug_answers_404(api_client, demo_data):
    assert api_client.get("/api/meetings/no-such-meeting/").status_code == 404


def test_presentation_detail_is_found_by_id(api_client, demo_data):
    listing = api_client.get("/api/presentations/").json()
    presentation_id = listing["results"][0]["id"]

    response = api_client.get(f"/api/presentations/{presentation_id}/")

    assert response.status_code == 200
    assert response.json()["meeting"]["slug"] == "coproduction-2023-nijmegen"


def test_meetings_filter_by_series_year_country_and_topic(api_client):
    series = SeriesFactory(slug="public-value")
    nijmegen = MeetingFactory(series=series, slug="nijmegen", country="NL")
    leuven = MeetingFactory(
        slug="leuven",
        country="BE",
        start_date="2024-06-03",
        end_date="2024-06-04",
    )
    MeetingTopicFactory(meeting=leuven, topic__slug="digital")

    assert slugs(api_client.get("/api/meetings/?series=public-value")) == ["nijmegen"]
    assert slugs(api_client.get("/api/meetings/?year=2024")) == ["leuven"]
    assert slugs(api_client.get("/api/meetings/?country=nl")) == ["nijmegen"]
    assert slugs(api_client.get("/api/meetings/?topic=digital")) == ["leuven"]
    assert slugs(api_client.get("/api/meetings/?search=public-value")) == []
    assert slugs(api_client.get("/api/meetings/?ordering=start_date")) == ["nijmegen", "leuven"]
    assert nijmegen.slug in slugs(api_client.get("/api/meetings/"))


def test_unknown_filter_value_answers_400_naming_the_filter(api_client, db):
    response = api_client.get("/api/meetings/?series=nowhere")

    assert response.status_code == 400
    assert "series" in response.json()


def test_papers_filter_by_meeting_topic_author_institution_year_and_type(api_client):
    klu = InstitutionFactory(slug="klu")
    trui = PersonFactory(slug="trui")
    paper = PaperFactory(slug="presented", year=2023, kind="conference_paper")
    AuthorshipFactory(paper=paper, person=trui, affiliation=klu, position=1)
    AuthorshipFactory(paper=paper, position=2)
    paper.topics.add(MeetingTopicFactory(topic__slug="digital").topic)
    PresentationFactory(paper=paper, meeting__slug="nijmegen")
    other = PaperFactory(slug="article", year=2021, kind="journal_article")
    AuthorshipFactory(paper=other, position=1)

    assert slugs(api_client.get("/api/papers/?meeting=nijmegen")) == ["presented"]
    assert slugs(api_client.get("/api/papers/?topic=digital")) == ["presented"]
    assert slugs(api_client.get("/api/papers/?author=trui")) == ["presented"]
    assert slugs(api_client.get("/api/papers/?institution=klu")) == ["presented"]
    assert slugs(api_client.get("/api/papers/?year=2021")) == ["article"]
    assert slugs(api_client.get("/api/papers/?type=journal_article")) == ["article"]
    assert slugs(api_client.get("/api/papers/?ordering=year")) == ["article", "presented"]
    assert slugs(api_client.get(f"/api/papers/?search={trui.family_name}")) == ["presented"]


def test_parameters_that_name_no_filter_leave_a_list_unfiltered(api_client):
    PaperFactory.create_batch(2, year=2021)
    PaperFactory(year=2023)

    assert api_client.get("/api/papers/?utm_source=mail").json()["count"] == 3
    assert api_client.get("/api/papers/?year=").json()["count"] == 3
    assert api_client.get("/api/papers/?year=2023&utm_source=mail").json()["count"] == 1
    assert api_client.get("/api/papers/?year=20x3&utm_source=mail").status_code == 400


def test_people_filter_by_institution_and_search(api_client):
    klu = InstitutionFactory(slug="klu")
    AffiliationFactory(person__slug="trui", person__family_name="Steen", institution=klu)
    AffiliationFactory(person__slug="taco", person__family_name="Brandsen")

    assert slugs(api_client.get("/api/people/?institution=klu")) == ["trui"]
    assert slugs(api_client.get("/api/people/?search=brands")) == ["taco"]
    assert slugs(api_client.get("/api/people/?ordering=-family_name")) == ["trui", "taco"]


def test_lists_are_paginated_with_count(api_client):
    InstitutionFactory.create_batch(5)

    response = api_client.get("/api/institutions/?page_size=2&page=2")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=3&page_size=2")


def test_an_api_url_that_matches_no_view_answers_json_404(api_client, db):
    response = api_client.get("/api/no-such-resource/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "There is no such resource in the API."}


def test_an_error_in_a_citation_format_is_documented_as_text(api_client, demo_data, openapi_schema):
    response = api_client.get("/api/papers/", {"page": 99, "format": "bibtex"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response.content == b"Invalid page.\n"
    documented = openapi_schema["paths"]["/api/papers/"]["get"]["responses"]["404"]["content"]
    assert documented["application/x-bibtex"] == {"schema": {"type": "string"}}


def test_a_non_api_url_that_matches_nothing_is_still_a_page(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("year", ["-9.712905826140718e+116", "99999999999999999999", "2023.5", "0"])
def test_year_filters_refuse_what_is_not_a_four_digit_year(api_client, db, year):
    """Found by schemathesis: a huge year overflowed the database query (500)."""
    for url in ("/api/meetings/", "/api/papers/"):
        response = api_client.get(url, {"year": year})
        assert response.status_code == 400, url
        assert "year" in response.json()
