import json

import pytest

from conference.core.cache_backends import CacheUnavailable
from papers.citations import (
    STYLES,
    UnknownStyleError,
    available_styles,
    format_bibliography,
    format_reference,
    parse_bibtex,
    parse_csl_json,
    parse_ris,
    styles,
    to_bibtex,
    to_csl_json,
    to_ris,
)

DOI = "10.3390/admsci13020043"

ARTICLE = {
    "id": "edelmann2023impact",
    "type": "article-journal",
    "title": "The Impact of Sustainability on Co-Creation of Digital Public Services",
    "author": [{"family": "Edelmann", "given": "Noella"}, {"family": "Virkar", "given": "Shefali"}],
    "container-title": "Administrative Sciences",
    "volume": "13",
    "issue": "2",
    "page": "43",
    "issued": {"date-parts": [[2023, 2, 5]]},
}
ARTICLE_WITH_DOI = {**ARTICLE, "DOI": DOI}

# A talk as papers.citations.csl exports it (tests/papers/test_csl.py pins that mapping).
PRESENTATION = {
    "id": "edelmann2023sustainability",
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
    "event-title": "10th open meeting of the IIAS Study Group on Coproduction of Public Services",
    "event": "10th open meeting of the IIAS Study Group on Coproduction of Public Services",
    "event-place": "Nijmegen, The Netherlands",
    "publisher-place": "Nijmegen, The Netherlands",
    "issued": {"date-parts": [[2023, 5, 11], [2023, 5, 12]]},
    "genre": "Paper presentation",
}

BOOK = {
    "id": "book",
    "type": "book",
    "title": "Public Service Co-Production",
    "author": [{"family": "Müller-Lüdenscheidt", "given": "Hans"}],
    "publisher": "Routledge",
    "publisher-place": "London",
    "issued": {"date-parts": [[2020]]},
}

CHAPTER = {
    "id": "chapter",
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
    "id": "report",
    "type": "report",
    "title": "Digital Government Review",
    "author": [{"literal": "OECD"}],
    "publisher": "OECD Publishing",
    "publisher-place": "Paris",
    "number": "42",
    "genre": "Working paper",
    "issued": {"date-parts": [[2021, 6]]},
    "URL": "https://example.org/report?a=1&b=2",
}

PRESENTATION_TITLE = PRESENTATION["title"]
EVENT = PRESENTATION["event-title"]
ARTICLE_TITLE = ARTICLE["title"]


def test_format_reference_apa_article_is_exact():
    assert format_reference(ARTICLE) == (
        "Edelmann, N., & Virkar, S. (2023). The Impact of Sustainability on Co-Creation of "
        "Digital Public Services. Administrative Sciences, 13(2), 43."
    )


def test_format_reference_apa_article_ends_with_doi_url():
    assert format_reference(ARTICLE_WITH_DOI, "apa").endswith(
        " 13(2), 43. https://doi.org/10.3390/admsci13020043"
    )


def test_format_reference_apa_presentation_follows_apa7_manual():
    assert format_reference(PRESENTATION, "apa") == (
        f"Edelmann, N., Steen, T., & van Dijk, C. (2023, May 11–12). {PRESENTATION_TITLE} "
        f"[Paper presentation]. {EVENT}, Nijmegen, The Netherlands."
    )


