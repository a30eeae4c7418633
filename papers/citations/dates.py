"""Dates and page ranges of CSL-JSON items, read the same way by every format."""

import re


def date_range(value) -> tuple[list, list] | None:
    parts = value.get("date-parts") if isinstance(value, dict) else None
    if parts and len(parts) > 1 and parts[1] and parts[0] != parts[1]:
        return parts[0], parts[1]
    return None


def year_of(item: dict) -> int | None:
    for variable in ("issued", "event-date"):
        parts = (item.get(variable) or {}).get("date-parts") or [[]]
        if parts[0] and str(parts[0][0]).lstrip("-").isdigit():
            return int(parts[0][0])
    return None


def date_parts(value) -> list[list]:
    parts = (value or {}).get("date-parts") or []
    return [[int(part) for part in date] for date in parts if date]


def iso_date(parts: list) -> str:
    return "-".join(f"{part:04d}" if i == 0 else f"{part:02d}" for i, part in enumerate(parts))


def page_range(page: str) -> tuple[str, str | None]:
    """The first and last page of a CSL ``page`` value, read the same way by every format
    (BibTeX, RIS, Highwire tags, DataCite, Crossref): "12-34", "12–34" and "12 -- 34" give
    ("12", "34"); an article number "43" gives ("43", None)."""
    first, _, last = re.sub(r"\s*[-\u2010-\u2015]+\s*", "-", str(page).strip()).partition("-")
    return first, last or None
