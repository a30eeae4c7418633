"""BibTeX (biblatex-compatible) from CSL-JSON items, and CSL-JSON items from BibTeX."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

import bibtexparser
from bibtexparser import middlewares as bibtex_middlewares
from bibtexparser.model import Entry, Field
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from conference.core.text import transliterate
from papers.citations.csljson import ParseError, ParseResult, bare_doi
from papers.citations.dates import date_parts, iso_date, page_range, year_of

# biblatex entry types (biber's data model, plus biblatex-apa's ``presentation``).
_BIBTEX_TYPES = {
    "article-journal": "article",
    "paper-conference": "inproceedings",
    "speech": "presentation",
    "book": "book",
    "chapter": "incollection",
    "report": "report",
    "thesis": "thesis",
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
    "presentation": "speech",
}
# Keys of what parse_bibtex read but CSL has no variable for, kept on the item for the import
# preview: the roles whose list ended with "and others", and the fields it did not read.
TRUNCATED_NAMES = "_truncated-names"
UNREAD_FIELDS = "_unread-fields"
# The BibTeX fields parse_bibtex maps to CSL; any other is reported by name, never dropped
# silently.
_READ_BIBTEX_FIELDS = frozenset(
    [
        "author",
        "editor",
        "translator",
        "title",
        "volume",
        "publisher",
        "institution",
        "school",
        "address",
        "location",
        "edition",
        "isbn",
        "issn",
        "url",
        "abstract",
        "keywords",
        "language",
        "langid",
        "note",
        "titleaddon",
        "eventtitle",
        "venue",
        "journal",
        "journaltitle",
        "booktitle",
        "number",
        "pages",
        "doi",
        "date",
        "year",
        "month",
        "eventdate",
        "type",
        "",
    ]
)
# biblatex's standard ``type`` keys, as APA prints them; a report's own key says nothing.
_GENRES_FROM_BIBTEX_TYPES = {
    "phdthesis": "Doctoral dissertation",
    "mathesis": "Master's thesis",
    "mastersthesis": "Master's thesis",
    "techreport": None,
    "report": None,
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


def _needs_braces(word: str) -> bool:
    """A word whose capitals a sentence-casing style must keep: IIAS, COVID-19, eBay, $1M."""
    letters = word.lstrip("\"'‘“«([")  # an opening quote is not the word's first letter
    return any(char.isupper() for part in re.split(r"[-/]", letters) for char in part[1:])


def _brace(latex: str) -> str:
    # A brace group that opens with a command is a "special character" to BibTeX and to
    # biblatex's \MakeSentenceCase, which then lowercase inside it: {\$1M} gives "$1m".
    return f"{{{{{latex}}}}}" if latex.startswith("\\") else f"{{{latex}}}"


def _protected_spans(words: list[str], proper_nouns: frozenset[str], longest: int) -> list[bool]:
    """Which words belong to a proper noun the archive knows ("São Paulo", "KU Leuven")."""
    protected = [False] * len(words)
    bare = [word.strip(".,;:!?()[]\"'“”‘’«»") for word in words]
    position = 0
    while position < len(words):
        for length in range(min(longest, len(words) - position), 0, -1):
            phrase = " ".join(bare[position : position + length])
            if bare[position][:1].isupper() and phrase in proper_nouns:
                protected[position : position + length] = [True] * length
                position += length
                break
        else:
            position += 1
    return protected


def _protect_title(text, proper_nouns: frozenset[str] = frozenset()) -> str:
    """Escape a title and brace what a sentence-casing style must not lowercase.

    Braced: words with a capital after their first letter (acronyms, "eBay") and the proper
    nouns the archive knows (places, countries, institutions, people). An initial capital
    alone is either title case, which the style may change, or the first word.
    """
    words = str(text).split()
    longest = max((phrase.count(" ") + 1 for phrase in proper_nouns), default=0)
    protected = _protected_spans(words, proper_nouns, longest) if longest else [False] * len(words)
    output = []
    position = 0
    while position < len(words):
        if protected[position]:
            end = position
            while end + 1 < len(words) and protected[end + 1]:
                end += 1
            output.append(_brace(_latex_escape(" ".join(words[position : end + 1]))))
            position = end + 1
            continue
        word = words[position]
        output.append(_brace(_latex_escape(word)) if _needs_braces(word) else _latex_escape(word))
        position += 1
    return " ".join(output)


def _key_part(text: str, length: int) -> str:
    return re.sub(r"[^a-z0-9]", "", transliterate(text).lower())[:length]


def citation_key(item: dict) -> str:
    """A key such as ``edelmann2023impact-3k9z``: stable, unique, at most 37 ASCII characters.

    First creator's family name (without particle), the year and the first title word that
    is not a stopword, each ASCII-folded and shortened; then four characters derived from
    the item's ``id`` (our slug, unique and stable), so that two works never share a key,
    whichever exports they appear in, and a key never changes when other works are added.
    """
    creators = item.get("author") or item.get("editor") or [{}]
    name = creators[0].get("family") or creators[0].get("literal") or "anon"
    year = year_of(item)
    words = re.findall(r"\w+", transliterate(item.get("title") or "").lower())
    word = next((w for w in words if w not in _TITLE_STOPWORDS), "")
    base = f"{_key_part(name, 16) or 'anon'}{year if year is not None else 'nd'}{word[:12]}"
    digest = zlib.crc32(str(item.get("id") or item.get("title") or "").encode())
    suffix = ""
    for _ in range(4):
        digest, remainder = divmod(digest, 36)
        suffix += "0123456789abcdefghijklmnopqrstuvwxyz"[remainder]
    return f"{base}-{suffix}"


def _unique_keys(items: list[dict]) -> list[str]:
    """Citation keys, unique within one export even if two ids shared a hash (then ``-2``)."""
    taken: set[str] = set()
    keys = []
    for item in items:
        key = citation_key(item)
        number = 2
        candidate = key
        while candidate in taken:
            candidate = f"{key}{number}"
            number += 1
        taken.add(candidate)
        keys.append(candidate)
    return keys


def _bibtex_names(names: list[dict]) -> str:
    """Names as "Family, Given and ...", particles kept ("van Dijk, Charlotte").

    An organisation (a CSL ``literal`` name) is braced whole, so no style inverts or
    abbreviates it: {World Health Organization}.
    """
    formatted = []
    for name in names:
        if name.get("literal"):
            formatted.append(_brace(_latex_escape(name["literal"])))
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


def _edtf_range(value) -> str:
    """A CSL date or date range as biblatex's ISO 8601 date: 2023-05-11/2023-05-12."""
    dates = date_parts(value)[:2]
    if len(dates) == 2 and dates[0] == dates[1]:
        dates = dates[:1]
    return "/".join(iso_date(date) for date in dates)


