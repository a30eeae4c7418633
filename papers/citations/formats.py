"""The downloadable citation formats: name, media type, extension and writer of each."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from papers.citations.bibtex import to_bibtex
from papers.citations.csljson import to_csl_json
from papers.citations.proper_nouns import archive_proper_nouns
from papers.citations.ris import to_ris


@dataclass(frozen=True)
class ExportFormat:
    """A downloadable format: its ``?format=`` name, media type, file extension and writer."""

    name: str
    label: str
    media_type: str
    extension: str
    write: Callable[[Iterable[dict]], str]


def write_bibtex(items: Iterable[dict]) -> str:
    """BibTeX whose titles keep the capitals of every proper noun the archive knows."""
    return to_bibtex(items, proper_nouns=archive_proper_nouns())


EXPORT_FORMATS = {
    export.name: export
    for export in (
        ExportFormat("bibtex", "BibTeX", "application/x-bibtex", "bib", write_bibtex),
        ExportFormat("ris", "RIS", "application/x-research-info-systems", "ris", to_ris),
        ExportFormat(
            "csljson", "CSL-JSON", "application/vnd.citationstyles.csl+json", "json", to_csl_json
        ),
    )
}
EXPORT_FORMATS_BY_EXTENSION = {export.extension: export for export in EXPORT_FORMATS.values()}
