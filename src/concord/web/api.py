"""API plumbing shared by the domains: error shape and permission glue."""

from __future__ import annotations

import logging
from zoneinfo import available_timezones

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, pagination, permissions, serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from concord.accounts import access

from .problems import PROBLEM_JSON, current_request_id, problem
from .validators import refuse_control_characters

log = logging.getLogger(__name__)


def exception_handler(exc, context):
    """Every API error is an RFC 9457 problem (JSON) carrying the request id; a crash is a logged 500, never HTML.

    Django's own errors become DRF's first, so a refusal is a 403/404, never a 500.
    """
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, exceptions.ValidationError):
        exc = _refined(exc)
    request = context.get("request")
    instance = request.path if request is not None else ""
    response = drf_exception_handler(exc, context)
    if response is None:
        log.error("API request failed (request %s)", current_request_id(), exc_info=exc)
        body = problem(
            500,
            "Something went wrong on our side; the error has been logged. "
            f"Quote request id {current_request_id()} to your Concord administrator.",
            instance=instance,
        )
        return Response(body, status=500, content_type=PROBLEM_JSON)
    detail, extra = _detail(response.data)
    response.data = problem(response.status_code, detail, instance=instance, **extra)
    response.content_type = PROBLEM_JSON
    return response


#: DRF's error codes for a related id or code that matches nothing the caller may see
UNKNOWN_REFERENCE_CODES = {"does_not_exist", "unknown_reference"}


class UnknownReference(exceptions.APIException):
    """A body names an object (by id or code) that does not exist or that the caller may not see: a 404,
    like the object's own URL would answer, with the same ``errors`` per field as any invalid input.
    The answer is the same for "someone else's" and "no such", so it says nothing about other partners."""

    status_code = 404
    default_code = "unknown_reference"

    def __init__(self, detail):
        self.detail = detail


#: DRF's and Django's codes for a value that is well formed but already taken (a provider code, a site code)
CONFLICT_CODES = {"unique", "unique_together", "conflict"}


class Conflict(exceptions.APIException):
    """Well-formed input that clashes with what exists (a code already taken): 409, with the field errors."""

    status_code = 409
    default_code = "conflict"

    def __init__(self, detail):
        self.detail = detail


def _codes(codes) -> set[str]:
    if isinstance(codes, dict):
        return set().union(*map(_codes, codes.values())) if codes else {""}
    if isinstance(codes, list):
        return set().union(*map(_codes, codes)) if codes else {""}
    return {codes}


def _refined(exc: exceptions.ValidationError) -> exceptions.APIException:
    """Invalid input is a 400, unless every reason is "no such object" (404) or "already taken" (409):
    input that matches the schema is then refused the way the schema documents for its kind."""
    codes = _codes(exc.get_codes())
    if codes <= UNKNOWN_REFERENCE_CODES:
        return UnknownReference(exc.detail)
    if codes <= CONFLICT_CODES:
        return Conflict(exc.detail)
    if codes <= UNKNOWN_REFERENCE_CODES | CONFLICT_CODES:
        return UnknownReference(exc.detail)
    return exc


def _django_errors(exc: ValidationError) -> dict:
    """Django's errors per field as DRF's, keeping each error's code ("unique", "invalid", ...)."""

    def details(errors) -> list:
        return [ErrorDetail(message, code=error.code or "invalid") for error in errors for message in error]

    if hasattr(exc, "error_dict"):
        return {field: details(errors) for field, errors in exc.error_dict.items()}
    return {"detail": details(exc.error_list)}


def _flat_errors(errors, where: str = "") -> list[tuple[str, str]]:
    """Nested field errors as (path, messages): ``sections[1].criteria[1].weight`` counts from 1, as people do."""
    if isinstance(errors, dict):
        paths = ((_path(where, key), inner) for key, inner in errors.items())
        return [pair for path, inner in paths for pair in _flat_errors(inner, path)]
    if isinstance(errors, list) and any(isinstance(e, dict | list) for e in errors):
        items = ((f"{where}[{n}]", inner) for n, inner in enumerate(errors, start=1) if inner)
        return [pair for path, inner in items for pair in _flat_errors(inner, path)]
    messages = errors if isinstance(errors, list) else [errors]
    return [(where, " ".join(str(m) for m in messages))]


