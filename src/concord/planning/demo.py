"""Demo planning data: the events a planner would have entered for the weeks ahead."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from . import services
from .models import PlanningEvent


def build_planning(ctx) -> None:
    """Per program: a marketing mailing next Monday morning (x1.3) and a short outage follow-up (+15 per interval)."""
    zone = ZoneInfo(str(settings.REPORTING_TIMEZONE))
    monday = ctx.today + dt.timedelta(days=7 - ctx.today.weekday())
    made = 0
    for code, program in sorted(ctx.made.get("programs", {}).items()):
        mailing = dt.datetime.combine(monday, dt.time(9), tzinfo=zone)
        services.create_event(
            actor=ctx.actor, program=program, name=f"{code} spring mailing", start=mailing,
            end=mailing + dt.timedelta(hours=4), kind=PlanningEvent.Kind.MULTIPLICATIVE, value=1.3,
        )  # fmt: skip
        outage = dt.datetime.combine(monday + dt.timedelta(days=2), dt.time(14), tzinfo=zone)
        services.create_event(
            actor=ctx.actor, program=program, name=f"{code} billing outage follow-up", start=outage,
            end=outage + dt.timedelta(hours=2), kind=PlanningEvent.Kind.ADDITIVE, value=15,
        )  # fmt: skip
        made += 2
    ctx.progress(f"{made} planning events")