def _is_presentation(item: dict) -> bool:
    # A talk: CSL "speech", or a conference paper that no proceedings published.
    return item.get("type") == "speech" or (
        item.get("type") == "paper-conference" and not item.get("container-title")
    )


def _entry_type(item: dict) -> str:
    if _is_presentation(item):
        return "presentation"
    if item.get("type") == "chapter" and not item.get("editor"):
        # biblatex's @incollection requires editors; @inbook is a part of a book as such.
        return "inbook"
    return _BIBTEX_TYPES.get(item.get("type", ""), "misc")


def _bibtex_entry(item: dict, key: str, proper_nouns: frozenset[str]) -> Entry:
    """One biblatex entry, with the fields biber's data model and biblatex-apa expect.

    Dates are biblatex ``date`` fields only (no ``year``/``month``: with both, biblatex-apa
    prints neither right); a talk is biblatex-apa's ``@presentation`` dated by its event.
    """
    entry_type = _entry_type(item)
    fields: list[tuple[str, str]] = []

    def add(name: str, value, transform=_latex_escape) -> None:
        if value not in (None, "", []):
            fields.append((name, transform(value)))

    def title(value) -> str:
        return _protect_title(value, proper_nouns)

    add("author", item.get("author"), _bibtex_names)
    if entry_type != "article":
        add("editor", item.get("editor"), _bibtex_names)
    add("translator", item.get("translator"), _bibtex_names)
    add("title", item.get("title"), title)
    container = item.get("container-title")
    if entry_type == "presentation":
        add("titleaddon", item.get("genre") or "Paper presentation")
        add("eventtitle", item.get("event-title") or item.get("event"), title)
        add("venue", item.get("event-place"))
        add("date", _edtf_range(item.get("event-date") or item.get("issued")), str)
    else:
        if entry_type == "article":
            add("journaltitle", container, title)
        elif entry_type in ("inproceedings", "incollection", "inbook"):
            add("booktitle", container, title)
        if entry_type == "inproceedings":
            add("eventtitle", item.get("event-title") or item.get("event"), title)
            add("venue", item.get("event-place"))
            add("eventdate", _edtf_range(item.get("event-date")), str)
        if entry_type == "article":
            add("date", _edtf_range(item.get("issued")), str)
        else:
            # APA dates books, chapters, proceedings, reports and theses by year alone, and
            # biblatex-apa would print a month it was given ("2021, June").
            add("date", str(year_of({"issued": item.get("issued")}) or ""), str)
    add("edition", item.get("edition"))
    add("volume", item.get("volume"))
    add("number", item.get("issue") if entry_type == "article" else item.get("number"))
    if item.get("page"):
        first, last = page_range(item["page"])
        add("pages", f"{first}--{last}" if last else first)
    if entry_type in ("report", "thesis"):
        # biber requires a type; biblatex-apa prints it: "(Report No. 42)", "[Doctoral
        # dissertation]".
        add("type", item.get("genre") or ("Report" if entry_type == "report" else "phdthesis"))
        add("institution", item.get("publisher"))
    elif entry_type not in ("article", "presentation"):
        add("publisher", item.get("publisher"))
    if entry_type != "presentation":
        add("location", item.get("publisher-place"))
    add("isbn", item.get("ISBN"))
    add("issn", item.get("ISSN"))
    # DOI and URL are verbatim fields: no LaTeX escaping, but braces must stay balanced.
    add("doi", item.get("DOI") and bare_doi(item["DOI"]), _verbatim)
    add("url", item.get("URL"), _verbatim)
    add("abstract", item.get("abstract"))
    add("keywords", item.get("keyword"))
    add("langid", _LANGIDS.get(str(item.get("language") or "").split("-")[0].lower()))
    add("note", item.get("note"))
    return Entry(entry_type, key, [Field(name, value) for name, value in fields])


