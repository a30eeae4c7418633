"""Running the tools LaTeX users run on our BibTeX: biber's validator and biblatex-apa.

Both come from Debian (``biber``, ``texlive-bibtex-extra``, ``texlive-latex-recommended``,
``poppler-utils`` for ``pdftotext``); tests that need them skip, saying which is missing.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

APA_DBX = Path("/usr/share/texlive/texmf-dist/tex/latex/biblatex-apa/apa.dbx")


def require(*programs):
    missing = [program for program in programs if shutil.which(program) is None]
    if missing:
        pytest.skip(
            f"needs {', '.join(missing)} (apt-get install biber texlive-bibtex-extra "
            "texlive-latex-recommended poppler-utils; `make tex-deps`)"
        )


def _apa_datamodel_config(directory: Path) -> Path:
    """A biber config adding biblatex-apa's ``@presentation`` type to biber's tool model.

    Built from the installed apa.dbx, so it says exactly what biblatex-apa declares.
    """
    if not APA_DBX.exists():
        pytest.skip(
            f"needs biblatex-apa ({APA_DBX} is missing: apt-get install texlive-bibtex-extra)"
        )
    dbx = APA_DBX.read_text()
    declared = re.search(r"\\DeclareDatamodelEntryfields\[presentation\]\{(.*?)\}", dbx, re.S)
    fields = [field.strip() for field in declared.group(1).split(",") if field.strip()]
    field_lines = "\n".join(f"        <field>{field}</field>" for field in fields)
    config = directory / "biber-apa.conf"
    config.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<config>
  <datamodel>
    <entrytypes>
      <entrytype>presentation</entrytype>
    </entrytypes>
    <entryfields>
      <entrytype>presentation</entrytype>
{field_lines}
    </entryfields>
  </datamodel>
</config>
"""
    )
    return config


def validate_with_biber(bibtex: str, directory: Path) -> list[str]:
    """The WARN and ERROR lines of ``biber --tool --validate-datamodel`` for ``bibtex``."""
    require("biber")
    bib = directory / "export.bib"
    bib.write_text(bibtex, encoding="utf-8")
    config = _apa_datamodel_config(directory)
    completed = subprocess.run(
        [
            "biber",
            "--tool",
            "--validate-datamodel",
            f"--configfile={config}",
            "export.bib",
        ],
        capture_output=True,
        text=True,
        cwd=directory,
        timeout=120,
        check=False,
    )
    lines = (completed.stdout + completed.stderr).splitlines()
    problems = [line for line in lines if re.match(r"(WARN|ERROR) - ", line)]
    if completed.returncode and not problems:
        problems = lines[-5:]
    return problems


_DOCUMENT = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage[paperwidth=80in,paperheight=40in,margin=1in]{geometry}
\usepackage[american]{babel}
\usepackage[style=apa,backend=biber]{biblatex}
\addbibresource{export.bib}
\setlength{\bibhang}{0pt}
%(case)s
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


def typeset_with_biblatex_apa(bibtex: str, directory: Path, *, sentence_case=True) -> list[str]:
    """The reference list biblatex-apa prints for ``bibtex``, one plain-text line per entry.

    The page is wide enough that no entry wraps; italics are lost in pdftotext's text.
    ``sentence_case=False`` prints titles as written, as CSL's APA style does (biblatex-apa's
    documented switch: redefine the ``apacase`` field format).
    """
    require("pdflatex", "biber", "pdftotext")
    (directory / "export.bib").write_text(bibtex, encoding="utf-8")
    case = "" if sentence_case else r"\DeclareFieldFormat{apacase}{#1}"
    (directory / "refs.tex").write_text(_DOCUMENT % {"case": case})
    for command in (
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "refs.tex"],
        ["biber", "--quiet", "refs"],
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "refs.tex"],
    ):
        completed = subprocess.run(
            command, cwd=directory, capture_output=True, text=True, timeout=180, check=False
        )
        assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    text = subprocess.run(
        ["pdftotext", "-raw", "refs.pdf", "-"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return [line for line in lines if line and line != "References" and not line.isdigit()]
