import pytest

from papers.citations import to_bibtex, to_ris
from papers.citations.dates import page_range


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("12-34", ("12", "34")),
        ("12–34", ("12", "34")),
        ("12 -- 34", ("12", "34")),
        (" 12 — 34 ", ("12", "34")),
        ("43", ("43", None)),
        ("e1021", ("e1021", None)),
    ],
)
def test_page_range_reads_every_dash_the_same(page, expected):
    assert page_range(page) == expected


def test_bibtex_and_ris_agree_on_an_en_dash_range():
    item = {"id": "a", "type": "article-journal", "title": "T", "page": "12–34"}

    assert "pages = {12--34}" in to_bibtex([item])
    assert "SP  - 12\r\nEP  - 34\r\n" in to_ris([item])
