"""Content negotiation for works, as doi.org does it: one URL, a format per Accept header."""

import json

import pytest

from papers.api import renderers
from papers.citations import parse_bibtex, parse_ris, styles
from tests.factories.conference import MeetingFactory
from tests.factories.papers import create_programme

ARTICLE = "/api/papers/edelmann-2023-impact-sustainability-co-creation/"
WORKS_OF_MEETING = "/api/meetings/coproduction-2023-nijmegen/works/"
APA = (
    "Edelmann, N., & Virkar, S. (2023). The Impact of Sustainability on Co-Creation of Digital "
    "Public Services. Administrative Sciences, 13(2), 43. https://doi.org/10.3390/admsci13020043"
)


def get(client, url, accept):
    return client.get(url, HTTP_ACCEPT=accept)


def test_json_stays_the_default(api_client, demo_data):
    response = api_client.get(ARTICLE)
    assert response["Content-Type"] == "application/json"
    assert response.json()["doi"] == "10.3390/admsci13020043"


@pytest.mark.parametrize("url", [ARTICLE, "/api/papers/", WORKS_OF_MEETING])
def test_an_empty_format_is_an_unknown_format_not_the_default(api_client, demo_data, url):
    response = api_client.get(url, {"format": ""})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert api_client.get(url, {"format": "json"}).status_code == 200


def test_bibtex_by_accept_header(api_client, demo_data):
    response = get(api_client, ARTICLE, "application/x-bibtex")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    (item,) = parse_bibtex(response.content.decode()).items
    assert item["title"] == "The Impact of Sustainability on Co-Creation of Digital Public Services"
    assert item["DOI"] == "10.3390/admsci13020043"


def test_ris_by_accept_header(api_client, demo_data):
    response = get(api_client, ARTICLE, "application/x-research-info-systems")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    (item,) = parse_ris(response.content.decode()).items
    assert [author["family"] for author in item["author"]] == ["Edelmann", "Virkar"]


def test_csl_json_by_accept_header(api_client, demo_data):
    response = get(api_client, ARTICLE, "application/vnd.citationstyles.csl+json")
    (item,) = json.loads(response.content)
    assert item["type"] == "article-journal"
    assert (item["container-title"], item["volume"], item["issue"], item["page"]) == (
        "Administrative Sciences",
        "13",
        "2",
        "43",
    )


def test_formatted_reference_in_apa_as_the_report_prints_it(api_client, demo_data):
    response = get(api_client, ARTICLE, "text/x-bibliography; style=apa; locale=en-US")
    assert response["Content-Type"] == "text/x-bibliography; charset=utf-8"
    assert response.content.decode() == APA


def test_formatted_reference_defaults_to_apa(api_client, demo_data):
    assert get(api_client, ARTICLE, "text/x-bibliography").content.decode() == APA


def test_any_installed_style_is_accepted(api_client, demo_data):
    response = get(api_client, ARTICLE, "text/x-bibliography; style=ieee")
    assert response.content.decode().startswith("[1] N. Edelmann and S. Virkar, “The Impact")


def test_unknown_style_is_a_400_listing_the_choices(api_client, demo_data):
    response = get(api_client, ARTICLE, "text/x-bibliography; style=apa7")
    assert response.status_code == 400
    text = response.content.decode()
    assert text.startswith("Unknown citation style 'apa7'. Did you mean: apa")
    assert "Choose one of apa, chicago-author-date, harvard, ieee" in text


def test_a_type_we_do_not_offer_is_406(api_client, demo_data):
    response = get(api_client, ARTICLE, "application/pdf")
    assert response.status_code == 406


def test_unknown_work_is_404_in_a_citation_format(api_client, db):
    response = get(api_client, "/api/papers/no-such-work/", "application/x-bibtex")
    assert response.status_code == 404
    assert response.content.decode() == "No Paper matches the given query.\n"


