"""BibTeX as LaTeX users' tools read it: biber's validator and biblatex-apa's typesetting."""

import re

import pytest
from django.core.management import call_command

from papers.citations import format_reference, to_bibtex
from papers.citations.bibtex import citation_key
from papers.citations.csl import papers_to_csl
from papers.citations.formats import write_bibtex
from papers.models import Paper
from people.models import Institution
from tests.papers.latex import typeset_with_biblatex_apa, validate_with_biber

ARTICLE = {
    "id": "the-impact-of-sustainability",
    "type": "article-journal",
    "title": "The Impact of Sustainability on Co-Creation of Digital Public Services",
    "author": [{"family": "Edelmann", "given": "Noella"}, {"family": "Virkar", "given": "Shefali"}],
    "container-title": "Administrative Sciences",
    "volume": "13",
    "issue": "2",
    "page": "43",
    "publisher": "MDPI",
    "issued": {"date-parts": [[2023, 2, 5]]},
    "DOI": "10.3390/admsci13020043",
}
TALK = {
    "id": "sustainability-and-co-creation",
    "type": "speech",
    "title": (
        "Sustainability and Co-creation in Public Sector Organisations: "
        "Practices, Outcomes, and Lessons Learned"
    ),
    "author": [
        {"family": "Edelmann", "given": "Noella"},
        {"family": "Steen", "given": "Trui"},
        {"family": "Dijk", "given": "Charlotte", "non-dropping-particle": "van"},
    ],
    "genre": "Paper presentation",
    "event-title": "10th open meeting of the IIAS Study Group on Coproduction of Public Services",
    "event": "10th open meeting of the IIAS Study Group on Coproduction of Public Services",
    "event-place": "Nijmegen, The Netherlands",
    "publisher-place": "Nijmegen, The Netherlands",
    "issued": {"date-parts": [[2023, 5, 11], [2023, 5, 12]]},
}
PROCEEDINGS_PAPER = {
    "id": "co-creation-platforms",
    "type": "paper-conference",
    "title": "Co-creation platforms in Ålesund and Tromsø",
    "author": [{"family": "Steen", "given": "Trui"}],
    "editor": [{"family": "Brandsen", "given": "Taco"}],
    "container-title": "Proceedings of the IIAS Conference 2022",
    "page": "12-20",
    "publisher": "IIAS",
    "publisher-place": "Brussels",
    "event-title": "IIAS Conference 2022",
    "event-place": "Tromsø, Norway",
    "event-date": {"date-parts": [[2022, 6, 1], [2022, 6, 3]]},
    "issued": {"date-parts": [[2022]]},
}
BOOK = {
    "id": "public-service-co-production",
    "type": "book",
    "title": "Public Service Co-Production in São Paulo",
    "author": [{"family": "Müller-Lüdenscheidt", "given": "Hans"}],
    "publisher": "Routledge",
    "issued": {"date-parts": [[2020]]},
}
CHAPTER = {
    "id": "co-creation-in-practice",
    "type": "chapter",
    "title": "Co-creation in practice",
    "author": [{"family": "Ñúñez", "given": "José"}],
    "editor": [{"family": "Steen", "given": "Trui"}, {"family": "Brandsen", "given": "Taco"}],
    "container-title": "Co-Production and Co-Creation",
    "publisher": "Routledge",
    "page": "45-67",
    "issued": {"date-parts": [[2018]]},
}
REPORT = {
    "id": "digital-government-review",
    "type": "report",
    "title": "Digital Government Review of Belgium",
    "author": [{"literal": "OECD"}],
    "publisher": "OECD Publishing",
    "number": "42",
    "genre": "Working paper",
    "issued": {"date-parts": [[2021, 6]]},
    "URL": "https://example.org/report?a=1&b=2",
}
THESIS = {
    "id": "coproduction-in-flemish-municipalities",
    "type": "thesis",
    "title": "Coproduction in Flemish municipalities",
    "author": [{"family": "Hoevens", "given": "Noortje"}],
    "genre": "Doctoral dissertation",
    "publisher": "KU Leuven",
    "issued": {"date-parts": [[2019]]},
}
ALL_TYPES = [ARTICLE, TALK, PROCEEDINGS_PAPER, BOOK, CHAPTER, REPORT, THESIS]
KNOWN = {"Ålesund", "Tromsø", "Norway", "São Paulo", "Belgium", "Flemish", "KU Leuven", "IIAS"}


