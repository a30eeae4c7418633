"""Bulk citation exports: a meeting's programme, a person's works, search results."""

import json

import pytest

from papers.citations import parse_bibtex, parse_ris
from tests.factories.conference import MeetingFactory
from tests.factories.papers import create_programme

MEETING_URL = "/meetings/coproduction-2023-nijmegen/"
PERSON_URL = "/people/noella-edelmann/"
PAPER_TITLE = (
    "Sustainability and Co-creation in Public Sector Organisations: Practices, Outcomes, "
    "and Lessons Learned"
)
ARTICLE_TITLE = "The Impact of Sustainability on Co-Creation of Digital Public Services"


def test_meeting_programme_exports_as_bibtex_with_the_event(client, demo_data):
    response = client.get(MEETING_URL, {"format": "bibtex"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="coproduction-2023-nijmegen-programme.bib"'
    )
    text = response.content.decode()
    assert text.startswith("@presentation{edelmann2023sustainabili-t0ln,")
    assert "  venue = {Nijmegen, Netherlands},\n  date = {2023-05-11/2023-05-12},\n" in text
    (item,) = parse_bibtex(text).items
    assert item["title"] == PAPER_TITLE


def test_person_works_export_as_ris(client, demo_data):
    response = client.get(PERSON_URL, {"format": "ris"})
    parsed = parse_ris(response.content.decode())
    assert parsed.errors == []
    assert sorted(item["title"] for item in parsed.items) == sorted([PAPER_TITLE, ARTICLE_TITLE])


def test_search_results_export_as_csl_json(client, demo_data):
    response = client.get("/search/", {"q": "sustainability", "format": "csljson"})
    assert response.status_code == 200
    items = json.loads(response.content)
    assert sorted(item["title"] for item in items) == sorted([PAPER_TITLE, ARTICLE_TITLE])


def test_export_links_keep_the_search_query(client, demo_data):
    content = client.get("/search/", {"q": "sustainability"}).content.decode()
    assert 'href="?q=sustainability&amp;format=bibtex"' in content


def test_unknown_export_format_is_a_clear_400(client, demo_data):
    response = client.get(MEETING_URL, {"format": "docx"})
    assert response.status_code == 400
    assert response.content.decode() == (
        "Unknown format “docx”: choose one of bibtex, ris, csljson."
    )


@pytest.mark.parametrize("papers", [1, 20])
def test_programme_export_queries_do_not_grow_with_the_programme(
    client, db, django_assert_num_queries, papers
):
    meeting = MeetingFactory(slug="big")
    create_programme(meeting, papers=papers, authors_per_paper=4)
    # The meeting, its papers, their authors, topics and presentations: five, and three for
    # the proper nouns BibTeX titles brace, whatever the size.
    with django_assert_num_queries(8):
        response = client.get("/meetings/big/", {"format": "bibtex"})
    assert response.content.decode().count("@presentation{") == papers