# citeproc-js's output, each checked against its style guide: APA 7 §10.5 (talks: date range,
# "[Paper presentation]", event and place), Chicago 17 §15.32 (title case "Co-Creation"),
# Cite Them Right (conference paper: event, place and dates), IEEE (presented at …, dates).
PRESENTATION_TITLE_CHICAGO = PRESENTATION_TITLE.replace("Co-creation", "Co-Creation")
DOI_LINK = f'<a href="https://doi.org/{DOI}">https://doi.org/{DOI}</a>'
STYLE_OUTPUTS = [
    (
        "apa",
        ARTICLE_WITH_DOI,
        f"Edelmann, N., & Virkar, S. (2023). {ARTICLE_TITLE}. Administrative Sciences, "
        f"13(2), 43. https://doi.org/{DOI}",
        f'<div class="csl-entry">Edelmann, N., &#38; Virkar, S. (2023). {ARTICLE_TITLE}. '
        f"<i>Administrative Sciences</i>, <i>13</i>(2), 43. {DOI_LINK}</div>",
    ),
    (
        "apa",
        PRESENTATION,
        f"Edelmann, N., Steen, T., & van Dijk, C. (2023, May 11–12). {PRESENTATION_TITLE} "
        f"[Paper presentation]. {EVENT}, Nijmegen, The Netherlands.",
        f'<div class="csl-entry">Edelmann, N., Steen, T., &#38; van Dijk, C. (2023, May 11–12). '
        f"<i>{PRESENTATION_TITLE}</i> [Paper presentation]. {EVENT}, Nijmegen, The "
        "Netherlands.</div>",
    ),
    (
        "chicago-author-date",
        ARTICLE_WITH_DOI,
        f"Edelmann, Noella, and Shefali Virkar. 2023. “{ARTICLE_TITLE}.” Administrative "
        f"Sciences 13 (2): 43. https://doi.org/{DOI}.",
        f'<div class="csl-entry">Edelmann, Noella, and Shefali Virkar. 2023. “{ARTICLE_TITLE}.” '
        f"<i>Administrative Sciences</i> 13 (2): 43. {DOI_LINK}.</div>",
    ),
    (
        "chicago-author-date",
        PRESENTATION,
        f"Edelmann, Noella, Trui Steen, and Charlotte van Dijk. 2023. "
        f"“{PRESENTATION_TITLE_CHICAGO}.” Paper presentation. {EVENT}, Nijmegen, The "
        "Netherlands, May 11–12.",
        f'<div class="csl-entry">Edelmann, Noella, Trui Steen, and Charlotte van Dijk. 2023. '
        f"“{PRESENTATION_TITLE_CHICAGO}.” Paper presentation. {EVENT}, Nijmegen, The "
        "Netherlands, May 11–12.</div>",
    ),
    (
        "harvard",
        ARTICLE_WITH_DOI,
        f"Edelmann, N. and Virkar, S. (2023) ‘{ARTICLE_TITLE}’, Administrative Sciences, 13(2), "
        f"p. 43. Available at: https://doi.org/{DOI}.",
        f'<div class="csl-entry">Edelmann, N. and Virkar, S. (2023) ‘{ARTICLE_TITLE}’, '
        f"<i>Administrative Sciences</i>, 13(2), p. 43. Available at: {DOI_LINK}.</div>",
    ),
    (
        "harvard",
        PRESENTATION,
        f"Edelmann, N., Steen, T. and van Dijk, C. (2023) ‘{PRESENTATION_TITLE}’. {EVENT}, "
        "Nijmegen, The Netherlands, 11–12 May.",
        f'<div class="csl-entry">Edelmann, N., Steen, T. and van Dijk, C. (2023) '
        f"‘{PRESENTATION_TITLE}’. <i>{EVENT}</i>, Nijmegen, The Netherlands, 11–12 May.</div>",
    ),
    (
        "ieee",
        ARTICLE_WITH_DOI,
        f"[1] N. Edelmann and S. Virkar, “{ARTICLE_TITLE},” Administrative Sciences, vol. 13, "
        f"no. 2, p. 43, Feb. 2023, doi: {DOI}.",
        '<div class="csl-entry">\n    <div class="csl-left-margin">[1]</div>'
        f'<div class="csl-right-inline">N. Edelmann and S. Virkar, “{ARTICLE_TITLE},” '
        f"<i>Administrative Sciences</i>, vol. 13, no. 2, p. 43, Feb. 2023, doi: "
        f'<a href="https://doi.org/{DOI}">{DOI}</a>.</div>\n  </div>',
    ),
    (
        "ieee",
        PRESENTATION,
        f"[1] N. Edelmann, T. Steen, and C. van Dijk, “{PRESENTATION_TITLE},” presented at the "
        f"{EVENT}, Nijmegen, The Netherlands, May 11–12, 2023.",
        '<div class="csl-entry">\n    <div class="csl-left-margin">[1]</div>'
        f'<div class="csl-right-inline">N. Edelmann, T. Steen, and C. van Dijk, '
        f"“{PRESENTATION_TITLE},” presented at the {EVENT}, Nijmegen, The Netherlands, "
        "May 11–12, 2023.</div>\n  </div>",
    ),
]


