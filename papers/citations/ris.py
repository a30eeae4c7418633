"""RIS records from CSL-JSON items, and CSL-JSON items from RIS."""

from __future__ import annotations

import re
from collections.abc import Iterable

from papers.citations.csljson import ParseError, ParseResult, bare_doi
from papers.citations.dates import date_parts, page_range

_RIS_TYPES = {
    "article-journal": "JOUR",
    "paper-conference": "CONF",
    "speech": "CONF",
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
    issued = date_parts(item.get("issued"))
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
        first, last = page_range(item["page"])
        lines += [("SP", first), ("EP", last)]
    lines.append(("PB", item.get("publisher")))
    lines.append(("CY", item.get("publisher-place")))
    lines.append(("M3", item.get("genre")))
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
