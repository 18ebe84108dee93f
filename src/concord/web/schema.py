"""OpenAPI post-processing: every operation documents the errors it can answer, as RFC 9457 problems.

Any operation can refuse bad input (400), a missing or revoked token (401), a role without the
capability (403) or an object the user may not see (404); the schema says so once, here, instead
of each endpoint listing them (Schemathesis flags any status code the schema does not document).
"""

from __future__ import annotations

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "description": "about:blank: the problem means what its HTTP status means."},
        "title": {"type": "string", "description": "The HTTP status phrase."},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong and what to do, for a person."},
        "instance": {"type": "string", "description": "The path of the request."},
        "request_id": {"type": "string", "description": "Also in the X-Request-ID header and the server log."},
        "errors": {
            "type": "object",
            "description": "For invalid input: the messages per field.",
            "additionalProperties": True,
        },
    },
    "required": ["type", "title", "status", "detail", "instance", "request_id"],
}

ERRORS = {
    "400": "The input is invalid: `detail` and `errors` name the field and the reason.",
    "401": "No valid credentials: send `Authorization: Token <key>` or sign in.",
    "403": "Your role does not allow this.",
    "404": "No such object, or one that belongs to an organisation you cannot see.",
    "405": "The method is not allowed on this path.",
    "406": "The requested response format is not available.",
    "415": "The request body's media type is not supported.",
}


def add_problem_responses(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                response = responses.setdefault(status, {"description": description})
                response.setdefault("content", {})["application/problem+json"] = {"schema": reference}
    return result