@pytest.mark.parametrize(("style", "item", "plain", "html"), STYLE_OUTPUTS)
def test_format_reference_house_styles_are_pinned(style, item, plain, html):
    assert format_reference(item, style) == plain
    assert format_reference(item, style, html=True) == html


def test_format_reference_house_styles_are_all_pinned():
    assert {style for style, *_ in STYLE_OUTPUTS} == set(STYLES)


def test_format_reference_html_escapes_item_text():
    item = {**ARTICLE, "title": "Fish & <b>Chips</b>", "URL": "https://example.org/?a=1&b=2"}

    # CSL-JSON's rich text (<b>, <i>, <sup>, <sub>, nocase and small-caps spans) is
    # formatting; everything else is escaped text.
    assert format_reference(item, "apa", html=True) == (
        '<div class="csl-entry">Edelmann, N., &#38; Virkar, S. (2023). Fish &#38; <b>Chips</b>. '
        "<i>Administrative Sciences</i>, <i>13</i>(2), 43. "
        '<a href="https://example.org/?a=1&#38;b=2">https://example.org/?a=1&#38;b=2</a></div>'
    )


def test_format_reference_any_installed_style_name_is_accepted():
    assert "nature" in available_styles()
    assert format_reference(ARTICLE, "nature").startswith("1. Edelmann, N. & Virkar, S.")


def test_format_reference_unknown_style_raises_listing_choices():
    with pytest.raises(UnknownStyleError) as error:
        format_reference(ARTICLE, "apa7")

    message = str(error.value)
    assert "'apa7'" in message
    assert "apa, chicago-author-date, harvard, ieee" in message
    assert "Did you mean: apa" in message
    assert error.value.choices == available_styles()


def test_available_styles_lists_short_names_first():
    assert available_styles()[:4] == ("apa", "chicago-author-date", "harvard", "ieee")
    assert "harvard-cite-them-right" in available_styles()
    assert len(available_styles()) > 2000


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (
            "apa",
            [
                "Müller-Lüdenscheidt, H. (2020). Public Service Co-Production. Routledge.",
                "Ñúñez, J. (2018). Co-creation in practice. In T. Steen & T. Brandsen (Eds.), "
                "Co-Production and Co-Creation (pp. 45–67). Routledge.",
                "OECD. (2021). Digital Government Review (Working Paper No. 42). OECD "
                "Publishing. https://example.org/report?a=1&b=2",
            ],
        ),
        (
            "chicago-author-date",
            [
                "Müller-Lüdenscheidt, Hans. 2020. Public Service Co-Production. Routledge.",
                "Ñúñez, José. 2018. “Co-Creation in Practice.” In Co-Production and Co-Creation, "
                "edited by Trui Steen and Taco Brandsen. Routledge.",
                "OECD. 2021. Digital Government Review. Working Paper No. 42. OECD Publishing. "
                "https://example.org/report?a=1&b=2.",
            ],
        ),
        (
            "harvard",
            [
                "Müller-Lüdenscheidt, H. (2020) Public Service Co-Production. London: Routledge.",
                "Ñúñez, J. (2018) ‘Co-creation in practice’, in T. Steen and T. Brandsen (eds) "
                "Co-Production and Co-Creation. Routledge, pp. 45–67.",
                "OECD (2021) Digital Government Review. Working paper 42. Paris: OECD Publishing. "
                "Available at: https://example.org/report?a=1&b=2.",
            ],
        ),
        (
            "ieee",
            [
                "[1] H. Müller-Lüdenscheidt, Public Service Co-Production. London: Routledge, "
                "2020.",
                "[2] J. Ñúñez, “Co-creation in practice,” in Co-Production and Co-Creation, "
                "T. Steen and T. Brandsen, Eds., Routledge, 2018, pp. 45–67.",
                "[3] OECD, “Digital Government Review,” OECD Publishing, Paris, Working paper 42, "
                "Jun. 2021. [Online]. Available: https://example.org/report?a=1&b=2",
            ],
        ),
    ],
)
def test_format_bibliography_book_chapter_report_in_style_order(style, expected):
    assert format_bibliography([BOOK, CHAPTER, REPORT], style) == expected