def test_to_bibtex_article_has_journaltitle_and_no_publisher():
    assert to_bibtex([ARTICLE]) == (
        "@article{edelmann2023impact-cad0,\n"
        "  author = {Edelmann, Noella and Virkar, Shefali},\n"
        "  title = {The Impact of Sustainability on Co-Creation of Digital Public Services},\n"
        "  journaltitle = {Administrative Sciences},\n"
        "  date = {2023-02-05},\n"
        "  volume = {13},\n"
        "  number = {2},\n"
        "  pages = {43},\n"
        "  doi = {10.3390/admsci13020043}\n"
        "}\n"
    )


def test_to_bibtex_talk_is_a_biblatex_apa_presentation_dated_by_its_event():
    assert to_bibtex([TALK], proper_nouns=KNOWN) == (
        "@presentation{edelmann2023sustainabili-9bia,\n"
        "  author = {Edelmann, Noella and Steen, Trui and van Dijk, Charlotte},\n"
        f"  title = {{{TALK['title']}}},\n"
        "  titleaddon = {Paper presentation},\n"
        "  eventtitle = {10th open meeting of the {IIAS} Study Group on Coproduction of Public"
        " Services},\n"
        "  venue = {Nijmegen, The Netherlands},\n"
        "  date = {2023-05-11/2023-05-12}\n"
        "}\n"
    )


def test_to_bibtex_proceedings_paper_has_booktitle_event_and_editors():
    bibtex = to_bibtex([PROCEEDINGS_PAPER], proper_nouns=KNOWN)

    assert bibtex == (
        "@inproceedings{steen2022co-wqg8,\n"
        "  author = {Steen, Trui},\n"
        "  editor = {Brandsen, Taco},\n"
        "  title = {Co-creation platforms in {Ålesund} and {Tromsø}},\n"
        "  booktitle = {Proceedings of the {IIAS} Conference 2022},\n"
        "  eventtitle = {{IIAS} Conference 2022},\n"
        "  venue = {Tromsø, Norway},\n"
        "  eventdate = {2022-06-01/2022-06-03},\n"
        "  date = {2022},\n"
        "  pages = {12--20},\n"
        "  publisher = {IIAS},\n"
        "  location = {Brussels}\n"
        "}\n"
    )


def test_to_bibtex_book_chapter_report_thesis_types():
    bibtex = to_bibtex([BOOK, CHAPTER, REPORT, THESIS, {**CHAPTER, "editor": []}])

    assert re.findall(r"^@(\w+)\{", bibtex, re.M) == [
        "book",
        "incollection",
        "report",
        "thesis",
        "inbook",  # a chapter without editors: biblatex's @incollection requires them
    ]
    assert "  editor = {Steen, Trui and Brandsen, Taco},\n" in bibtex
    assert "  author = {{OECD}},\n" in bibtex
    assert "  type = {Working paper},\n  institution = {OECD Publishing},\n" in bibtex
    assert "  type = {Doctoral dissertation},\n  institution = {KU Leuven}\n" in bibtex
    assert "  url = {https://example.org/report?a=1&b=2}\n" in bibtex


def test_to_bibtex_escapes_every_latex_special():
    item = {**ARTICLE, "title": "Costs {of} R&D: 50% $5 #1 a_b ~x ^y \\z"}

    assert (
        r"  title = {Costs \textbraceleft{}of\textbraceright{} {R\&D:} 50\% \$5 \#1 a\_b "
        r"\textasciitilde{}x \textasciicircum{}y \textbackslash{}z},"
    ) in to_bibtex([item])


def test_to_bibtex_braces_acronyms_twice_when_they_start_with_a_command():
    item = {**ARTICLE, "title": "COVID-19, eBay and a {$1M} grant in the IIAS ‘Coproduction’"}

    assert (
        r"  title = {{COVID-19,} {eBay} and a {{\textbraceleft{}\$1M\textbraceright{}}} grant"
        r" in the {IIAS} ‘Coproduction’},"
    ) in to_bibtex([item])


def test_to_bibtex_braces_the_proper_nouns_it_is_given():
    item = {**ARTICLE, "title": "Coproduction in Ålesund and Tromsø, from São Paulo to KU Leuven"}

    assert (
        "  title = {Coproduction in {Ålesund} and {Tromsø,} from {São Paulo} to {KU Leuven}},"
        in to_bibtex([item], proper_nouns=KNOWN)
    )


def test_export_braces_the_institutions_and_places_the_archive_knows(db):
    Institution.objects.create(name="Universidade de São Paulo", city="São Paulo")
    item = {
        **ARTICLE,
        "title": "Budgets in São Paulo and Belgium, seen from Universidade de São Paulo",
    }

    assert (
        "  title = {Budgets in {São Paulo} and {Belgium,} seen from {Universidade de São Paulo}},"
    ) in write_bibtex([item])


