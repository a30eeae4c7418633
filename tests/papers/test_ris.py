"""RIS as Zotero's RIS translator (zotero/translators RIS.js) reads it, tag by tag."""

from papers.citations import parse_ris, to_ris
from tests.papers.test_bibtex import ARTICLE, BOOK, PROCEEDINGS_PAPER, REPORT, TALK, THESIS


def _lines(item):
    return to_ris([item]).split("\r\n")


def test_to_ris_article_is_exact_with_crlf():
    assert to_ris([ARTICLE]) == (
        "TY  - JOUR\r\n"
        "AU  - Edelmann, Noella\r\n"
        "AU  - Virkar, Shefali\r\n"
        f"TI  - {ARTICLE['title']}\r\n"
        "T2  - Administrative Sciences\r\n"
        "PY  - 2023\r\n"
        "DA  - 2023/02/05/\r\n"
        "VL  - 13\r\n"
        "IS  - 2\r\n"
        "SP  - 43\r\n"
        "PB  - MDPI\r\n"
        "DO  - 10.3390/admsci13020043\r\n"
        "ER  - \r\n"
    )


def test_to_ris_talk_is_a_zotero_presentation_dated_by_its_event():
    assert to_ris([TALK]) == (
        "TY  - SLIDE\r\n"
        "AU  - Edelmann, Noella\r\n"
        "AU  - Steen, Trui\r\n"
        "AU  - van Dijk, Charlotte\r\n"
        f"TI  - {TALK['title']}\r\n"
        f"T2  - {TALK['event-title']}\r\n"
        "CY  - Nijmegen, The Netherlands\r\n"
        "PY  - 2023\r\n"
        "DA  - 2023/05/11/\r\n"
        "M3  - Paper presentation\r\n"
        "ER  - \r\n"
    )


def test_to_ris_proceedings_paper_has_conference_proceedings_and_place_and_no_m3():
    assert to_ris([{**PROCEEDINGS_PAPER, "genre": "Paper presentation"}]) == (
        "TY  - CONF\r\n"
        "AU  - Steen, Trui\r\n"
        "A2  - Brandsen, Taco\r\n"
        f"TI  - {PROCEEDINGS_PAPER['title']}\r\n"
        "T2  - IIAS Conference 2022\r\n"
        "C3  - Proceedings of the IIAS Conference 2022\r\n"
        "C1  - Tromsø, Norway\r\n"
        "PY  - 2022\r\n"
        "DA  - 2022///\r\n"
        "SP  - 12\r\n"
        "EP  - 20\r\n"
        "PB  - IIAS\r\n"
        "ER  - \r\n"
    )


def test_to_ris_report_thesis_and_edited_book_use_zoteros_tags():
    assert "SN  - 42" in _lines(REPORT)
    assert "M3  - Working paper" in _lines(REPORT)
    assert "DA  - 2021/06//" in _lines(REPORT)
    assert [line for line in _lines(THESIS) if line[:2] in ("TY", "M3", "PB")] == [
        "TY  - THES",
        "PB  - KU Leuven",
        "M3  - Doctoral dissertation",
    ]
    edited = {**BOOK, "author": [], "editor": [{"family": "Steen", "given": "Trui"}]}
    assert "A3  - Steen, Trui" in _lines(edited)  # A2 is a book's series editor in Zotero


def test_parse_ris_reads_back_what_to_ris_writes():
    talk, paper, report = parse_ris(to_ris([TALK, PROCEEDINGS_PAPER, REPORT])).items

    assert (talk["type"], talk["event-title"], talk["event-place"], talk["genre"]) == (
        "speech",
        TALK["event-title"],
        "Nijmegen, The Netherlands",
        "Paper presentation",
    )
    assert talk["issued"] == {"date-parts": [[2023, 5, 11]]}
    assert (paper["container-title"], paper["event-title"], paper["event-place"]) == (
        "Proceedings of the IIAS Conference 2022",
        "IIAS Conference 2022",
        "Tromsø, Norway",
    )
    assert paper["editor"] == [{"family": "Brandsen", "given": "Taco"}]
    assert (report["number"], report["genre"]) == ("42", "Working paper")
