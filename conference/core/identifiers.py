"""Scholarly identifiers: ORCID iD, DOI and ROR id; and language tags.

Each identifier has a ``normalize_*`` function (accepts the forms people paste, returns the
canonical stored form or raises ``ValidationError`` saying what is wrong) and a ``*_url``
function for links. python-stdnum checks the ORCID checksum (ISO 7064 MOD 11-2) and the
ROR check digits (ISO 7064 MOD 97-10); DOIs have no checksum, so Crossref's recommended
pattern is the test.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.iso7064 import mod_11_2, mod_97_10

ORCID_PATTERN = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")

# Crossref: https://www.crossref.org/blog/dois-and-matching-regular-expressions/
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Z0-9<>\[\]]+$", re.IGNORECASE)
DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "doi:",
)

# A ROR id is "0", six Crockford base32 characters and two decimal check digits.
ROR_PATTERN = re.compile(r"^0[0-9a-hjkmnp-tv-z]{6}\d{2}$")
ROR_PREFIXES = ("https://ror.org/", "http://ror.org/", "ror.org/")
# BCP 47's shape (RFC 5646 §2.1): a 2–3 letter language, then subtags of 2–8 letters/digits.
LANGUAGE_TAG_PATTERN = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$", re.IGNORECASE)
CROCKFORD_BASE32 = "0123456789abcdefghjkmnpqrstvwxyz"


def _strip_prefix(value, prefixes):
    lowered = value.lower()
    for prefix in prefixes:
        if lowered.startswith(prefix):
            return value[len(prefix) :]
    return value


def normalize_orcid(value):
    """Return an ORCID iD as ``0000-0002-1825-0097``, from a bare iD or its URL."""
    bare = _strip_prefix(value.strip(), ORCID_PREFIXES).upper()
    match = ORCID_PATTERN.match(bare)
    if not match:
        raise ValidationError(
            _(
                "“%(value)s” is not an ORCID iD: it must be 16 digits (the last may be X) "
                "in four groups, such as 0000-0002-1825-0097."
            ),
            code="invalid_orcid",
            params={"value": value},
        )
    try:
        mod_11_2.validate("".join(match.groups()))
    except StdnumValidationError:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid ORCID iD: its check digit does not match. "
                "Copy it again from the person's ORCID record."
            ),
            code="orcid_checksum",
            params={"value": value},
        ) from None
    return "-".join(match.groups())


def orcid_url(orcid):
    return f"https://orcid.org/{orcid}"


def normalize_doi(value):
    """Return a DOI as ``10.3390/admsci13020043``, from a bare DOI, ``doi:`` or a doi.org URL.

    DOIs are case-insensitive; we store them lower-case so that equal DOIs compare equal.
    """
    bare = _strip_prefix(value.strip(), DOI_PREFIXES).strip()
    if not DOI_PATTERN.match(bare):
        raise ValidationError(
            _(
                "“%(value)s” is not a DOI: it must look like 10.3390/admsci13020043 "
                "(a doi: or https://doi.org/ prefix is fine)."
            ),
            code="invalid_doi",
            params={"value": value},
        )
    return bare.lower()


def doi_url(doi):
    return f"https://doi.org/{doi}"


def normalize_ror(value):
    """Return a ROR id as ``016xsfp80``, from a bare id or its URL."""
    bare = _strip_prefix(value.strip(), ROR_PREFIXES).lower()
    if not ROR_PATTERN.match(bare):
        raise ValidationError(
            _(
                "“%(value)s” is not a ROR id: it must be 9 characters starting with 0, "
                "such as 016xsfp80 or https://ror.org/016xsfp80."
            ),
            code="invalid_ror",
            params={"value": value},
        )
    number = 0
    for character in bare[:7]:
        number = number * 32 + CROCKFORD_BASE32.index(character)
    if not mod_97_10.is_valid(f"{number}{bare[7:]}"):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid ROR id: its check digits do not match. "
                "Copy it again from ror.org."
            ),
            code="ror_checksum",
            params={"value": value},
        )
    return bare


def ror_url(ror_id):
    return f"https://ror.org/{ror_id}"


def validate_orcid(value):
    normalize_orcid(value)


def validate_doi(value):
    normalize_doi(value)


def validate_ror(value):
    normalize_ror(value)


# Characters that RFC 3986 never allows in a URI, which Django's URLValidator lets through in
# a path ("https://example.org/<script>"); the API documents web addresses as `format: uri`.
_NOT_IN_URIS = re.compile(r'[\s<>"{}|\\^`]')


def validate_web_address(value):
    """Refuse a web address holding a space or a character no URI may hold unencoded."""
    if match := _NOT_IN_URIS.search(value or ""):
        # Translators: completes "it contains …" in the message below.
        character = _("a space") if match.group().isspace() else repr(match.group())
        raise ValidationError(
            _(
                "Enter a valid web address: it contains %(character)s, which a web address "
                "cannot hold. Write it percent-encoded (such as %%3C for <), or remove it."
            )
            % {"character": character},
            code="invalid",
        )


def normalize_language_tag(value):
    """``pt_br`` or ``PT-BR`` as ``pt-BR``: language lower case, a region upper case."""
    tag = value.strip().replace("_", "-")
    if not LANGUAGE_TAG_PATTERN.match(tag):
        raise ValidationError(
            _("“%(value)s” is not a language tag: use a BCP 47 tag such as en, de or pt-BR.")
            % {"value": value}
        )
    language, *subtags = tag.split("-")
    subtags = [s.upper() if len(s) == 2 else s.title() if len(s) == 4 else s for s in subtags]
    return "-".join([language.lower(), *subtags])


def validate_language_tag(value):
    normalize_language_tag(value)