def test_citation_key_is_at_most_40_ascii_characters_for_any_script():
    item = {
        "id": "kyodo-seisan",
        "type": "book",
        "author": [{"family": "山田", "given": "太郎"}],
        "title": "公共サービスの共同生産に関する比較研究と地方自治体の事例分析",
        "issued": {"date-parts": [[2021]]},
    }

    key = citation_key(item)

    assert re.fullmatch(r"[a-z0-9-]{1,40}", key), key
    assert key.startswith("shantian2021")


def test_biblatex_apa_typesets_each_work_type_as_apa_asks(tmp_path):
    references = typeset_with_biblatex_apa(to_bibtex(ALL_TYPES, proper_nouns=KNOWN), tmp_path)

    # Sorted by author as APA sorts; italics are lost in the PDF's text.
    assert references == [
        "Edelmann, N., Steen, T., & van Dijk, C. (2023, May 11–12). Sustainability and"
        " co-creation in public sector organisations: Practices, outcomes, and lessons learned"
        " [Paper presentation]. 10th open meeting of the IIAS Study Group on Coproduction of"
        " Public Services, Nijmegen, The Netherlands.",
        "Edelmann, N., & Virkar, S. (2023). The impact of sustainability on co-creation of"
        " digital public services. Administrative Sciences, 13(2), 43."
        " https://doi.org/10.3390/admsci13020043",
        "Hoevens, N. (2019). Coproduction in Flemish municipalities [Doctoral dissertation]."
        " KU Leuven.",
        "Müller-Lüdenscheidt, H. (2020). Public service co-production in São Paulo. Routledge.",
        "Ñúñez, J. (2018). Co-creation in practice. In T. Steen & T. Brandsen (Eds.),"
        " Co-production and co-creation (pp. 45–67). Routledge.",
        "OECD. (2021). Digital government review of Belgium (Working paper No. 42). OECD"
        " Publishing. https://example.org/report?a=1&b=2",
        "Steen, T. (2022). Co-creation platforms in Ålesund and Tromsø. In T. Brandsen (Ed.),"
        " Proceedings of the IIAS conference 2022 (pp. 12–20). IIAS.",
    ]


@pytest.mark.parametrize(
    "item",
    [
        pytest.param(ARTICLE, id="article-journal"),
        pytest.param(TALK, id="speech"),
        pytest.param(PROCEEDINGS_PAPER, id="paper-conference"),
        pytest.param(BOOK, id="book"),
        pytest.param(CHAPTER, id="chapter"),
        pytest.param(
            REPORT,
            id="report",
            # Accepted: CSL's APA title-cases a report's genre, “(Working Paper No. 42)”, as
            # APA 7's examples do (§10.4, “(Issue Brief No. 6)”); biblatex-apa prints the
            # genre as recorded, “Working paper”. Strict, so it is seen if either changes.
            marks=pytest.mark.xfail(strict=True, reason="CSL's APA title-cases the genre"),
        ),
        pytest.param(THESIS, id="thesis"),
    ],
)
def test_biblatex_apa_prints_what_the_page_shows(item, tmp_path):
    """The page's APA reference, except titles: the page prints them as recorded (CSL's APA
    style cannot sentence-case), biblatex-apa sentence-cases them (APA 7 §6.17), which the
    test above checks; here biblatex-apa's ``apacase`` switch keeps them as written."""
    (reference,) = typeset_with_biblatex_apa(to_bibtex([item]), tmp_path, sentence_case=False)

    assert reference == format_reference(item, "apa")


@pytest.fixture
def archive(demo_data):
    """The demo and a generated archive of about a thousand works, as one export."""
    call_command("generate_sample_data", "--append", "--scale", "0.05", verbosity=0)
    return papers_to_csl(Paper.objects.with_citation_data())


def test_biber_validates_every_work_type(tmp_path):
    chapter_without_editors = {**CHAPTER, "id": "no-editors", "editor": []}
    bibtex = to_bibtex([*ALL_TYPES, chapter_without_editors], proper_nouns=KNOWN)

    assert validate_with_biber(bibtex, tmp_path) == []


def test_biber_validates_the_whole_archive_export(archive, tmp_path):
    assert len(archive) > 1000
    assert validate_with_biber(write_bibtex(archive), tmp_path) == []


def test_citation_keys_are_unique_short_ascii_and_stable_across_the_archive(archive):
    keys = [citation_key(item) for item in archive]

    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[a-z0-9-]{1,40}", key) for key in keys)
    # A work keeps its key whatever else is exported with it.
    alone = [re.match(r"@\w+\{([^,]+),", to_bibtex([item])).group(1) for item in archive[:50]]
    assert alone == keys[:50]
