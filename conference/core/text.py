"""Text clean-up shared by every model that stores names and titles."""

import functools
import re
import unicodedata

from anyascii import anyascii
from django.utils.text import slugify
from django.utils.translation import get_language, gettext, pgettext
from django_countries import countries

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WHITESPACE_RUNS = re.compile(r"\s+")


def normalize_text(value, *, single_line=True):
    """Return ``value`` in Unicode NFC with control characters removed.

    NFC makes a name typed with a combining accent equal to the same name typed with a
    precomposed one, so the two cannot become two people. Single-line values (names,
    titles) also have runs of whitespace folded to one space.
    """
    if value is None:
        return value
    value = unicodedata.normalize("NFC", value)
    value = _CONTROL_CHARACTERS.sub("", value)
    if single_line:
        value = _WHITESPACE_RUNS.sub(" ", value)
    return value.strip()


def ascii_fold(value):
    """Strip accents: "Müller" -> "Muller", used to compare names."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def transliterate(value):
    """``value`` in ASCII letters, for slugs and citation keys: "Tromsø" -> "Tromso",
    "Straße" -> "Strasse", "Михаил" -> "Mikhail" (anyascii; accents alone would leave
    ø, ß and every non-Latin script out)."""
    return anyascii(value)


def slug_base(text, *, max_length=80):
    """The slug ``text`` asks for, before any -2, -3 suffix: "Trui Steen" -> "trui-steen"."""
    return slugify(transliterate(text))[:max_length].strip("-") or "item"


def unique_slug(instance, text, *, max_length=80, among=None):
    """A slug for ``instance`` from ``text``, suffixed with -2, -3 ... until unused (by any
    row of its model, or by the rows of ``among``: a queryset)."""
    base = slug_base(text, max_length=max_length)
    rows = type(instance)._default_manager.all() if among is None else among
    others = rows.exclude(pk=instance.pk)
    slug, counter = base, 2
    while others.filter(slug=slug).exists():
        suffix = f"-{counter}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        counter += 1
    return slug


def and_separator(position, count):
    """What precedes item ``position`` (from 0) of ``count`` when a sentence lists them: "",
    then ", ", and " and " before the last: “A”, “A and B”, “A, B and C”."""
    if position == 0:
        return ""
    if position == count - 1:
        return _and(get_language())
    return ", "


@functools.cache
def _and(language):
    # Once per language: lists are joined thousands of times on a large programme.
    # Translators: goes between the last two items of a list: “A, B and C”. Keep the spaces.
    return gettext(" and ")


def country_name(code):
    """The name of the country with ISO code ``code`` in the active language ("BE" ->
    "Belgium"), or "".

    django-countries translates the name again on every call: for the 200 meetings of the
    home page that was a third of the page's time. Names are looked up once per language.
    """
    return _country_name(str(code), get_language()) if code else ""


@functools.lru_cache(maxsize=2048)
def _country_name(code, language):
    return str(countries.name(code))


def ordinal(number):
    """``number`` as an ordinal in the active language, as it stands before a meeting's kind:
    10th, 21st (English); 10e, 1re (French); 10e (Dutch); 10. (German)."""
    if get_language().split("-")[0] == "en":
        if 10 <= number % 100 <= 20:
            suffix = "th"
        else:
            suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return f"{number}{suffix}"
    if number == 1:
        # Translators: "first" before a meeting's kind, e.g. French "1re" (réunion is feminine).
        return pgettext("ordinal", "1st")
    # Translators: an ordinal number before a meeting's kind ("10e réunion ouverte", "10.").
    return pgettext("ordinal", "%(number)sth") % {"number": number}
