"""Highwire tags and JSON-LD for indexers, checked by parsing what the functions produce."""

import json
import re

import pytest

from conference.meetings.models import Meeting
from papers.citations.metadata import highwire_tags, json_ld_script, meeting_json_ld, paper_json_ld
from papers.models import Paper
from tests.factories.papers import AuthorshipFactory, PaperFactory
from tests.factories.people import InstitutionFactory, PersonFactory

BASE = "https://archive.example.org"


def absolute(path):
    return BASE + path


@pytest.fixture
def presented_paper(demo_data):
    return Paper.objects.with_details().get(
        slug="sustainability-and-co-creation-in-public-sector-organisations"
    )


@pytest.fixture
def article(demo_data):
    return Paper.objects.with_details().get(slug="edelmann-2023-impact-sustainability-co-creation")


def test_highwire_tags_list_each_author_followed_by_their_institution(presented_paper):
    tags = highwire_tags(presented_paper, page_url=BASE + "/papers/x/")
    authors = [(name, value) for name, value in tags if name.startswith("citation_author")]
    assert authors == [
        ("citation_author", "Edelmann, Noella"),
        ("citation_author_institution", "University for Continuing Education Krems"),
        ("citation_author", "Steen, Trui"),
        ("citation_author_institution", "KU Leuven"),
        ("citation_author", "van Dijk, Charlotte"),
        ("citation_author_institution", "KU Leuven"),
    ]
    assert dict(tags)["citation_conference_title"] == (
        "10th open meeting of the IIAS Study Group on ‘Coproduction of Public Services’"
    )
    assert dict(tags)["citation_publication_date"] == "2023/05/11"
    assert dict(tags)["citation_abstract_html_url"] == BASE + "/papers/x/"


def test_highwire_tags_of_a_journal_article(article):
    tags = dict(highwire_tags(article, page_url=BASE + "/papers/a/"))
    assert tags["citation_journal_title"] == "Administrative Sciences"
    assert (tags["citation_volume"], tags["citation_issue"], tags["citation_firstpage"]) == (
        "13",
        "2",
        "43",
    )
    assert tags["citation_doi"] == "10.3390/admsci13020043"
    assert tags["citation_publication_date"] == "2023/02/05"
    assert "citation_conference_title" not in tags


def test_talk_json_ld_is_a_creative_work_recorded_at_its_event(presented_paper):
    data = paper_json_ld(presented_paper, absolute=absolute)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "CreativeWork"
    assert data["genre"] == "Paper presentation"
    assert [author["name"] for author in data["author"]] == [
        "Noella Edelmann",
        "Trui Steen",
        "Charlotte van Dijk",
    ]
    klu = data["author"][1]["affiliation"]
    assert klu == {
        "@type": "Organization",
        "name": "KU Leuven",
        "@id": "https://ror.org/05f950310",
        "alternateName": "KLU",
        "url": BASE + "/institutions/klu/",
        "sameAs": ["https://ror.org/05f950310", "https://www.kuleuven.be/"],
    }
    assert data["recordedAt"]["@type"] == "Event"
    assert data["recordedAt"]["startDate"] == "2023-05-11"
    assert data["citation"][0]["sameAs"] == "https://doi.org/10.3390/admsci13020043"
    assert data["funding"] == [
        {
            "@type": "Grant",
            "name": (
                "Inclusive Governance Models and ICT Tools for Integrated Public Service "
                "Co-Creation and Provision"
            ),
            "identifier": "962563",
            "funder": {"@type": "Organization", "name": "European Union"},
            "url": "https://ingov-project.eu/",
        }
    ]


def test_article_json_ld_nests_issue_volume_and_journal(article):
    data = paper_json_ld(article, absolute=absolute)
    assert data["@type"] == "ScholarlyArticle"
    assert data["isPartOf"] == {
        "@type": "PublicationIssue",
        "issueNumber": "2",
        "isPartOf": {
            "@type": "PublicationVolume",
            "volumeNumber": "13",
            "isPartOf": {"@type": "Periodical", "name": "Administrative Sciences"},
        },
    }
    assert data["identifier"]["value"] == "10.3390/admsci13020043"
    assert data["datePublished"] == "2023-02-05"


