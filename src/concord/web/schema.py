"""OpenAPI post-processing: every operation documents the errors it can answer, as RFC 9457 problems.

Any operation can refuse bad input (400), a missing or revoked token (401), a role without the
capability (403) or an object the user may not see (404); the schema says so once, here, instead
of each endpoint listing them (Schemathesis flags any status code the schema does not document).
"""

from __future__ import annotations

from drf_spectacular import openapi
from rest_framework import serializers

from concord.safetext import CONTROL_CLASS, NO_CONTROL_CHARACTERS_PATTERN

#: Text that may not be blank: DRF trims surrounding white space first, so it needs one visible character.
_NOT_BLANK_PATTERN = f"^[^{CONTROL_CLASS}]*[^{CONTROL_CLASS}\\s][^{CONTROL_CLASS}]*$"

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
    "409": "The input is well formed but clashes with what exists (e.g. a code already taken).",
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


def document_text_rules(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry: every text a request body carries says, as a ``pattern``,
    that control characters are refused (every serializer refuses them, concord.web.validators).
    Text that already has a pattern (a code) or a fixed list of values is left as it is."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _text_rules(component)
    return result


def _text_rules(schema) -> None:
    if not isinstance(schema, dict):
        return
    plain = schema.get("type") == "string" and not {"pattern", "enum", "format"} & set(schema)
    if plain:
        schema["pattern"] = _NOT_BLANK_PATTERN if schema.get("minLength", 0) >= 1 else NO_CONTROL_CHARACTERS_PATTERN
    for key in ("properties",):
        for inner in schema.get(key, {}).values():
            _text_rules(inner)
    for key in ("items", "additionalProperties"):
        _text_rules(schema.get(key))
    for key in ("oneOf", "anyOf", "allOf"):
        for inner in schema.get(key, []):
            _text_rules(inner)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, plus what it leaves out: a list that may not be empty (``allow_empty=False``,
    ``min_length``/``max_length`` on a nested ``many=True``) says ``minItems``/``maxItems``, so a client
    (or Schemathesis) is told that ``"criteria": []`` is refused before it is."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        is_list = isinstance(field, serializers.ListSerializer | serializers.ListField)
        if is_list and schema and schema.get("type") == "array":
            low = max(0 if field.allow_empty else 1, getattr(field, "min_length", None) or 0)
            if low:
                schema["minItems"] = max(low, schema.get("minItems", 0))
            high = getattr(field, "max_length", None)
            if high is not None:
                schema["maxItems"] = min(high, schema.get("maxItems", high))
        return schema
