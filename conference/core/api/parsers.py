"""The API's parsers: every body they cannot read is a 400 that says why."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, MultiPartParser


class ArchiveJSONParser(JSONParser):
    """DRF's JSON parser, with a clear 400 for JSON nested too deeply to read.

    Python's decoder recurses once per level and gives up with ``RecursionError`` near a
    thousand levels; no record of the archive needs more than a handful.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(
                _(
                    "JSON parse error - the body is nested too deeply to read. "
                    "Records of the archive need only a few levels of objects and lists."
                )
            ) from exc


class ArchiveMultiPartParser(MultiPartParser):
    """DRF's multipart parser, refusing a body that holds no part at all.

    Django reads a malformed multipart body (no part between the boundaries) as an empty form,
    which a PATCH would then answer as a change of nothing; say instead that nothing was read.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        if not parsed.data and not parsed.files:
            raise ParseError(
                _(
                    "Multipart parse error - the body holds no field. Send the record's fields "
                    "as JSON (Content-Type: application/json) or as named form fields."
                )
            )
        return parsed
