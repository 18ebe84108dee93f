"""API plumbing shared by the domains: error shape and permission glue."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, permissions
from rest_framework.views import exception_handler as drf_exception_handler

from concord.accounts import access


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
