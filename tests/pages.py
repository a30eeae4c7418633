"""Helpers for the public page tests: query counting and reading what a visitor sees."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Every public page runs at most this many queries, whatever the size of the data.
MAX_PAGE_QUERIES = 10
# Beyond it, pages that name institutions as they were then read the institutions' dated
# names (one query, however many); the institution page also shows its parts, predecessors
# and successors (one query).
PAPER_PAGE_QUERIES = MAX_PAGE_QUERIES + 1
PERSON_PAGE_QUERIES = MAX_PAGE_QUERIES + 1
INSTITUTION_PAGE_QUERIES = MAX_PAGE_QUERIES + 2

_INLINE_TAGS = re.compile(r"</?(a|abbr|b|cite|em|i|mark|span|strong|sup|time)\b[^>]*>")
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def visible_text(response):
    """The page's text as a visitor reads it: tags dropped, entities decoded, spaces folded."""
    return visible_text_of(response.content.decode())


def visible_text_of(markup):
    """``visible_text`` of a piece of HTML."""
    text = _TAGS.sub(" ", _INLINE_TAGS.sub("", markup))
    return _SPACES.sub(" ", html.unescape(text))