def test_meeting_works_list_negotiates_too(api_client, demo_data):
    bibtex = get(api_client, WORKS_OF_MEETING, "application/x-bibtex").content.decode()
    assert bibtex.startswith("@presentation{edelmann2023sustainabili-t0ln,")
    assert "eventtitle = {10th open meeting" in bibtex
    works = api_client.get(WORKS_OF_MEETING).json()
    assert [work["slug"] for work in works] == [
        "sustainability-and-co-creation-in-public-sector-organisations"
    ]


def test_a_page_of_the_works_list_as_bibliography(api_client, demo_data):
    response = get(api_client, "/api/papers/?ordering=title", "text/x-bibliography; style=apa")
    lines = response.content.decode().splitlines()
    # The style orders a bibliography, not the query: two references, one per line.
    assert len(lines) == 2
    assert APA in lines
    assert any(
        line.startswith("Edelmann, N., Steen, T., & van Dijk, C. (2023, May 11–12).")
        for line in lines
    )


@pytest.mark.parametrize("papers", [1, 12])
def test_citation_exports_run_a_fixed_number_of_queries(
    api_client, db, django_assert_num_queries, papers
):
    meeting = MeetingFactory(slug="big")
    create_programme(meeting, papers=papers, authors_per_paper=5)
    # 5 for the works, 3 for the proper nouns that BibTeX titles brace (any archive size).
    with django_assert_num_queries(8):
        response = get(api_client, "/api/meetings/big/works/", "application/x-bibtex")
    assert response.content.decode().count("@presentation{") == papers
    with django_assert_num_queries(8):
        response = get(api_client, "/api/papers/?page_size=50", "application/x-bibtex")
    assert response.content.decode().count("@presentation{") == papers


def test_bad_filter_in_a_text_format_answers_readable_lines(api_client, demo_data):
    response = get(api_client, "/api/papers/?meeting=no-such-meeting", "application/x-bibtex")
    assert response.status_code == 400
    text = response.content.decode()
    assert text.startswith("meeting: ")
    assert "ErrorDetail" not in text


def test_bad_filter_in_csl_json_answers_a_json_error(api_client, demo_data):
    response = get(
        api_client,
        "/api/papers/?meeting=no-such-meeting",
        "application/vnd.citationstyles.csl+json",
    )
    assert response.status_code == 400
    assert list(json.loads(response.content)) == ["meeting"]


def test_bibliography_locale_parameter_picks_the_language(api_client, demo_data):
    response = get(api_client, ARTICLE, "text/x-bibliography; style=chicago-author-date; locale=de")

    assert response.status_code == 200
    assert response.content.decode().startswith("Edelmann, Noella, und Shefali Virkar. 2023.")


def test_bibliography_unknown_locale_is_a_400_listing_the_choices(api_client, demo_data):
    response = get(api_client, ARTICLE, "text/x-bibliography; style=apa; locale=xx-YY")

    assert response.status_code == 400
    assert response.content.decode().startswith("Unknown locale 'xx-YY'. Choose one of ")
    assert "de-DE" in response.content.decode()


def test_bibliography_beyond_its_bound_is_a_400_saying_what_to_do(
    api_client, demo_data, monkeypatch
):
    # The bound (500 works) made small: the demo has 2 works.
    monkeypatch.setattr(renderers, "MAX_BIBLIOGRAPHY_ENTRIES", 1)
    monkeypatch.setattr(styles, "MAX_BIBLIOGRAPHY_ENTRIES", 1)

    response = get(api_client, "/api/papers/", "text/x-bibliography; style=apa")

    assert response.status_code == 400
    assert response.content.decode() == (
        "A formatted bibliography holds at most 1 works; this one has 2. Page through "
        "/api/papers/ (at most 100 works a page), or download CSL-JSON, BibTeX or RIS, which "
        "have no limit.\n"
    )
    assert get(api_client, "/api/papers/", "application/x-bibtex").status_code == 200
