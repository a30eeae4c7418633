"""CSL-JSON as text, the result every parser returns, and DOIs as CSL-JSON keeps them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field


def bare_doi(doi: str) -> str:
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.IGNORECASE)


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
