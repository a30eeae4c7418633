"""OAI-PMH 2.0: the six verbs, their arguments and errors, and the response documents.

``respond(arguments, base_url=..., absolute=...)`` takes the request's arguments as a list of
``(name, value)`` pairs (repeated arguments are an error the protocol names) and returns the
response document as bytes. Records come from harvest/records.py, metadata from
harvest/datacite.py and harvest/dublincore.py.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone
from lxml import etree

from harvest import datacite, dublincore, records

NAMESPACE = "http://www.openarchives.org/OAI/2.0/"
SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
IDENTIFIER_NAMESPACE = "http://www.openarchives.org/OAI/2.0/oai-identifier"
IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PAGE_SIZE = 100
DATESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
TOKEN_SALT = "harvest.oai.resumption"

# The oai-identifier scheme's repositoryIdentifier: a domain name.
REPOSITORY_IDENTIFIER = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
# What setSpec and metadataPrefix may hold (OAI-PMH.xsd).
SPEC_PATTERNS = {
    "metadataPrefix": re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$"),
    "set": re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$"),
}


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    work: object
    meeting: object


METADATA_FORMATS = {
    "oai_dc": MetadataFormat(
        "oai_dc",
        dublincore.SCHEMA,
        dublincore.NAMESPACE,
        dublincore.work_dc,
        dublincore.meeting_dc,
    ),
    "oai_datacite": MetadataFormat(
        "oai_datacite",
        datacite.SCHEMA_LOCATION,
        datacite.NAMESPACE,
        datacite.work_resource,
        datacite.meeting_resource,
    ),
}

LIST_ARGUMENTS = ({"metadataPrefix"}, {"from", "until", "set"})
VERBS = {
    # verb: (required arguments, optional arguments); resumptionToken is exclusive.
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "ListIdentifiers": LIST_ARGUMENTS,
    "ListRecords": LIST_ARGUMENTS,
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
RESUMABLE = {"ListSets", "ListIdentifiers", "ListRecords"}


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class OAIErrors(Exception):
    """Several errors at once (e.g. an unknown identifier and an unknown format)."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def repository_identifier():
    """OAI_REPOSITORY_IDENTIFIER, else SITE_URL's host when it is a domain name."""
    if settings.OAI_REPOSITORY_IDENTIFIER:
        return settings.OAI_REPOSITORY_IDENTIFIER
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host if REPOSITORY_IDENTIFIER.match(host) else "archive.localhost"


def admin_email():
    if settings.OAI_ADMIN_EMAIL:
        return settings.OAI_ADMIN_EMAIL
    return f"webmaster@{repository_identifier()}"


def oai_identifier(record):
    return f"oai:{repository_identifier()}:{record.local_identifier}"


def parse_identifier(identifier):
    """``("paper", slug)`` from ``oai:<repository>:paper/<slug>``; raises idDoesNotExist."""
    prefix = f"oai:{repository_identifier()}:"
    kind, _, slug = identifier.removeprefix(prefix).partition("/")
    if not identifier.startswith(prefix) or kind not in {"paper", "meeting"} or not slug:
        raise OAIError(
            "idDoesNotExist",
            f"{identifier!r} is not an identifier of this repository: they have the form "
            f"{prefix}paper/<slug> or {prefix}meeting/<slug>.",
        )
    return kind, slug


def format_datestamp(moment):
    return moment.astimezone(datetime.UTC).strftime(DATESTAMP_FORMAT)


def parse_datestamp(name, value):
    """``(moment, granularity)`` in UTC; ``granularity`` is a day or a second."""
    try:
        if DAY.match(value):
            day = datetime.date.fromisoformat(value)
            moment = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
            return moment, datetime.timedelta(days=1)
        if SECOND.match(value):
            moment = datetime.datetime.strptime(value, DATESTAMP_FORMAT)
            return moment.replace(tzinfo=datetime.UTC), datetime.timedelta(seconds=1)
    except ValueError:
        pass
    raise OAIError(
        "badArgument",
        f"{name}={value!r} is not a UTC datestamp: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.",
    )


