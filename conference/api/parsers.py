"""The API's JSON parser: every body it cannot read is a 400 that says why."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


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
                "JSON parse error - the body is nested too deeply to read. "
                "Records of the archive need only a few levels of objects and lists."
            ) from exc
