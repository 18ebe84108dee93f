"""Demo planning data: the events a planner would have entered for the weeks ahead, a daily forecast
per program made from the demo lake, each provider's share of it, and one partner's answer."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

from django.conf import settings

from concord import periods
from concord.accounts.models import User
from concord.accounts.roles import Role

from . import assignment_selectors, assignment_services, services
from .models import PlanningEvent

#: calendar days the demo forecasts ahead: four weeks, as a partner's start page shows
FORECAST_DAYS = 28


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


def build_forecasts(ctx) -> None:
    """After the events (a forecast applies them) and the scorecards (shares follow last month's volumes)."""
    forecasts = _forecasts_and_shares(ctx)
    ctx.made.setdefault("after_users", []).append(lambda c: _a_partner_commits(c, forecasts))


def _forecasts_and_shares(ctx) -> list:
    """A daily forecast per program from the lake (the same service the planning page calls), shared
    among the providers serving it as they shared last month's contacts (the program's scorecard
    volumes), as a planner starts from the current split."""
    from concord.performance import grain

    last_month = periods.shift(ctx.today.replace(day=1), "month", -1)
    forecasts = []
    for code, program in sorted(ctx.made.get("programs", {}).items()):
        forecast = services.create_forecast(actor=ctx.actor, program=program, grain="D", horizon_days=FORECAST_DAYS)
        report = grain.score(ctx.actor, ctx.made["scorecards"][code], grain="month", period=last_month)
        volumes = {}
        for provider in program.providers.all():
            row = report.row(last_month, provider=provider.code)
            volumes[provider] = row.volume if row else 0
        total = sum(volumes.values()) or 1
        for provider, volume in volumes.items():
            if volume:  # shares rounded down to 0.1%: together never above 100%
                share = math.floor(1000 * volume / total) / 10
                assignment_services.assign_volume(actor=ctx.actor, forecast=forecast, provider=provider, share=share)
        forecasts.append(forecast)
    ctx.progress(f"{len(forecasts)} forecasts shared among the providers serving them")
    return forecasts


def _a_partner_commits(ctx, forecasts) -> None:
    """Atlas's lead answers for Retail Care with the FTE it will staff; the other partners have not yet,
    so their start pages ask for it."""
    atlas = ctx.made["providers"]["ATLAS"]["provider"]
    lead = User.objects.get(provider=atlas, role=Role.PROVIDER_LEAD)
    for forecast in forecasts:
        if forecast.program.code != "RETAIL":
            continue
        assignment = forecast.assignments.filter(provider=atlas).first()
        if assignment is None:
            continue
        week = sorted(assignment_selectors.assigned_days(assignment), key=lambda d: d["day"])[:7]
        contacts_per_day = sum(d["contacts"] for d in week) / max(len(week), 1)
        # the partner's own rough sizing: 7.5 min a contact, 8-hour shifts at 85% occupancy, 30%
        # shrinkage, seven days covered by five-day contracts
        fte = contacts_per_day * 450 / 3600 / (8 * 0.85 * 0.70) * 7 / 5
        assignment_services.commit_capacity(
            actor=lead, assignment=assignment, fte=round(fte, 1),
            note="Sized from 7.5-minute contacts, 85% occupancy and 30% shrinkage; week 2 covered by overtime.",
        )  # fmt: skip
