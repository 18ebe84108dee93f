"""Reads of assigned volume: a provider's people see their own assignments only, the client every one."""

from __future__ import annotations

from concord.accounts import access
from concord.accounts.roles import Cap

from .models import VolumeAssignment
from .selectors import forecast_points
from .services import local_time


def assignments(user):
    access.require(user, Cap.VIEW_ASSIGNED_VOLUME)
    qs = VolumeAssignment.objects.select_related("forecast__program", "provider").prefetch_related("commitments")
    return access.scope(user, qs, "provider")


def assignment(user, pk: int) -> VolumeAssignment:
    return access.get_visible_or_404(user, assignments(user), "provider", pk=pk)


def assigned_days(assignment: VolumeAssignment) -> list[dict]:
    """The provider's part of the forecast in force, per day of the reporting zone: contacts and peak interval."""
    factor = assignment.share / 100.0
    days: dict = {}
    for row in forecast_points(assignment.forecast):
        local = local_time(row["period_start"])
        entry = days.setdefault(local.date(), {"day": local.date(), "contacts": 0.0, "peak": 0.0, "peak_at": local})
        value = row["value"] * factor
        entry["contacts"] += value
        if value > entry["peak"]:
            entry["peak"], entry["peak_at"] = value, local
    return list(days.values())


def commitments_against_plan(user, forecast) -> list[dict]:
    """For the client's forecast page: each provider's assigned share and contacts, and its latest commitment."""
    rows = []
    total = sum(r["value"] for r in forecast_points(forecast))
    for a in assignments(user).filter(forecast=forecast):
        latest = a.commitments.first()
        rows.append({"assignment": a, "contacts": total * a.share / 100.0, "commitment": latest})
    return rows
