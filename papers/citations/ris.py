"""RIS records from CSL-JSON items, and CSL-JSON items from RIS."""

from __future__ import annotations

import re
from collections.abc import Iterable

from papers.citations.csljson import ParseError, ParseResult, bare_doi
from papers.citations.dates import date_parts, page_range

# RIS types as Zotero's RIS translator reads them (zotero/translators RIS.js): a talk is
# Zotero's "presentation" (SLIDE), a paper in proceedings its "conferencePaper" (CONF).
_RIS_TYPES = {
    "article-journal": "JOUR",
    "paper-conference": "CONF",
    "speech": "SLIDE",
    "book": "BOOK",
    "chapter": "CHAP",
    "report": "RPRT",
    "thesis": "THES",
}
_CSL_TYPES_FROM_RIS = {
    **{ris: csl for csl, ris in _RIS_TYPES.items()},
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "EJOUR": "article-journal",
    "EBOOK": "book",
    "EDBOOK": "book",
    "ECHAP": "chapter",
}
# Zotero reads M3 as the type of work only for these; on any other type as a DOI.
_GENRE_TYPES = frozenset({"SLIDE", "RPRT", "THES"})
# The RIS specification ends every line with CR LF.
_RIS_NEWLINE = "\r\n"
_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def _ris_name(name: dict) -> str:
    if name.get("literal"):
        return name["literal"]
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    given = " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)
    return ", ".join(part for part in (family, given, name.get("suffix")) if part)


def _ris_date(parts: list) -> str:
    """RIS's ``YYYY/MM/DD/other`` with empty parts kept: 2023/05/11/, 2021/06//, 2022///."""
    padded = [f"{parts[0]:04d}", *(f"{part:02d}" for part in parts[1:3])]
    return "/".join(padded + [""] * (3 - len(padded))) + "/"


def _is_talk(item: dict) -> bool:
    return item.get("type") == "speech" or (
        item.get("type") == "paper-conference" and not item.get("container-title")
    )


def _ris_record(item: dict) -> list[tuple[str, str]]:
    """One record, each value in the tag Zotero's RIS translator reads it from."""
    ris_type = "SLIDE" if _is_talk(item) else _RIS_TYPES.get(item.get("type", ""), "GEN")
    lines = [("TY", ris_type)]
    lines += [("AU", _ris_name(name)) for name in item.get("author") or []]
    # Zotero reads a book's editors from A3 (A2 is its series editor), others' from A2.
    editor_tag = "A3" if ris_type == "BOOK" else "A2"
    lines += [(editor_tag, _ris_name(name)) for name in item.get("editor") or []]
    lines += [("A4", _ris_name(name)) for name in item.get("translator") or []]
    lines.append(("TI", item.get("title")))
    event_title = item.get("event-title") or item.get("event")
    if ris_type == "CONF":
        lines.append(("T2", event_title))  # Zotero's conference name
        lines.append(("C3", item.get("container-title")))  # its proceedings title
        lines.append(("C1", item.get("event-place")))  # its place (Zotero ignores CY here)
    elif ris_type == "SLIDE":
        lines.append(("T2", event_title))  # Zotero's meeting name
        lines.append(("CY", item.get("event-place")))
    else:
        lines.append(("T2", item.get("container-title")))
    # A talk is dated by its event; RIS has no second date Zotero reads, so the first day.
    issued = date_parts(item.get("issued"))
    if issued:
        lines.append(("PY", str(issued[0][0])))
        lines.append(("DA", _ris_date(issued[0])))
    lines.append(("VL", item.get("volume")))
    lines.append(("IS", item.get("issue")))
    if item.get("page"):
        first, last = page_range(item["page"])
        lines += [("SP", first), ("EP", last)]
    if ris_type != "SLIDE":
        lines.append(("PB", item.get("publisher")))
    if ris_type not in ("CONF", "SLIDE"):
        lines.append(("CY", item.get("publisher-place")))
    if ris_type in _GENRE_TYPES:
        lines.append(("M3", item.get("genre")))
    if ris_type == "RPRT":
        lines.append(("SN", item.get("number")))  # Zotero's report number
    else:
        lines.append(("SN", item.get("ISBN") or item.get("ISSN")))
    lines.append(("DO", item.get("DOI") and bare_doi(item["DOI"])))
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
    editor_tags = ("A3", "ED") if csl_type == "book" else ("A2", "ED")
    for role, ris_tags in (
        ("author", ("AU", "A1")),
        ("editor", editor_tags),
        ("translator", ("A4",)),
    ):
        names = [name for tag in ris_tags for name in values.get(tag, [])]
        if names:
            item[role] = [_csl_name_from_ris(name) for name in names]
    simple = {
        "title": ("TI", "T1"),
        "volume": ("VL",),
        "issue": ("IS",),
        "publisher": ("PB",),
        "publisher-place": ("CY",),
        "DOI": ("DO",),
        "URL": ("UR",),
        "abstract": ("AB", "N2"),
        "language": ("LA",),
    }
    for variable, ris_tags in simple.items():
        value = first(*ris_tags)
        if value:
            item[variable] = value
    if first("TY") in _GENRE_TYPES and first("M3"):
        item["genre"] = first("M3")
    if csl_type == "paper-conference":
        if first("T2", "JO"):
            item["event-title"] = first("T2", "JO")
        if first("C3", "BT"):
            item["container-title"] = first("C3", "BT")
        if first("C1", "CY"):
            item["event-place"] = first("C1", "CY")
        item.pop("publisher-place", None)
    elif csl_type == "speech":
        if first("T2"):
            item["event-title"] = first("T2")
        if first("CY"):
            item["event-place"] = item.pop("publisher-place")
    elif first("T2", "JO", "JF", "BT"):
        item["container-title"] = first("T2", "JO", "JF", "BT")
    if first("SN"):
        if csl_type == "report":
            item["number"] = first("SN")
        else:
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
