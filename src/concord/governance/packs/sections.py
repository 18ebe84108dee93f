"""The pack's sections, in order: one registry entry each (see the package docstring).

The drift section reads ``concord.performance.drift_selectors.alerts(*, user, provider, start, end)``
(built by the drift work: alerts of that provider raised in [start, end); each row shown by its
``__str__``, linked by ``get_absolute_url`` when it has one) and says "no drift alerts" while that
module does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from concord import periods
from concord.metrics.query import MetricRequest

from .context import PackContext

#: periods on a trend chart, per grain; a quarter's trend of five reaches the same quarter last year, so
#: a strategic pack reads each card once (the costliest part of a cold pack)
TREND_PERIODS = {"day": 7, "week": 8, "month": 6, "quarter": 5}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    build: Callable[[PackContext], dict]

    @property
    def template(self) -> str:
        return f"governance/sections/{self.key}.html"


def _num(v) -> float | None:
    return None if v is None or v.value is None else round(float(v.value), 4)


# --- scorecard: the period against the previous one and the same period last year -----------------


def scorecard(ctx: PackContext) -> dict:
    from concord.performance import charts, grain, selectors

    cards = [c for c in selectors.scorecards(ctx.user) if c.program in ctx.programs()]
    out, figures = [], {}
    for card in cards:
        if card.program not in ctx.provider.programs.all():
            continue
        n = TREND_PERIODS[ctx.grain]
        trend = grain.score(ctx.user, card, grain=ctx.grain, period=ctx.period_start, periods=n, provider=ctx.provider)
        ly = trend
        if ctx.last_year < grain.periods_to(ctx.period_start, ctx.grain, n)[0]:
            ly = grain.score(ctx.user, card, grain=ctx.grain, period=ctx.last_year, provider=ctx.provider)
        ctx.read(trend.versions)
        ctx.read(ly.versions)
        code = ctx.provider.code
        now, prev, last = (
            trend.row(ctx.period_start, provider=code),
            trend.row(ctx.previous, provider=code),
            ly.row(ctx.last_year, provider=code),
        )
        lines = []
        for i, ln in enumerate(trend.lines):
            cur = now.lines[i].value if now else None
            row = {
                "label": ln.label,
                "unit": ln.unit,
                "target": ln.target,
                "better": ln.metric.direction.kind,
                "value": _num(cur),
                "volume": cur.volume if cur else 0,
                "too_little_volume": bool(cur and cur.too_little_volume),
                "previous": _num(prev.lines[i].value) if prev else None,
                "last_year": _num(last.lines[i].value) if last else None,
            }
            row["key"] = f"{card.pk}:{ln.alias}"
            figures[row["key"]] = row["value"]
            lines.append(row)
        index = {
            k: (r.index.index if r and r.index.index is not None else None)
            for k, r in (("value", now), ("previous", prev), ("last_year", last))
        }
        figures[f"{card.pk}:index"] = index["value"]
        points = []
        for p in grain.periods_to(ctx.period_start, ctx.grain, n):
            r = trend.row(p, provider=code)
            if r is not None and r.index.index is not None:
                points.append({"month": p.isoformat(), "value": round(r.index.index, 2), "volume": r.volume})
        chart_id = f"scorecard-{card.pk}"
        ctx.charts[chart_id] = charts.metric_trend(
            points,
            label="Index (0-100)",
            target=None,
            band=None,
            grain=ctx.grain if ctx.grain != "day" else "week",
            unit="score",
        )
        out.append(
            {
                "card": card.name,
                "program": card.program.code,
                "index": index,
                "lines": lines,
                "index_key": f"{card.pk}:index",
                "chart": chart_id,
                "notes": trend.notes,
            }
        )
    return {
        "cards": out,
        "figures": figures,
        "periods": {
            "value": ctx.label,
            "previous": periods.label(ctx.previous, ctx.grain),
            "last_year": periods.label(ctx.last_year, ctx.grain),
        },
    }


# --- SLA results and credits -------------------------------------------------------------------------


def _months(ctx: PackContext) -> list[dt.date]:
    first = ctx.period_start.replace(day=1)
    return periods.periods_between(first, ctx.end, "month") or [first]


def sla(ctx: PackContext) -> dict:
    from concord.contracts.models import SLAResult, Statement

    months = _months(ctx)
    results = (
        SLAResult.objects.filter(sla__contract__provider=ctx.provider, period__in=months)
        .select_related("sla__contract")
        .order_by("period", "sla__contract__name", "sla__position")
    )
    rows = [
        {
            "contract": r.sla.contract.name,
            "sla": r.sla.name,
            "month": r.period.isoformat(),
            "status": r.status,
            "value": r.value,
            "target": float(r.sla.target),
            "target_text": r.sla.target_text,
            "unit": r.sla.unit,
            "comparator": r.sla.comparator,
            "comparator_text": r.sla.get_comparator_display(),
            "volume": r.volume,
            "credit": str(r.credit),
            "currency": r.sla.contract.currency,
            "provisional": r.provisional,
        }
        for r in results
    ]
    statements = [
        {
            "contract": s.contract.name,
            "month": s.period.isoformat(),
            "status": s.get_status_display(),
            "credit": s.totals.get("credit"),
            "net": s.totals.get("net"),
            "currency": s.totals.get("currency"),
        }
        for s in Statement.objects.filter(contract__provider=ctx.provider, period__in=months).select_related("contract")
    ]
    for r in rows:
        r["key"] = f"{r['contract']}:{r['sla']}:{r['month']}"
    figures = {r["key"]: r["value"] for r in rows}
    return {
        "rows": rows,
        "statements": statements,
        "figures": figures,
        "months": [periods.label(m, "month") for m in months],
    }


# --- attrition and headcount -----------------------------------------------------------------------


def people(ctx: PackContext) -> dict:
    from concord.performance import cache

    last = ctx.period_start.replace(day=1)
    first = periods.shift(last, "month", -(TREND_PERIODS["month"] - 1))
    request = MetricRequest(
        metrics=["attrition", "headcount"],
        start=first,
        end=ctx.end,
        timezone=settings.REPORTING_TIMEZONE,
        grain="month",
        group_by=("provider",),
        filters={"provider": [ctx.provider.code]},
    )
    result = cache.run(request, ctx.lake())
    ctx.read(result.versions)
    rows = [
        {
            "month": r.period_start.isoformat(),
            "attrition": _num(r.values["attrition"]),
            "headcount": _num(r.values["headcount"]),
        }
        for r in sorted(result.rows, key=lambda r: r.period_start)
    ]
    points = [{"month": r["month"], "value": r["attrition"], "volume": r["headcount"]} for r in rows if r["attrition"]]
    if points:
        from concord.performance import charts

        ctx.charts["attrition"] = charts.metric_trend(
            points, label="Attrition, annualised", target=None, band=None, grain="month", unit="percent"
        )
    figures = {f"attrition:{r['month']}": r["attrition"] for r in rows} | {
        f"headcount:{r['month']}": r["headcount"] for r in rows
    }
    return {"rows": rows, "figures": figures, "chart": "attrition" if points else None}


# --- forecast against actuals ------------------------------------------------------------------------


def forecast(ctx: PackContext) -> dict:
    from concord.performance import cache
    from concord.planning.models import Forecast

    lo, hi = periods.utc_bounds(ctx.period_start, ctx.grain, settings.REPORTING_TIMEZONE)
    rows = []
    for program in ctx.programs():
        fc = (
            Forecast.objects.filter(
                program=program,
                status=Forecast.Status.SUCCEEDED,
                points__period_start__gte=lo,
                points__period_start__lt=hi,
            )
            .order_by("-version")
            .first()
        )
        if fc is None:
            continue
        planned = sum(p.value for p in fc.points.filter(period_start__gte=lo, period_start__lt=hi))
        request = MetricRequest(
            metrics=["contacts_offered"],
            start=ctx.period_start,
            end=ctx.end,
            timezone=settings.REPORTING_TIMEZONE,
            group_by=("provider",),
            filters={"program": [program.code]},
        )
        result = cache.run(request, ctx.lake())
        ctx.read(result.versions)
        total = sum((r.values["contacts_offered"].value or 0) for r in result.rows)
        own = sum(
            (r.values["contacts_offered"].value or 0)
            for r in result.rows
            if r.dimensions.get("provider") == ctx.provider.code
        )
        rows.append(
            {
                "program": program.code,
                "forecast": f"v{fc.version}",
                "planned": round(planned, 1),
                "actual": total,
                "error_percent": round(100 * (total - planned) / planned, 1) if planned else None,
                "provider_actual": own,
            }
        )
    return {"rows": rows, "figures": {f"actual:{r['program']}": r["actual"] for r in rows}}


# --- open actions and escalations ----------------------------------------------------------------


def follow_up(ctx: PackContext) -> dict:
    """Actions and escalations open at ``ctx.as_of`` (the close, for a pack frozen at it), each as it stood
    then: an action closed after the meeting still reads open in that meeting's pack."""
    from django.db.models import Q

    from ..models import Action, Escalation

    at = ctx.as_of
    local = timezone.localtime(at, periods.zone(settings.REPORTING_TIMEZONE))
    day = local.date()
    actions = (
        Action.objects.filter(provider=ctx.provider, created_at__lte=at)
        .filter(Q(closed_at__isnull=True, status__in=["open", "in_progress"]) | Q(closed_at__gt=at))
        .select_related("owner")
    )
    escalations = (
        Escalation.objects.filter(provider=ctx.provider, opened_at__lte=at)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gt=at))
        .select_related("severity")
        .prefetch_related("events")
    )
    return {
        "as_of": at.isoformat(),
        "as_of_label": local.strftime("%-d %b %Y %H:%M %Z"),
        "actions": [
            {
                "title": a.title,
                "owner": a.owner.get_full_name() or a.owner.username,
                "side": a.owner_side,
                "due": a.due.isoformat(),
                # closed since: it was open then (whether in progress then is not recorded)
                "status": a.get_status_display() if a.is_open else Action.Status.OPEN.label,
                "overdue": a.due < day,
                "cause": a.cause_kind,
            }
            for a in actions
        ],
        "escalations": [_escalation_then(e, at) for e in escalations],
    }