def _path(where: str, key) -> str:
    if isinstance(key, int) or (isinstance(key, str) and key.isdecimal()):  # DRF keys a list's errors by index
        return f"{where}[{int(key) + 1}]"
    return f"{where}.{key}" if where else str(key)


def _detail(data) -> tuple[str, dict]:
    """DRF's error data as one readable sentence, plus the errors per field (an RFC 9457 extension member)."""
    if isinstance(data, dict) and set(data) == {"detail"}:
        inner = data["detail"]
        return (" ".join(map(str, inner)) if isinstance(inner, list) else str(inner)), {}
    if isinstance(data, list):
        return " ".join(map(str, data)), {}
    if isinstance(data, dict):
        parts = []
        for where, text in _flat_errors(data):
            parts.append(text if where in ("detail", "non_field_errors") else f"{where}: {text}")
        return "; ".join(parts), {"errors": data}
    return str(data), {}


def capability(cap):
    """A DRF permission class requiring one capability (checked before any lookup)."""

    class HasCapability(permissions.BasePermission):
        message = f"Your role does not allow this ({cap.value.replace('_', ' ')})."

        def has_permission(self, request, view):
            return access.can(request.user, cap)

    HasCapability.__name__ = f"Has_{cap.value}"
    return HasCapability


class RefuseControlCharacters:
    """Mixin for every serializer: each writable text field refuses control characters (a 400 naming the field)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            text = isinstance(field, serializers.CharField) and not field.read_only
            if text and refuse_control_characters not in field.validators:
                field.validators = [*field.validators, refuse_control_characters]
        return fields


class StrictJsonTypes:
    """Mixin for every serializer: a JSON body's values must have the type the schema documents.

    DRF coerces by default (``"12"`` for an integer, ``false`` for a number, ``{}`` for a list of ids,
    ``5`` for a text); the OpenAPI schema promises the strict JSON types, so the API keeps that promise
    and names the field. Form-encoded input (the browsable pages) stays DRF's.
    """

    def to_internal_value(self, data):
        if isinstance(data, dict) and not isinstance(data, QueryDict):
            errors = {}
            for field in self.fields.values():
                if field.read_only or field.field_name not in data:
                    continue
                expected = json_type_error(field, data[field.field_name])
                if expected:
                    errors[field.field_name] = [f"Send {expected}."]
            if errors:
                raise exceptions.ValidationError(errors, code="invalid_type")
        return super().to_internal_value(data)


def json_type_error(field, value) -> str | None:
    """What ``field`` takes, in words, when ``value`` is not of that JSON type; None when it is."""
    if value is None:
        return None  # null is the field's own rule (allow_null)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(field, serializers.IntegerField) or _is_id_field(field):
        return None if isinstance(value, int) and not isinstance(value, bool) else "a whole number"
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return None if number else "a number"
    if isinstance(field, serializers.ChoiceField) and not isinstance(field, serializers.MultipleChoiceField):
        kinds = {type(key) for key in field.choices}
        return None if type(value) in kinds or (str in kinds and isinstance(value, str)) else "one of the listed values"
    if isinstance(field, serializers.CharField | serializers.DateField | serializers.DateTimeField):
        return None if isinstance(value, str) else "text"
    if isinstance(field, serializers.SlugRelatedField):
        return None if isinstance(value, str) else "text (a code)"
    if isinstance(field, serializers.ListField | serializers.ListSerializer | serializers.ManyRelatedField):
        if not isinstance(value, list):
            return "a list"
        child = getattr(field, "child", None) or getattr(field, "child_relation", None)
        wrong = next((e for e in (json_type_error(child, v) for v in value) if e), None) if child else None
        return f"a list whose items are each {wrong}" if wrong else None
    if isinstance(field, serializers.DictField | serializers.Serializer):
        return None if isinstance(value, dict) else "an object"
    return None


def _is_id_field(field) -> bool:
    if not isinstance(field, serializers.PrimaryKeyRelatedField):
        return False
    queryset = field.get_queryset() if field.queryset is not None else None
    return queryset is None or queryset.model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"}


class Serializer(StrictJsonTypes, RefuseControlCharacters, serializers.Serializer):
    """The base of every plain serializer."""


class ModelSerializer(StrictJsonTypes, RefuseControlCharacters, serializers.ModelSerializer):
    """The base of every model serializer."""


class IdFilter(django_filters.NumberFilter):
    """A related object's id in a query string: a whole number, and an unknown one simply matches nothing."""

    field_class = forms.IntegerField


