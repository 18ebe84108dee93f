"""Reads for accounts, always scoped to the requesting user."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from . import access
from .models import ApiToken, AuditEntry, User
from .roles import Cap


def audit_entries(
    user,
    *,
    actor: str = "",
    object_type: str = "",
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    access.require(user, Cap.VIEW_AUDIT)
    entries = AuditEntry.objects.all()
    if actor:
        entries = entries.filter(actor_name__icontains=actor)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries


def audit_object_types(user) -> list[str]:
    access.require(user, Cap.VIEW_AUDIT)
    return list(AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct())


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def users_visible_to(user) -> QuerySet[User]:
    access.require(user, Cap.MANAGE_USERS)
    return User.objects.select_related("provider").order_by("provider__name", "username")