def _escalation_then(e, at: dt.datetime) -> dict:
    """An escalation as it stood at ``at``, read back from its append-only history."""
    later = [ev for ev in e.events.all() if ev.at > at]
    acked = e.acknowledged_at is not None and e.acknowledged_at <= at
    return {
        "title": e.title,
        "severity": e.severity.code,
        "level": e.level - sum(ev.kind == "stepped_up" for ev in later),
        "status": (e.Status.ACKNOWLEDGED if acked else e.Status.OPEN).label,
        "opened": e.opened_at.isoformat(),
        "breached": any(ev.kind == "breach" and ev.at <= at for ev in e.events.all()),
    }


# --- QA and calibration ------------------------------------------------------------------------------


def quality(ctx: PackContext) -> dict:
    from django.db.models import Avg, Count, Q

    from concord.quality.models import CalibrationSession, Evaluation

    lo, hi = periods.utc_bounds(ctx.period_start, ctx.grain, settings.REPORTING_TIMEZONE)
    done = Evaluation.objects.filter(
        provider=ctx.provider, status="completed", completed_at__gte=lo, completed_at__lt=hi
    )
    agg = done.aggregate(n=Count("pk"), mean=Avg("score"), critical=Count("pk", filter=Q(critical_failed=True)))
    sessions = []
    for s in CalibrationSession.objects.filter(provider=ctx.provider, closed_at__gte=lo, closed_at__lt=hi):
        sessions.append({"title": s.title, "closed": s.closed_at.isoformat(), "needs_work": _needs_work(s)})
    mean = None if agg["mean"] is None else round(float(agg["mean"]), 2)
    return {
        "evaluations": agg["n"],
        "mean_score": mean,
        "critical_fails": agg["critical"],
        "sessions": sessions,
        "figures": {"qa:mean": mean, "qa:n": agg["n"]},
    }