def parse_arguments(pairs):
    """The verb and its arguments, checked against what the verb accepts."""
    names = [name for name, _ in pairs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    arguments = dict(pairs)
    verb = arguments.pop("verb", None)
    if "verb" in repeated:
        raise OAIError("badVerb", "The verb argument is repeated: give exactly one verb.")
    if verb is None:
        raise OAIError("badVerb", "The verb argument is missing: add e.g. verb=Identify.")
    if verb not in VERBS:
        raise OAIError(
            "badVerb",
            f"{verb!r} is not an OAI-PMH verb: use one of {', '.join(sorted(VERBS))}.",
        )
    if repeated:
        raise OAIError("badArgument", f"Repeated arguments: {', '.join(repeated)}.")
    for name, pattern in SPEC_PATTERNS.items():
        if name in arguments and not pattern.match(arguments[name]):
            raise OAIError(
                "badArgument",
                f"{name}={arguments[name]!r} has characters OAI-PMH does not allow there.",
            )
    required, optional = VERBS[verb]
    if "resumptionToken" in arguments and verb in RESUMABLE:
        others = sorted(set(arguments) - {"resumptionToken"})
        if others:
            raise OAIError(
                "badArgument",
                "resumptionToken is an exclusive argument: send it alone with the verb, "
                f"without {', '.join(others)}.",
            )
        return verb, arguments
    unknown = sorted(set(arguments) - required - optional)
    if unknown:
        raise OAIError("badArgument", f"{verb} does not take the argument(s) {', '.join(unknown)}.")
    missing = sorted(required - set(arguments))
    if missing:
        raise OAIError("badArgument", f"{verb} needs the argument(s) {', '.join(missing)}.")
    return verb, arguments


def _element(parent, tag, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
    if text is not None:
        element.text = str(text)
    return element


class Response:
    def __init__(self, *, base_url, absolute):
        self.base_url = base_url
        self.absolute = absolute
        self.root = etree.Element(f"{{{NAMESPACE}}}OAI-PMH", nsmap={None: NAMESPACE, "xsi": XSI})
        self.root.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} {SCHEMA}")
        _element(self.root, "responseDate", format_datestamp(timezone.now()))

    def request(self, arguments=None):
        self.request_element = _element(self.root, "request", self.base_url, **(arguments or {}))

    def errors(self, errors):
        if any(error.code in {"badVerb", "badArgument"} for error in errors):
            # The protocol's rule: bad arguments are not echoed in the request element.
            self.request_element.attrib.clear()
        for error in errors:
            _element(self.root, "error", error.message, code=error.code)

    def to_bytes(self):
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")


def respond(pairs, *, base_url, absolute):
    response = Response(base_url=base_url, absolute=absolute)
    try:
        verb, arguments = parse_arguments(pairs)
    except OAIError as error:
        response.request()
        response.errors([error])
        return response.to_bytes()
    response.request(dict(pairs))
    try:
        handler = HANDLERS[verb]
        handler(response, verb, arguments)
    except OAIError as error:
        response.errors([error])
    except OAIErrors as errors:
        response.errors(errors.errors)
    return response.to_bytes()


def _metadata_format(prefix):
    if prefix not in METADATA_FORMATS:
        raise OAIError(
            "cannotDisseminateFormat",
            f"{prefix!r} is not a metadata format of this repository: use "
            f"{' or '.join(METADATA_FORMATS)}.",
        )
    return METADATA_FORMATS[prefix]


def identify(response, verb, arguments):
    node = _element(response.root, "Identify")
    _element(node, "repositoryName", settings.SITE_NAME)
    _element(node, "baseURL", response.base_url)
    _element(node, "protocolVersion", "2.0")
    _element(node, "adminEmail", admin_email())
    earliest = records.earliest_datestamp() or timezone.now()
    _element(node, "earliestDatestamp", format_datestamp(earliest))
    # The edit history keeps deletions, but it can be pruned: "transient" is the honest word.
    _element(node, "deletedRecord", "transient")
    _element(node, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    description = _element(node, "description")
    identifier = etree.SubElement(
        description,
        f"{{{IDENTIFIER_NAMESPACE}}}oai-identifier",
        nsmap={None: IDENTIFIER_NAMESPACE},
    )
    identifier.set(f"{{{XSI}}}schemaLocation", f"{IDENTIFIER_NAMESPACE} {IDENTIFIER_SCHEMA}")
    for tag, text in (
        ("scheme", "oai"),
        ("repositoryIdentifier", repository_identifier()),
        ("delimiter", ":"),
        ("sampleIdentifier", f"oai:{repository_identifier()}:paper/a-work-slug"),
    ):
        etree.SubElement(identifier, f"{{{IDENTIFIER_NAMESPACE}}}{tag}").text = text


def list_metadata_formats(response, verb, arguments):
    if "identifier" in arguments:
        kind, slug = parse_identifier(arguments["identifier"])
        if records.get(kind, slug, with_metadata=False) is None:
            raise OAIError("idDoesNotExist", f"No record has the identifier {slug!r}.")
    node = _element(response.root, "ListMetadataFormats")
    for metadata_format in METADATA_FORMATS.values():
        entry = _element(node, "metadataFormat")
        _element(entry, "metadataPrefix", metadata_format.prefix)
        _element(entry, "schema", metadata_format.schema)
        _element(entry, "metadataNamespace", metadata_format.namespace)


def list_sets(response, verb, arguments):
    if "resumptionToken" in arguments:
        raise OAIError(
            "badResumptionToken",
            "ListSets sends the complete list at once: this repository issued no token for it.",
        )
    sets = records.all_sets()
    if not sets:
        raise OAIError("noSetHierarchy", "There are no meeting series yet, so no sets.")
    node = _element(response.root, "ListSets")
    for spec, name in sets:
        entry = _element(node, "set")
        _element(entry, "setSpec", spec)
        _element(entry, "setName", name)


def _header(parent, record):
    attributes = {"status": "deleted"} if record.deleted else {}
    header = _element(parent, "header", **attributes)
    _element(header, "identifier", oai_identifier(record))
    _element(header, "datestamp", format_datestamp(record.datestamp))
    for spec in record.sets:
        _element(header, "setSpec", spec)
    return header


def _record(parent, record, metadata_format, absolute):
    node = _element(parent, "record")
    _header(node, record)
    if not record.deleted:
        build = metadata_format.work if record.kind_name == "paper" else metadata_format.meeting
        _element(node, "metadata").append(build(record.obj, absolute=absolute))


@dataclass(frozen=True)
class ListRequest:
    prefix: str
    selection: records.Selection
    position: records.Position | None = None
    cursor: int = 0
    complete_size: int | None = None

    def token(self, position, cursor):
        selection = self.selection
        return signing.dumps(
            {
                "m": self.prefix,
                "f": selection.start.isoformat() if selection.start else None,
                "u": selection.end.isoformat() if selection.end else None,
                "s": selection.set_spec,
                "d": position.datestamp.isoformat(),
                "k": position.kind,
                "l": position.slug,
                "c": cursor,
                "n": self.complete_size,
            },
            salt=TOKEN_SALT,
            compress=True,
        )

    @classmethod
    def from_token(cls, token):
        try:
            data = signing.loads(token, salt=TOKEN_SALT)
            moment = datetime.datetime.fromisoformat
            return cls(
                prefix=data["m"],
                selection=records.Selection(
                    start=moment(data["f"]) if data["f"] else None,
                    end=moment(data["u"]) if data["u"] else None,
                    set_spec=data["s"],
                ),
                position=records.Position(moment(data["d"]), data["k"], data["l"]),
                cursor=data["c"],
                complete_size=data["n"],
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
            raise OAIError(
                "badResumptionToken",
                "This resumptionToken is not one this repository issued (or it was altered): "
                "start the list again without it.",
            ) from error

    @classmethod
    def from_arguments(cls, arguments):
        prefix = arguments["metadataPrefix"]
        start = end = None
        granularities = set()
        if "from" in arguments:
            start, granularity = parse_datestamp("from", arguments["from"])
            granularities.add(granularity)
        if "until" in arguments:
            until, granularity = parse_datestamp("until", arguments["until"])
            granularities.add(granularity)
            # until is inclusive at its granularity: the whole day or the whole second.
            end = until + granularity
        if len(granularities) > 1:
            raise OAIError(
                "badArgument", "from and until must have the same granularity (day or second)."
            )
        if start is not None and end is not None and start >= end:
            raise OAIError("badArgument", "from is later than until: swap them.")
        selection = records.Selection(start=start, end=end, set_spec=arguments.get("set", ""))
        return cls(prefix=prefix, selection=selection)


def list_records(response, verb, arguments):
    if "resumptionToken" in arguments:
        request = ListRequest.from_token(arguments["resumptionToken"])
    else:
        request = ListRequest.from_arguments(arguments)
        if request.selection.set_spec and not records.has_sets():
            raise OAIError("noSetHierarchy", "There are no meeting series yet, so no sets.")
    metadata_format = _metadata_format(request.prefix)
    try:
        request.selection.check_set()
    except records.SetDoesNotExist as error:
        raise OAIError(
            "noRecordsMatch", f"There is no set {request.selection.set_spec!r}: see ListSets."
        ) from error
    complete_size = request.complete_size
    if complete_size is None:
        complete_size = records.count(request.selection)
        request = ListRequest(
            prefix=request.prefix, selection=request.selection, complete_size=complete_size
        )
    with_metadata = verb == "ListRecords"
    page, last, more = records.page(
        request.selection, request.position, PAGE_SIZE, with_metadata=with_metadata
    )
    if not page:
        # Also when the rest of a list vanished, history and all, between two pages: the
        # protocol has no empty list.
        raise OAIError("noRecordsMatch", "No records match these arguments.")
    node = _element(response.root, verb)
    for record in page:
        if with_metadata:
            _record(node, record, metadata_format, response.absolute)
        else:
            _header(node, record)
    if request.position is not None or more:
        # The last page carries an empty token, as the protocol asks.
        _element(
            node,
            "resumptionToken",
            request.token(last, request.cursor + len(page)) if more else None,
            completeListSize=str(complete_size),
            cursor=str(request.cursor),
        )


def get_record(response, verb, arguments):
    errors = []
    metadata_format = None
    try:
        metadata_format = _metadata_format(arguments["metadataPrefix"])
    except OAIError as error:
        errors.append(error)
    record = None
    try:
        kind, slug = parse_identifier(arguments["identifier"])
        record = records.get(kind, slug)
        if record is None:
            raise OAIError(
                "idDoesNotExist", f"No record has the identifier {arguments['identifier']!r}."
            )
    except OAIError as error:
        errors.append(error)
    if errors:
        raise OAIErrors(errors)
    node = _element(response.root, "GetRecord")
    _record(node, record, metadata_format, response.absolute)


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "ListIdentifiers": list_records,
    "ListRecords": list_records,
    "GetRecord": get_record,
}
