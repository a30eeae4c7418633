"""Citation formats, all derived from CSL-JSON (CSL data schema 1.0.2).

One module per format: ``csl`` maps our models to CSL-JSON (the only module here that knows
about models; import it as ``papers.citations.csl``), ``styles`` formats references with
citeproc-js (``engine``), ``bibtex`` and ``ris`` write and read those formats, ``metadata``
writes Highwire tags and JSON-LD, ``csljson`` writes and reads CSL-JSON text, ``dates`` reads
dates and page ranges.
Everything re-exported here is pure: CSL-JSON items (plain dicts) in, text out, or back;
only the BibTeX export format reads the archive's proper nouns (``proper_nouns``).
"""

from papers.citations.bibtex import citation_key, parse_bibtex, to_bibtex
from papers.citations.csljson import ParseError, ParseResult, parse_csl_json, to_csl_json
from papers.citations.formats import EXPORT_FORMATS, EXPORT_FORMATS_BY_EXTENSION, ExportFormat
from papers.citations.ris import parse_ris, to_ris
from papers.citations.styles import (
    DEFAULT_STYLE,
    STYLES,
    BibliographyTooLargeError,
    UnknownLocaleError,
    UnknownStyleError,
    available_styles,
    format_bibliography,
    format_reference,
    page_locale,
)

__all__ = [
    "DEFAULT_STYLE",
    "EXPORT_FORMATS",
    "EXPORT_FORMATS_BY_EXTENSION",
    "ExportFormat",
    "STYLES",
    "BibliographyTooLargeError",
    "ParseError",
    "ParseResult",
    "UnknownLocaleError",
    "UnknownStyleError",
    "available_styles",
    "citation_key",
    "format_bibliography",
    "page_locale",
    "format_reference",
    "parse_bibtex",
    "parse_csl_json",
    "parse_ris",
    "to_bibtex",
    "to_csl_json",
    "to_ris",
]