# babel/polyglossia language names for biblatex's ``langid`` (biblatex-apa leaves titles in
# other languages than English as written, as APA asks).
_LANGIDS = {
    "en": "english",
    "de": "ngerman",
    "nl": "dutch",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "it": "italian",
    "pl": "polish",
    "cs": "czech",
    "sv": "swedish",
    "da": "danish",
    "no": "norsk",
    "nb": "norsk",
    "fi": "finnish",
    "el": "greek",
    "ru": "russian",
    "tr": "turkish",
    "hu": "magyar",
    "ro": "romanian",
    "ja": "japanese",
    "zh": "chinese",
}


_LANGUAGES_FROM_LANGIDS = {langid: language for language, langid in _LANGIDS.items()}


def _verbatim(text) -> str:
    return str(text).replace("{", "%7B").replace("}", "%7D")


def to_bibtex(items: Iterable[dict], *, proper_nouns: Iterable[str] = ()) -> str:
    """biblatex entries for ``items``; non-ASCII text stays UTF-8.

    ``proper_nouns`` (names of places, countries, institutions, people) are braced in
    titles so that sentence-casing styles keep their capitals.
    """
    items = list(items)
    nouns = frozenset(proper_nouns)
    library = bibtexparser.Library()
    for item, key in zip(items, _unique_keys(items), strict=True):
        library.add(_bibtex_entry(item, key, nouns))
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
    for role in ("author", "editor", "translator"):
        if isinstance(fields.get(role), list):
            names = [_bibtex_name_to_csl(name, decoder) for name in fields[role]]
            # BibTeX's "and others" truncates the list; it names nobody.
            if names and names[-1] == {"family": "others"}:
                names.pop()
                item.setdefault(TRUNCATED_NAMES, []).append(role)
            if names:
                item[role] = names
    unread = sorted(set(fields) - _READ_BIBTEX_FIELDS)
    if unread:
        item[UNREAD_FIELDS] = unread
    texts = {
        "title": "title",
        "volume": "volume",
        "publisher": "publisher",
        "institution": "publisher",
        "school": "publisher",
        "address": "publisher-place",
        "location": "publisher-place",
        "edition": "edition",
        "isbn": "ISBN",
        "issn": "ISSN",
        "url": "URL",
        "abstract": "abstract",
        "keywords": "keyword",
        "language": "language",
        "langid": "language",
        "note": "note",
        "titleaddon": "genre",
        "eventtitle": "event-title",
        "venue": "event-place",
    }
    for bibtex_field, csl_variable in texts.items():
        if fields.get(bibtex_field) and csl_variable not in item:
            item[csl_variable] = str(fields[bibtex_field])
    if item.get("language") in _LANGUAGES_FROM_LANGIDS:
        item["language"] = _LANGUAGES_FROM_LANGIDS[item["language"]]
    type_key = str(fields.get("type") or entry.entry_type).lower()
    genre = _GENRES_FROM_BIBTEX_TYPES.get(type_key, fields.get("type"))
    if genre and "genre" not in item:
        item["genre"] = str(genre)
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
    # A talk is dated by its event (biblatex-apa's date), as our CSL-JSON has it: its
    # ``issued`` is the event's dates and it has no second ``event-date``.
    if fields.get("eventdate") and not (csl_type == "speech" and issued):
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
