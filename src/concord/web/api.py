"""API plumbing shared by the domains: error shape and permission glue."""

from __future__ import annotations

import logging

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, pagination, permissions, serializers
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
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
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


def _detail(data) -> tuple[str, dict]:
    """DRF's error data as one readable sentence, plus the errors per field (an RFC 9457 extension member)."""
    if isinstance(data, dict) and set(data) == {"detail"}:
        inner = data["detail"]
        return (" ".join(map(str, inner)) if isinstance(inner, list) else str(inner)), {}
    if isinstance(data, list):
        return " ".join(map(str, data)), {}
    if isinstance(data, dict):
        parts = []
        for field, errors in data.items():
            messages = errors if isinstance(errors, list) else [errors]
            text = " ".join(str(m) for m in messages)
            parts.append(text if field in ("detail", "non_field_errors") else f"{field}: {text}")
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


class Serializer(RefuseControlCharacters, serializers.Serializer):
    """The base of every plain serializer."""


class ModelSerializer(RefuseControlCharacters, serializers.ModelSerializer):
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


def seconds(*, minimum: float = 0, **kwargs) -> serializers.FloatField:
    return serializers.FloatField(min_value=minimum, max_value=MAX_SECONDS, **kwargs)


@extend_schema_field({"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": MAX_SECONDS})
class PositiveSecondsField(serializers.FloatField):
    """Seconds that must be more than 0 (an ASA target of 0 is impossible): the schema says so, so
    clients and fuzzers know 0 is refused; the service still names the field when it is sent."""

    def __init__(self, **kwargs):
        super().__init__(max_value=MAX_SECONDS, **kwargs)


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