def test_format_bibliography_empty_gives_no_entries():
    assert format_bibliography([], "apa") == []


def test_format_reference_event_date_range_across_months():
    item = {
        **PRESENTATION,
        "issued": {"date-parts": [[2023, 5, 30], [2023, 6, 2]]},
    }

    assert "(2023, May 30–June 2)." in format_reference(item, "apa")


def test_to_ris_types_pages_and_keywords():
    ris = to_ris([BOOK, CHAPTER, REPORT, {**ARTICLE, "keyword": "co-creation, public sector"}])

    assert [line for line in ris.split("\r\n") if line.startswith("TY")] == [
        "TY  - BOOK",
        "TY  - CHAP",
        "TY  - RPRT",
        "TY  - JOUR",
    ]
    assert "SP  - 45\r\nEP  - 67\r\n" in ris
    assert "KW  - co-creation\r\nKW  - public sector\r\n" in ris
    assert "\n" not in ris.replace("\r\n", "")


def test_to_csl_json_is_pretty_utf8():
    text = to_csl_json([BOOK])

    assert '"family": "Müller-Lüdenscheidt"' in text
    assert text.startswith('[\n  {\n    "id": "book",')
    assert json.loads(text) == [BOOK]


ROUND_TRIP_ITEMS = [
    ARTICLE_WITH_DOI,
    PRESENTATION,
    BOOK,
    CHAPTER,
    REPORT,
    {
        **ARTICLE_WITH_DOI,
        "title": "The {Curly} Case: R&D at 100% for Müller-Lüdenscheidt and Ñúñez",
        "author": [
            {"family": "Müller-Lüdenscheidt", "given": "Hans"},
            {"family": "Ñúñez", "given": "José"},
            {"family": "Dijk", "given": "Charlotte", "non-dropping-particle": "van"},
        ],
        "DOI": "10.1000/a_b%c",
    },
]
COMPARED = ("title", "author", "container-title", "volume", "issue", "page", "DOI")


def _essentials(item):
    essentials = {key: item.get(key) for key in COMPARED}
    if item["type"] in ("paper-conference", "speech") and not essentials["container-title"]:
        essentials["container-title"] = item.get("event-title")
    essentials["year"] = item["issued"]["date-parts"][0][0]
    return essentials


def _round_trip_essentials(items):
    return [_essentials(item) for item in items]


def test_round_trip_bibtex_keeps_essentials():
    result = parse_bibtex(to_bibtex(ROUND_TRIP_ITEMS))

    assert result.errors == []
    assert _round_trip_essentials(result.items) == _round_trip_essentials(ROUND_TRIP_ITEMS)
    assert result.items[1]["issued"] == PRESENTATION["issued"]
    assert "event-date" not in result.items[1]
    assert result.items[4]["author"] == [{"literal": "OECD"}]


def test_round_trip_ris_keeps_essentials():
    result = parse_ris(to_ris(ROUND_TRIP_ITEMS))

    assert result.errors == []
    assert _round_trip_essentials(result.items) == _round_trip_essentials(ROUND_TRIP_ITEMS)


def test_round_trip_csl_json_is_identical():
    result = parse_csl_json(to_csl_json(ROUND_TRIP_ITEMS))

    assert result.errors == []
    assert result.items == ROUND_TRIP_ITEMS


def test_parse_bibtex_decodes_latex_and_splits_names():
    result = parse_bibtex(
        r"@article{k, author = {M{\"u}ller, Hans and de la Cruz, Juan and {World Health"
        r" Organization}}, title = {Caf{\'e} \& {IIAS}}, year = 2020, month = mar}"
    )

    assert result.items == [
        {
            "id": "k",
            "type": "article-journal",
            "author": [
                {"family": "Müller", "given": "Hans"},
                {"family": "Cruz", "given": "Juan", "non-dropping-particle": "de la"},
                {"literal": "World Health Organization"},
            ],
            "title": "Café & IIAS",
            "issued": {"date-parts": [[2020, 3]]},
        }
    ]