def test_meeting_json_ld_is_an_event_in_its_series(demo_data):
    meeting = Meeting.objects.with_programme().get()
    data = meeting_json_ld(meeting, absolute=absolute)
    assert data["@type"] == "Event"
    assert (data["startDate"], data["endDate"]) == ("2023-05-11", "2023-05-12")
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Nijmegen",
        "addressCountry": "NL",
    }
    assert data["superEvent"]["@type"] == "EventSeries"
    assert data["superEvent"]["organizer"]["name"] == (
        "International Institute of Administrative Sciences"
    )
    assert len(data["about"]) == 5
    assert [grant.get("identifier") for grant in data["funding"]] == ["962563", None]
    assert [o["name"] for o in data["organizer"]][1:3] == ["Trui Steen", "Tina Nabatchi"]


def test_json_ld_script_cannot_be_closed_by_user_text():
    html = json_ld_script({"name": "</script><script>alert(1)</script>"})
    body = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', html, re.S).group(1)
    assert "</script>" not in body
    assert json.loads(body)["name"] == "</script><script>alert(1)</script>"


@pytest.fixture
def leuven(db):
    return InstitutionFactory(name="KU Leuven", short_name="KLU", city="Leuven")


def _work(leuven, **fields):
    paper = PaperFactory(**fields)
    AuthorshipFactory(
        paper=paper,
        person=PersonFactory(given_name="Trui", family_name="Steen"),
        affiliation=leuven,
        position=1,
    )
    return Paper.objects.with_details().get(pk=paper.pk)


def test_book_metadata(leuven):
    book = _work(leuven, kind=Paper.Kind.BOOK, title="Coproduction", publisher="Routledge")

    data = paper_json_ld(book, absolute=absolute)
    assert (data["@type"], data["publisher"], data["datePublished"]) == (
        "Book",
        {"@type": "Organization", "name": "Routledge"},
        "2023",
    )
    assert highwire_tags(book, page_url=BASE) == [
        ("citation_title", "Coproduction"),
        ("citation_author", "Steen, Trui"),
        ("citation_author_institution", "KU Leuven"),
        ("citation_publication_date", "2023"),
        ("citation_publisher", "Routledge"),
        ("citation_abstract_html_url", BASE),
    ]


def test_chapter_metadata_is_part_of_its_book(leuven):
    chapter = _work(
        leuven,
        kind=Paper.Kind.CHAPTER,
        title="Co-creation in practice",
        journal="Co-Production and Co-Creation",
        publisher="Routledge",
        pages="45–67",
    )

    data = paper_json_ld(chapter, absolute=absolute)
    assert data["@type"] == "Chapter"
    assert data["isPartOf"] == {
        "@type": "Book",
        "name": "Co-Production and Co-Creation",
        "publisher": {"@type": "Organization", "name": "Routledge"},
    }
    assert (data["pageStart"], data["pageEnd"]) == ("45", "67")
    tags = dict(highwire_tags(chapter, page_url=BASE))
    assert tags["citation_inbook_title"] == "Co-Production and Co-Creation"
    assert (tags["citation_firstpage"], tags["citation_lastpage"]) == ("45", "67")
    assert "citation_journal_title" not in tags


def test_report_metadata_names_the_institution_as_scholar_asks(leuven):
    report = _work(
        leuven, kind=Paper.Kind.REPORT, title="Digital Government Review", publisher="OECD"
    )

    assert paper_json_ld(report, absolute=absolute)["@type"] == "Report"
    tags = highwire_tags(report, page_url=BASE)
    assert ("citation_technical_report_institution", "OECD") in tags
    assert "citation_publisher" not in dict(tags)
