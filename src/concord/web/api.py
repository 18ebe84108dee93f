"""API plumbing shared by the domains: error shape and permission glue."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, permissions, serializers
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