def test_parse_bibtex_malformed_entry_is_reported_not_raised():
    result = parse_bibtex(
        "@article{good, title = {Fine}, year = 2020}\n"
        "@article{broken, title = {Never closed\n"
        "@book{after, title = {Also fine}}\n"
    )

    assert [item["id"] for item in result.items] == ["good", "after"]
    assert len(result.errors) == 1
    assert result.errors[0].key == "broken"
    assert result.errors[0].line == 2
    assert result.errors[0].message.startswith("Malformed entry: Unexpected block start: `@book`.")
    assert str(result.errors[0]).startswith("entry 'broken', line 2: Malformed entry:")


def test_parse_bibtex_entry_without_title_is_an_error():
    result = parse_bibtex("@misc{untitled, year = 2020}")

    assert result.items == []
    assert [(e.key, e.line, e.message) for e in result.errors] == [
        ("untitled", 1, "The entry has no title.")
    ]


def test_parse_bibtex_garbage_gives_no_items_and_no_exception():
    result = parse_bibtex("@@@{{{ }}} @article{")

    assert result.items == []


def test_parse_ris_reports_record_without_er():
    result = parse_ris("TY  - JOUR\nTI  - First\nER  - \nTY  - BOOK\nTI  - Unfinished\n")

    assert [item["title"] for item in result.items] == ["First"]
    assert [(e.line, e.message) for e in result.errors] == [(4, "Record has no ER line.")]


def test_parse_ris_reads_lf_files_and_particles():
    result = parse_ris("TY  - JOUR\nAU  - van Dijk, Charlotte\nTI  - T\nPY  - 2021\nER  - \n")

    assert result.items == [
        {
            "id": "ris-1",
            "type": "article-journal",
            "author": [{"non-dropping-particle": "van", "family": "Dijk", "given": "Charlotte"}],
            "title": "T",
            "issued": {"date-parts": [[2021]]},
        }
    ]


def test_parse_csl_json_reports_items_without_type_or_title():
    result = parse_csl_json('[{"id": "a", "type": "book"}, 3, {"type": "book", "title": "Ok"}]')

    assert result.items == [{"type": "book", "title": "Ok"}]
    assert [(e.key, e.message) for e in result.errors] == [
        ("a", "Missing the string field 'title'."),
        ("#2", "Not a JSON object."),
    ]


def test_parse_csl_json_rejects_non_array_and_invalid_json():
    assert [e.message for e in parse_csl_json('{"type": "book"}').errors] == [
        "Expected a JSON array of CSL items."
    ]
    assert parse_csl_json("{").errors[0].message.startswith("Not valid JSON:")


def test_format_reference_ignores_non_rendered_csl_fields():
    item = {
        **ARTICLE,
        "author": [{"family": "Edelmann", "given": "Noella", "sequence": "first"}],
        "categories": ["co-creation"],
        "custom": {"paper_id": 7},
    }

    assert format_reference(item, "apa").startswith("Edelmann, N. (2023). The Impact")


def test_a_reference_one_app_server_rendered_is_read_by_the_others(monkeypatch):
    item = {**ARTICLE, "title": "Rendered once for every app server"}
    first = format_reference(item, "chicago-author-date", html=True)

    def render_again(*args, **kwargs):
        raise AssertionError("rendered again although the shared cache holds the reference")

    styles._cache.clear()  # another process: nothing in its own memory
    monkeypatch.setattr(styles, "make_bibliography", render_again)

    assert format_reference(item, "chicago-author-date", html=True) == first


def test_references_are_rendered_while_the_shared_cache_is_down(monkeypatch):
    class DownCache:
        def get(self, key):
            raise CacheUnavailable

        def set(self, key, value, timeout):
            raise CacheUnavailable

    monkeypatch.setattr(styles, "shared_cache", DownCache())
    item = {**ARTICLE, "title": "Rendered while Redis is down"}

    assert format_reference(item, "apa").startswith(
        "Edelmann, N., & Virkar, S. (2023). Rendered while Redis is down."
    )