def _needs_work(session) -> list[str] | None:
    from concord.quality.calibration_selectors import compute

    try:
        result = compute(session, resamples=200)
    except Exception:  # a session too small to compute says so instead of failing the pack
        return None
    return [c.rule.label for c in result.criteria if c.needs_work]


# --- drift alerts (the detector and its alerts land with the drift work) -------------------------------


def drift(ctx: PackContext) -> dict:
    from django.urls import reverse

    from concord.performance.drift_selectors import alerts

    found = alerts(user=ctx.user, provider=ctx.provider, start=ctx.period_start, end=ctx.end)
    return {
        "available": True,
        "alerts": [{"id": a.pk, "text": str(a), "url": reverse("performance:drift-alert", args=[a.pk])} for a in found],
    }


# --- knowledge changes: articles that asked for acknowledgement in the period, and this partner's uptake -----


def knowledge(ctx: PackContext) -> dict:
    from concord.knowledge.selectors import changes

    rows = changes(user=ctx.user, provider=ctx.provider, start=ctx.period_start, end=ctx.end)
    return {"changes": rows}


SECTIONS: dict[str, Section] = {
    s.key: s
    for s in (
        Section("scorecard", "Scorecard", scorecard),
        Section("sla", "SLA results and credits", sla),
        Section("people", "Attrition and headcount", people),
        Section("forecast", "Forecast against actuals", forecast),
        Section("follow_up", "Open actions and escalations", follow_up),
        Section("quality", "QA and calibration", quality),
        Section("drift", "Drift alerts", drift),
        Section("knowledge", "Knowledge changes", knowledge),
    )
}
#: which sections a cadence's pack carries (a daily review has no attrition or forecast to discuss)
BY_CADENCE = {
    "operational": ("scorecard", "follow_up", "drift"),
    "tactical": ("scorecard", "sla", "follow_up", "quality", "drift", "knowledge"),
    "strategic": tuple(SECTIONS),
}
