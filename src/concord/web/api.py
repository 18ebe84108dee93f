"""API plumbing shared by the domains: error shape and permission glue."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, permissions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from concord.accounts import access

from .validators import refuse_control_characters


def exception_handler(exc, context):
    """Django's own errors become DRF errors, so a refusal is a 403/404 JSON, never a 500."""
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


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
