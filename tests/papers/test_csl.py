"""The demo works as CSL-JSON, and the references every other format derives from."""

import pytest

from papers.citations import format_reference, parse_bibtex, parse_ris, to_bibtex, to_ris
from papers.citations.csl import csl_name, paper_to_csl, printed_csl_name
from papers.models import Paper
from people.models import Person

ARTICLE_SLUG = "edelmann-2023-impact-sustainability-co-creation"
PAPER_SLUG = "sustainability-and-co-creation-in-public-sector-organisations"


@pytest.fixture
def article(demo_data):
    return Paper.objects.with_citation_data().get(slug=ARTICLE_SLUG)


@pytest.fixture
def presented_paper(demo_data):
    return Paper.objects.with_citation_data().get(slug=PAPER_SLUG)


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        ("van Dijk", {"family": "Dijk", "given": "C", "non-dropping-particle": "van"}),
        ("van der Berg", {"family": "Berg", "given": "C", "non-dropping-particle": "van der"}),
        ("Steen", {"family": "Steen", "given": "C"}),
        ("Van Dijk", {"family": "Van Dijk", "given": "C"}),
    ],
)
def test_csl_name_keeps_particles_apart(family, expected):
    assert csl_name(Person(given_name="C", family_name=family)) == expected


def test_journal_article_maps_to_article_journal(article):
    assert paper_to_csl(article) == {
        "id": ARTICLE_SLUG,
        "type": "article-journal",
        "title": "The Impact of Sustainability on Co-Creation of Digital Public Services",
        "author": [
            {"family": "Edelmann", "given": "Noella"},
            {"family": "Virkar", "given": "Shefali"},
        ],
        "issued": {"date-parts": [[2023, 2, 5]]},
        "container-title": "Administrative Sciences",
        "volume": "13",
        "issue": "2",
        "page": "43",
        "publisher": "MDPI",
        "DOI": "10.3390/admsci13020043",
        "URL": "https://www.mdpi.com/2076-3387/13/2/43",
        "keyword": (
            "Digital co-production, The conditions for sustaining and scaling up co-creation "
            "and co-production initiatives"
        ),
    }


def test_seed_reference_comes_out_as_the_report_prints_it(article):
    assert format_reference(paper_to_csl(article)) == (
        "Edelmann, N., & Virkar, S. (2023). The Impact of Sustainability on Co-Creation of "
        "Digital Public Services. Administrative Sciences, 13(2), 43. "
        "https://doi.org/10.3390/admsci13020043"
    )


def test_presented_paper_maps_to_a_speech_dated_by_its_meeting(presented_paper):
    item = paper_to_csl(presented_paper)
    assert item["type"] == "speech"
    assert item["genre"] == "Paper presentation"
    title = "10th open meeting of the IIAS Study Group on ‘Coproduction of Public Services’"
    assert (item["event-title"], item["event"]) == (title, title)
    assert item["event-place"] == "Nijmegen, Netherlands"
    assert "event-date" not in item  # issued is the event's dates: one date, as in Zotero
    assert item["issued"] == {"date-parts": [[2023, 5, 11], [2023, 5, 12]]}
    assert item["author"][2] == {
        "family": "Dijk",
        "given": "Charlotte",
        "non-dropping-particle": "van",
    }


def test_presented_paper_apa_reference(presented_paper):
    assert format_reference(paper_to_csl(presented_paper)) == (
        "Edelmann, N., Steen, T., & van Dijk, C. (2023, May 11–12). Sustainability and "
        "Co-creation in Public Sector Organisations: Practices, Outcomes, and Lessons Learned "
        "[Paper presentation]. 10th open meeting of the IIAS Study Group on ‘Coproduction of "
        "Public Services,’ Nijmegen, Netherlands."
    )


def test_demo_exports_parse_back_to_the_same_works(article, presented_paper):
    items = [paper_to_csl(article), paper_to_csl(presented_paper)]
    for parsed in (parse_bibtex(to_bibtex(items)), parse_ris(to_ris(items))):
        assert parsed.errors == []
        assert [item["title"] for item in parsed.items] == [item["title"] for item in items]
        assert [
            [(name["family"], name.get("non-dropping-particle")) for name in item["author"]]
            for item in parsed.items
        ] == [
            [(name["family"], name.get("non-dropping-particle")) for name in item["author"]]
            for item in items
        ]


@pytest.mark.parametrize(
    ("printed", "family", "expected"),
    [
        ("T. Steen", "Steen", {"family": "Steen", "given": "T."}),
        ("Steen, T.", "Steen", {"family": "Steen", "given": "T."}),
        (
            "C. van Dijk",
            "van Dijk",
            {"family": "Dijk", "given": "C.", "non-dropping-particle": "van"},
        ),
        ("Trui Stone", "Steen", {"literal": "Trui Stone"}),
    ],
)
def test_printed_name_is_cited_as_printed(printed, family, expected):
    person = Person(given_name="Trui", family_name=family)
    assert printed_csl_name(printed, person) == expected
