"""The API's error answers in its OpenAPI schema.

drf-spectacular documents what a view answers when all goes well. The errors come from
machinery every viewset shares (validation, pagination, lookups by slug, permissions,
throttling, ``If-Match``, protected deletes in ``conference.core.api.exceptions``), so they are
added here once, per kind of operation, as a postprocessing hook.
"""

ERROR_SCHEMAS = {
    "ErrorDetail": {
        "type": "object",
        "description": "Why the request was refused.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationErrors": {
        "type": "object",
        "description": (
            "Messages keyed by the field they are about (`non_field_errors` for the record as "
            "a whole); a list field such as `authors` has one entry per item. A body that is "
            "not valid JSON answers `detail`."
        ),
        "additionalProperties": {},
    },
    "DeleteConflict": {
        "type": "object",
        "description": "Why the record cannot be deleted, and what still refers to it.",
        "properties": {
            "detail": {"type": "string"},
            "referenced_by": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string"},
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                    },
                    "required": ["type", "id", "name"],
                },
            },
        },
        "required": ["detail"],
    },
}

ERRORS = {
    "400": ("Invalid input: the messages say what to change.", "ValidationErrors"),
    "401": ("No valid token: send `Authorization: Token <key>`.", "ErrorDetail"),
    "403": (
        "The token's user is not a member of the Organizers group (nor a superuser), or may "
        "not change this kind of record.",
        "ErrorDetail",
    ),
    "404": ("There is no such record, or no such page of results.", "ErrorDetail"),
    "409": (
        "Other records still refer to this one, or a record saved at the same time conflicts.",
        "DeleteConflict",
    ),
    "412": (
        "The record changed since it was read (`If-Match`); nothing was changed.",
        "ErrorDetail",
    ),
    "413": ("The body is larger than the API reads (5 MB by default).", "ErrorDetail"),
    "414": (
        "The address is too long: gunicorn, in front of the API, refuses a request line over "
        "4,094 bytes with its own HTML page.",
        None,
    ),
    "415": ("The body is not in a format the API reads (JSON, form data).", "ErrorDetail"),
    "429": ("Too many requests: wait the seconds in `Retry-After`.", "ErrorDetail"),
}


def error_codes(path, method):
    """The error statuses an operation of the archive's viewsets can answer."""
    is_detail = "{" in path
    codes = {"414", "429"}
    if method == "get":
        # A list refuses bad filters and page sizes and has no page past the last one.
        codes |= {"404"} | (set() if is_detail else {"400"})
        return codes
    codes |= {"401", "403", "409"}
    if is_detail:
        codes.add("404")
    if method in ("post", "put", "patch"):
        codes |= {"400", "413", "415"}
    if method in ("put", "patch", "delete") and is_detail:
        codes.add("412")
    return codes


IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": (
        "The `ETag` of the record as you last read it (a GET answers it): the change or "
        "delete is carried out only if the record still has that tag, else the answer is 412 "
        "and nothing changes. Without the header (or with `*`) it is carried out whatever "
        "the record's state."
    ),
}


def negotiated_media_types(responses):
    """The non-JSON formats (citations) an operation answers by ``Accept`` or ``?format=``."""
    return sorted(
        {
            media_type
            for code, response in responses.items()
            if code.startswith("2")
            for media_type in response.get("content", {})
            if media_type != "application/json"
        }
    )


def document_error_responses(result, generator, request, public):
    """Adds the error answers every archive operation can give: JSON (also for CSL-JSON), or
    plain text in the citation format the client asked for (papers/api/renderers.py)."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if "412" in error_codes(path, method):
                operation.setdefault("parameters", []).append(IF_MATCH)
            as_text = negotiated_media_types(responses)
            for code in sorted(error_codes(path, method)):
                description, component = ERRORS[code]
                if component is None:
                    content = {"text/html": {"schema": {"type": "string"}}}
                    responses.setdefault(code, {"content": content, "description": description})
                    continue
                as_json = {"schema": {"$ref": f"#/components/schemas/{component}"}}
                content = {"application/json": as_json}
                # CSL-JSON is JSON, so its errors are the JSON error body; the other citation
                # formats answer plain text lines.
                content.update(
                    {
                        media_type: as_json
                        if media_type.endswith("+json")
                        else {"schema": {"type": "string"}}
                        for media_type in as_text
                    }
                )
                responses.setdefault(code, {"content": content, "description": description})
    return result


def document_links(result, generator, request, public):
    """OpenAPI links from each create to the reads, changes and delete of what it created:
    the record's address is its slug (a presentation's, its id) from the answer's body.
    Clients and schemathesis' stateful phase follow them."""
    paths = result.get("paths", {})
    for path, operations in paths.items():
        created = operations.get("post", {}).get("responses", {}).get("201")
        if "{" in path or created is None:
            continue
        for parameter in ("slug", "id"):
            detail = paths.get(f"{path}{{{parameter}}}/")
            if detail:
                break
        else:
            continue
        created["links"] = {
            f"{method.upper()}{path.strip('/').split('/')[-1].title()}": {
                "operationId": operation["operationId"],
                "parameters": {parameter: f"$response.body#/{parameter}"},
            }
            for method, operation in detail.items()
        }
    return result


# ``?format=`` is the one query parameter whose empty value is refused (404, as any unknown
# format: conference/core/api/negotiation.py).
REFUSES_EMPTY_VALUE = frozenset({"format"})


def document_empty_query_values(result, generator, request, public):
    """Says what the API does with an empty query parameter (``?page=``, ``?type=``, as an HTML
    form such as the browsable API's filters sends them): the same as leaving it out. A client
    or a fuzzer reading the schema then knows an empty value is accepted, not an error."""
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") == "query" and parameter["name"] not in REFUSES_EMPTY_VALUE:
                    parameter["allowEmptyValue"] = True
    return result
