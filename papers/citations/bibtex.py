"""BibTeX (biblatex-compatible) from CSL-JSON items, and CSL-JSON items from BibTeX."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import bibtexparser
from bibtexparser import middlewares as bibtex_middlewares
from bibtexparser.model import Entry, Field
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from conference.text import transliterate
from papers.citations.csljson import ParseError, ParseResult, bare_doi
from papers.citations.dates import date_parts, iso_date, page_range, year_of

_BIBTEX_TYPES = {
    "article-journal": "article",
    "paper-conference": "inproceedings",
    "speech": "inproceedings",
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


def citation_key(item: dict) -> str:
    """A stable key such as ``edelmann2023impact``.

    First author's family name (without particle) ASCII-folded and lowercased, the year, and
    the first title word that is not a stopword. Editors stand in for missing authors.
    """
    creators = item.get("author") or item.get("editor") or [{}]
    name = creators[0].get("family") or creators[0].get("literal") or "anon"
    year = year_of(item)
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
        event_dates = date_parts(item.get("event-date"))
        add("eventdate", "/".join(iso_date(date) for date in event_dates[:2]), str)
    elif entry_type == "incollection":
        add("booktitle", container, _protect_capitals)
    elif container:
        add("howpublished", container)
    issued = date_parts(item.get("issued"))
    if issued:
        add("year", str(issued[0][0]), str)
        if len(issued) > 1 or len(issued[0]) > 1:  # biblatex's full date; year alone says it all
            add("date", "/".join(iso_date(date) for date in issued[:2]), str)
    add("volume", item.get("volume"))
    add("number", item.get("issue") if entry_type == "article" else item.get("number"))
    if item.get("page"):
        first, last = page_range(item["page"])
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
    add("doi", item.get("DOI") and bare_doi(item["DOI"]), _verbatim)
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
        item["DOI"] = bare_doi(fields["doi"])
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