class IdFilterSet(django_filters.rest_framework.FilterSet):
    """``?provider=<id>``: an id that does not exist (or is not yours) is an empty list, not a 400 that says
    whether it exists, and the schema documents it as the integer it is."""

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        if isinstance(field, models.ForeignKey) and lookup_type == "exact":
            return IdFilter, {}
        return super().filter_for_lookup(field, lookup_type)


class FilterBackend(DjangoFilterBackend):
    filterset_base = IdFilterSet


#: Plausible bounds per kind of number an API or form takes: a value outside is a typo or an attack,
#: refused with a 400 naming the field (1e308 seconds used to be accepted).
MAX_SECONDS = 86_400  # a day: no handle time, wait or patience is longer
MAX_MINUTES = 1_440
MAX_COUNT = 10_000_000  # contacts in one interval, agents, rows
MAX_AGENTS = 100_000


#: Response schema of a list endpoint returning a bare JSON array of objects (no pagination envelope).
LIST_OF_OBJECTS = {"type": "array", "items": {"type": "object", "additionalProperties": True}}


TIME_ZONES = sorted(available_timezones())


class TimeZoneField(serializers.ChoiceField):
    """An IANA time zone name; the schema lists them, so a client (or a fuzzer) knows which are valid."""

    default_error_messages = {"invalid_choice": "{input!r} is not an IANA time zone such as Europe/Madrid."}

    def __init__(self, **kwargs):
        super().__init__(choices=TIME_ZONES, **kwargs)


def seconds(*, minimum: float = 0, **kwargs) -> serializers.FloatField:
    return serializers.FloatField(min_value=minimum, max_value=MAX_SECONDS, **kwargs)


@extend_schema_field({"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": MAX_SECONDS})
class PositiveSecondsField(serializers.FloatField):
    """Seconds that must be more than 0 (an ASA target of 0 is impossible): the schema says so, so
    clients and fuzzers know 0 is refused; the service still names the field when it is sent."""

    def __init__(self, **kwargs):
        super().__init__(max_value=MAX_SECONDS, **kwargs)


def percent(*, zero_ok: bool = False, below_hundred: bool = False, **kwargs) -> serializers.FloatField:
    """A percentage (80 means 80%) up to 100, as the staffing engine takes it: 0 only when ``zero_ok``, and
    never between 0 and 1 (0.8 is a share typed where a percentage is asked; the engine says to type 80).
    The schema says exactly that, so a client knows 0.5 or 0% is refused before it is sent. The values are
    judged by the engine, which names the field and says what to type (a 400, as documented)."""
    top = {"maximum": 100, "exclusiveMaximum": True} if below_hundred else {"maximum": 100}
    schema: dict = {"type": "number", "minimum": 1, **top}
    if zero_ok:
        schema = {"anyOf": [{"type": "number", "enum": [0]}, schema]}
    if kwargs.get("allow_null"):
        schema = {**schema, "nullable": True}
    field_class = extend_schema_field(schema)(type("PercentField", (serializers.FloatField,), {}))
    return field_class(**kwargs)


def count(*, minimum: float = 0, maximum: float = MAX_COUNT, **kwargs) -> serializers.FloatField:
    return serializers.FloatField(min_value=minimum, max_value=maximum, **kwargs)


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages count from 1; a page past the end (or 0) is a documented 404 problem."""

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters
