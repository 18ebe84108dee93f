"""Reads of drift alerts, always scoped to the requesting user (a partner sees its own provider's).

Governance packs read ``alerts`` for a provider and period.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.providers.models import Provider

from .drift_models import DriftAlert, DriftScan


def alerts(
    *, user, provider: Provider | None = None, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[DriftAlert]:
    """The drift alerts this user may see, newest first: of ``provider`` if given, raised on a day in
    [start, end) if given (local days of the reporting zone)."""
    access.require(user, Cap.VIEW_PERFORMANCE)
    qs = access.scope(user, DriftAlert.objects.select_related("provider", "line__scorecard__program"), "provider")
    if provider is not None:
        qs = qs.filter(provider=provider)
    if start is not None:
        qs = qs.filter(day__gte=start)
    if end is not None:
        qs = qs.filter(day__lt=end)
    return qs.order_by("-day", "provider__name", "pk")


def alert(user, pk: int) -> DriftAlert:
    access.require(user, Cap.VIEW_PERFORMANCE)
    qs = DriftAlert.objects.select_related("provider", "line__scorecard__program")
    return access.get_visible_or_404(user, qs, "provider", pk=pk)


def last_scan() -> DriftScan | None:
    """The latest scan (its day and status are not a partner's data: every page may say when it ran)."""
    return DriftScan.objects.order_by("-created_at", "-pk").first()
