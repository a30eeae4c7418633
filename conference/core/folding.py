"""Accent, case and punctuation folding for search, the same on SQLite and PostgreSQL.

A query is folded in Python into words (``search_words``); a column is folded in the
database by ``Folded``: on PostgreSQL ``immutable_unaccent()`` (migration conference 0005,
whose trigram indexes repeat that exact expression), on SQLite the function ``fold_text``,
which ``register_sqlite_functions`` adds to every SQLite connection and which maps letters
as PostgreSQL's ``unaccent`` rules do (ř → r, ø → o, ß → ss, æ → ae). Each folded word is
then matched as a case-insensitive substring (``IContains``), so "Dvorak" finds "Dvořák",
"Tromso" finds "Tromsø" and "co-production" finds "Digital co-production" on both.

Why a registered function and not a stored folded column on SQLite: the column would need a
migration and a write path for every searched field of seven tables. The function folds
with one ``str.translate`` over a table built once; over 4,000 generated works (half of
them with accented names) folding every title and abstract takes ~95 ms against ~15 ms for
an unfolded LIKE (README, "Finding things").
"""

import re
import unicodedata
from functools import reduce
from operator import and_, or_

from django.db.models import F, Func, Q, TextField
from django.db.models.lookups import IContains

# Letters that do not decompose into a base letter and an accent; unaccent maps them so.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "þ": "th",
        "Þ": "TH",
    }
)
_NOT_WORD = re.compile(r"[\W_]+")


def _fold_letters_slowly(value):
    decomposed = unicodedata.normalize("NFKD", value.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# The letters of Latin, Greek and Cyrillic text mapped once to their folded forms, so that
# folding a long abstract is one ``str.translate`` (in C) instead of a loop in Python.
_FOLDED_LETTERS = {
    code: _fold_letters_slowly(chr(code)).lower()
    for start, end in ((0x00C0, 0x04FF), (0x1E00, 0x1EFF))
    for code in range(start, end + 1)
}


def fold_letters(value):
    """``value`` without accents, in lower case ("Dvořák-Nó" -> "dvorak-no"): what SQLite's
    ``fold_text`` computes for every row searched, so it takes the quickest path."""
    if value is None:
        return None
    if not value.isascii():
        value = value.translate(_FOLDED_LETTERS)
        if not unicodedata.is_normalized("NFKD", value):
            # Ligatures, decomposed accents, letters outside the table.
            value = _fold_letters_slowly(value)
    return value.lower()


def fold_text(value):
    """``value`` without accents, in lower case, punctuation as spaces: "Dvořák-Nó" ->
    "dvorak no"."""
    if value is None:
        return None
    return _NOT_WORD.sub(" ", fold_letters(value)).strip()


def search_words(query):
    """The folded words of a query, each of which a match must contain."""
    return fold_text(query or "").split()


class Folded(Func):
    """A column folded as ``fold_text`` folds a query (see the module's docstring)."""

    function = "immutable_unaccent"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="fold_text", **extra_context)


def matching_words(query, fields):
    """A filter: every word of ``query`` appears, folded, in at least one of ``fields``."""
    words = search_words(query)
    if not words:
        return Q(pk__in=[])
    return reduce(
        and_,
        (reduce(or_, (Q(IContains(Folded(F(name)), word)) for name in fields)) for word in words),
    )


def register_sqlite_functions(sender, connection, **kwargs):
    """``connection_created`` receiver: gives SQLite connections ``fold_text``."""
    if connection.vendor == "sqlite":
        # Punctuation can stay: the words matched against it have none.
        connection.connection.create_function("fold_text", 1, fold_letters, deterministic=True)


def _folded_with_positions(text):
    """``text`` folded character by character, with each folded character's position in
    ``text``: folding changes lengths ("ß" -> "ss"), so matches are mapped back."""
    folded, positions = [], []
    for index, character in enumerate(text):
        if character.isascii():
            piece = character.lower() if character.isalnum() else " "
        else:
            piece = fold_text(character) or " "
        folded.append(piece)
        positions.extend([index] * len(piece))
    return "".join(folded), positions


def matched_spans(text, words):
    """``[(start, end)]`` of ``text`` where the folded ``words`` occur, merged, in order.

    A word is marked where a word of ``text`` starts with it ("co" in "co-creation", not in
    "outcomes"); only a word found nowhere else is marked inside words ("elm" in "Edelmann").
    """
    if not text or not words:
        return []
    folded, positions = _folded_with_positions(text)
    spans = []
    for word in words:
        found = list(_occurrences(folded, word))
        starts = [index for index in found if index == 0 or not folded[index - 1].isalnum()]
        for start in starts or found:
            spans.append((positions[start], positions[start + len(word) - 1] + 1))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _occurrences(folded, word):
    start = folded.find(word)
    while start != -1:
        yield start
        start = folded.find(word, start + len(word))


def excerpt_around_match(text, words, *, width=220):
    """A part of ``text`` about ``width`` characters long around its first match, cut at
    spaces, with "…" where it was cut; "" when ``words`` do not occur in ``text``."""
    spans = matched_spans(text, words)
    if not spans:
        return ""
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
