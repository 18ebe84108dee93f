"""Reads for capacity planning.

Staffing figures are pure calculations on the engine (``concord.planning.engine``): the
page, the API and ``concord staffing`` size an interval with the same engine calls
(``queueing.required_agents`` / ``erlang_a.required_agents``, then ``erlang_c`` /
``erlang_a`` for the figures of that count, then ``queueing.scheduled_agents``), and a
test holds the page and API answers equal to the CLI's JSON. They read no data, so they
take no user; callers check ``Cap.VIEW_PLANNING``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings

from concord import periods, reporting
from concord.accounts import access
from concord.accounts.roles import Cap
from concord.planning.engine import erlang_a as ea
from concord.planning.engine import queueing as q

# Staffing is pure engine code; pages, API and forms read it through here like every other read.
from concord.planning.engine.staffing import (  # noqa: F401
    ERLANG_A_KEYS,
    ERLANG_C_KEYS,
    WEEKDAY_WEIGHTS,
    WEEKDAYS,
    IntradayStaffing,
    StaffingInput,
    engine_error_field,
    interval_labels,
    intraday_staffing,
    preset_profile,
    staffing_curve,
    staffing_figures,
    validate_staffing,
)

from .models import Forecast, PlanningEvent
from .services import complete_history_end, lake_history, local_time

# --- forecasts: records in the database, read by client-side planners ---------------------------


def forecasts(user):
    access.require(user, Cap.VIEW_PLANNING)
    qs = Forecast.objects.select_related("program", "contact_type", "created_by")
    return access.scope(user, qs, "program__providers").distinct()


def forecast(user, pk: int):
    return access.get_visible_or_404(user, forecasts(user), "program__providers", pk=pk)


def planning_events(user, program=None):
    access.require(user, Cap.VIEW_PLANNING)
    qs = access.scope(user, PlanningEvent.objects.select_related("program", "created_by"), "program__providers")
    if program is not None:
        qs = qs.filter(program=program)
    return qs.distinct()


def planning_event(user, pk: int):
    return access.get_visible_or_404(user, planning_events(user), "program__providers", pk=pk)


def forecast_points(forecast) -> list[dict]:
    """Every interval: the model's number, after events, the latest override, and the number in force."""
    latest: dict = {}
    for o in forecast.overrides.select_related("created_by").order_by("created_at", "pk"):
        latest[o.period_start] = o
    rows = []
    for p in forecast.points.all():
        o = latest.get(p.period_start)
        rows.append(
            {
                "period_start": p.period_start,
                "base": p.base,
                "after_events": p.value,
                "override": o,
                "value": o.value if o else p.value,
            }
        )
    return rows


def events_applied(forecast) -> list[dict]:
    """The events a version applied, in words; at the daily grain, exactly how each reached each day."""
    out = []
    for e in forecast.events_applied:
        days = []
        for d in e.get("days", []):
            day, share = dt.date.fromisoformat(d["day"]), d["share"]
            if e["kind"] == "multiplicative":
                effect = f"\u00d7{e['value']:g} on that part raises the day by {(e['value'] - 1) * share:+.1%}"
            else:
                effect = f"{e['value']:+g} contacts per interval (the day) times that share: {e['value'] * share:+,.1f}"
            days.append(f"{day:%a} {day.day} {day:%b}: the window holds {share:.1%} of the day's contacts; {effect}")
        out.append({"name": e["name"], "days": days})
    return out


def _wall(moment: dt.datetime) -> str:
    # wall-clock time without an offset: the chart shows it as it reads in the reporting zone
    return local_time(moment).replace(tzinfo=None).isoformat()


def forecast_against_actuals(forecast, *, lake_uri: str | None = None, weeks_before: int = 2) -> list[dict]:
    """Rows for the chart: actuals from the lake (the latest version, so the horizon fills in as
    days pass) from ``weeks_before`` weeks before the forecast starts, and the forecast in force."""

    points = forecast_points(forecast)
    rows = [{"when": _wall(r["period_start"]), "series": "Forecast", "contacts": round(r["value"], 2)} for r in points]
    rows += [
        {
            "when": local_time(r["period_start"]).isoformat(),
            "series": "Model before events",
            "contacts": round(r["base"], 2),
        }
        for r in points
        if abs(r["base"] - r["value"]) > 1e-9
    ]
    history, _ = lake_history(
        program=forecast.program,
        grain=forecast.grain,
        contact_type=forecast.contact_type,
        channel=forecast.channel,
        lake_uri=lake_uri,
    )
    if not history.empty:
        since = local_time(forecast.history_end - dt.timedelta(weeks=weeks_before)).replace(tzinfo=None)
        # only complete days: a day the lake covers in part would read as a collapse in volume
        until = complete_history_end(
            program=forecast.program, contact_type=forecast.contact_type, channel=forecast.channel, lake_uri=lake_uri
        )
        recent = history[(history.index >= since) & (history.index < until)]
        rows += [{"when": when.isoformat(), "series": "Actual", "contacts": float(n)} for when, n in recent.items()]
    return rows


# --- allocation scenarios and hiring plans: calculations on the engine, providers as defaults ------


@dataclass(frozen=True)
class ProviderTerms:
    """One provider's terms for an allocation: the engine's Provider plus its roster facts."""

    provider_id: int
    name: str
    rate: float  # cost per FTE-week
    capacity: float  # FTE
    languages: frozenset[str]
    quality_index: float
    min_share: float
    max_share: float
    headcount: int
    annual_attrition: float | None
    hours: tuple[int, int] | None = None  # hours of the day covered (reporting zone); None = 24/7

    def engine(self, bands: list[Band] | None = None):
        """The engine's Provider; with ``bands``, open only in the bands its hours cover, its capacity
        spread over the bands in proportion to their hours (as the demand is)."""
        from concord.planning.engine.allocation import Provider as EngineProvider

        capacity, periods = self.capacity, None
        if bands is not None:
            total = sum(b.hours for b in bands) or 1
            mine = hour_set(self.hours)
            periods = frozenset(b.label for b in bands if b.hour_set <= mine)
            capacity = {b.label: self.capacity * b.hours / total for b in bands}
        return EngineProvider(
            name=self.name,
            rate=self.rate,
            capacity=capacity,
            languages=self.languages,
            periods=periods,
            quality_index=self.quality_index,
            min_share=self.min_share,
            max_share=self.max_share,
        )


# --- hours of coverage: whole hours of the day on the reporting zone's clock -----------------------

_HOURS = re.compile(r"^(\d{1,2})(?::00)?\s*-\s*(\d{1,2})(?::00)?$")


def parse_hours(text: str | None) -> tuple[int, int] | None:
    """'24/7' (or blank) -> None; '08-20' -> (8, 20); '20-08' runs past midnight -> (20, 8)."""
    t = (text or "").strip().lower()
    if t in ("", "24/7", "24x7", "0-24", "00-24"):
        return None
    m = _HOURS.match(t)
    if not m:
        raise ValueError("write the hours as 24/7 or HH-HH in whole hours, e.g. 08-20 (20-08 runs past midnight)")
    start, end = int(m.group(1)), int(m.group(2))
    if not (0 <= start <= 23 and 1 <= end <= 24) or start == end % 24:
        raise ValueError(f"{text!r}: the start is 0-23, the end 1-24, and they differ")
    return start, end


def shift_hours(hours: tuple[int, int] | None, from_zone: str, to_zone: str, on: dt.date) -> tuple[int, int] | None:
    """Hours on ``from_zone``'s clock as hours on ``to_zone``'s clock on the day ``on`` (offsets rounded
    to whole hours): a Manila site's 08-20 is 01-13 in Madrid in winter."""
    if hours is None or from_zone == to_zone:
        return hours
    noon = dt.datetime(on.year, on.month, on.day, 12)
    offset = noon.replace(tzinfo=ZoneInfo(to_zone)).utcoffset() - noon.replace(tzinfo=ZoneInfo(from_zone)).utcoffset()
    shift = round(offset.total_seconds() / 3600)
    start, end = (hours[0] + shift) % 24, (hours[1] + shift) % 24
    return start, end or 24


def hour_set(hours: tuple[int, int] | None) -> frozenset[int]:
    if hours is None:
        return frozenset(range(24))
    start, end = hours
    return frozenset(range(start, end)) if start < end else frozenset([*range(start, 24), *range(0, end)])


@dataclass(frozen=True)
class Band:
    """Consecutive hours in which the same providers are open: one allocation period."""

    label: str
    hour_set: frozenset[int]

    @property
    def hours(self) -> int:
        return len(self.hour_set)


def coverage_bands(demand_hours: tuple[int, int] | None, provider_hours: list[tuple[int, int] | None]) -> list[Band]:
    """The hours the work needs covering, cut wherever the set of providers open changes."""
    needed = hour_set(demand_hours)
    if all(h is None for h in provider_hours):
        label = "all day" if demand_hours is None else f"{demand_hours[0]:02d}:00-{demand_hours[1]:02d}:00"
        return [Band(label, needed)]
    sets = [hour_set(h) for h in provider_hours]
    bands, run, key = [], [], None
    for hour in range(24):
        sig = tuple(hour in s for s in sets) if hour in needed else None
        if sig != key and run:
            bands.append(run)
            run = []
        key = sig
        if sig is not None:
            run.append(hour)
    if run:
        bands.append(run)
    return [Band(f"{r[0]:02d}:00-{r[-1] + 1:02d}:00", frozenset(r)) for r in bands if r]


def provider_defaults(user) -> list[dict]:
    """Each active provider's seats, languages, headcount and attrition: the scenario form's starting point."""
    from concord.providers import selectors as provider_selectors

    access.require(user, Cap.VIEW_PLANNING)
    out = []
    for p in provider_selectors.providers(user).exclude(status="offboarded").order_by("name"):
        sites = list(provider_selectors.sites(user, p))
        languages = sorted({code for s in sites for code in s.language_list}) or ["en"]
        summary = provider_selectors.attrition_summary(user, p) if access.can(user, Cap.VIEW_ROSTER) else {}
        zones = sorted({s.timezone for s in sites})
        out.append(
            {
                "provider": p,
                "timezone": zones[0] if zones else str(settings.REPORTING_TIMEZONE),
                "capacity": float(sum(s.seats for s in sites)),
                "languages": ",".join(languages),
                "headcount": summary.get("headcount", 0),
                "annual_attrition": summary.get("annual_attrition"),
            }
        )
    quality, month, why_not = scorecard_quality(user, [d["provider"] for d in out])
    for d in out:
        found = quality.get(d["provider"].code)
        d["quality"] = found[0] if found else None
        if found:
            d["quality_note"] = f"scorecard index for {month:%B %Y} ({', '.join(found[1])})"
        else:
            d["quality_note"] = f"no scorecard index for {month:%B %Y}{why_not}: enter it by hand"
    return out


def last_full_month(today: dt.date | None = None) -> dt.date:
    """The last complete calendar month in the reporting zone (``concord.periods``)."""
    if today is None:
        return reporting.last_complete("month")
    return periods.last_complete("month", today=today)


def scorecard_quality(user, providers, *, month: dt.date | None = None) -> tuple[dict, dt.date, str]:
    """Each provider's composite scorecard index for the last full month, from the performance app.

    Every scorecard the user sees is scored for that month (``performance.selectors.score``);
    a provider on several cards gets their volume-weighted mean. Returns ({code: (index, [card
    names])}, month, why none may be there) and is cached for five minutes per lake version."""
    from django.core.cache import cache

    from concord.lake.store import Lake
    from concord.performance import selectors as perf

    month = month or last_full_month()
    if not access.can(user, Cap.VIEW_PERFORMANCE):
        return {}, month, " (your role does not see scorecards)"
    codes = sorted(p.code for p in providers)
    try:
        version = Lake(settings.LAKE_URI).version("interactions")
    except Exception:  # no lake yet
        version = None
    cards = list(perf.scorecards(user).select_related("program").order_by("pk"))
    raw = f"{settings.LAKE_URI}|{version}|{user.provider_id}|{month}|{[c.pk for c in cards]}|{codes}"
    key = "planning:quality:" + hashlib.sha256(raw.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    sums: dict[str, list] = {}
    why = ""
    for card in cards:
        try:
            report = perf.score(user, card, period=month)
        except Exception as exc:  # a card that cannot be scored leaves the index to the planner
            why = f" ({card.name}: {exc})"
            continue
        for row in report.rows:
            code, index = row.dimensions.get("provider"), row.index.index
            if code in codes and index is not None:
                entry = sums.setdefault(code, [0.0, 0.0, []])
                weight = max(row.volume, 1)
                entry[0] += index * weight
                entry[1] += weight
                entry[2].append(card.name)
    result = ({c: (round(v[0] / v[1], 1), v[2]) for c, v in sums.items()}, month, why)
    cache.set(key, result, 300)
    return result


@dataclass(frozen=True)
class ScenarioSpec:
    name: str
    volume_factor: float = 1.0
    capacity_factor: dict = None  # provider name -> factor


def compare_allocations(
    demand: dict[str, float],
    terms: list[ProviderTerms],
    scenarios: list[ScenarioSpec],
    *,
    quality_floor=None,
    demand_hours: tuple[int, int] | None = None,
) -> dict:
    """Every scenario solved by the engine on the same base; a table of FTE and share per provider.

    The FTE per language is needed evenly over ``demand_hours`` (24/7 when None); those hours are cut
    into bands where the set of providers open changes, each band carrying its share of the FTE, and a
    provider only takes work in the bands its hours cover."""
    from concord.planning.engine import allocation as al

    bands = coverage_bands(demand_hours, [t.hours for t in terms])
    total_hours = sum(b.hours for b in bands)
    segments = [
        al.Segment(period=b.label, language=lang, demand=fte * b.hours / total_hours)
        for lang, fte in demand.items()
        for b in bands
    ]
    results = al.compare_scenarios(
        segments,
        [t.engine(bands) for t in terms],
        [al.Scenario(s.name, s.volume_factor, s.capacity_factor or {}) for s in scenarios],
        quality_floor=quality_floor,
    )
    rows = []
    for t in terms:
        cells = []
        for s in scenarios:
            r = results[s.name]
            fte = sum(v for (prov, _, _), v in r.allocation.items() if prov == t.name) if r.feasible else None
            cells.append({"fte": fte, "share": r.shares.get(t.name) if r.feasible else None})
        rows.append({"provider": t.name, "cells": cells})
    return {"scenarios": scenarios, "results": [results[s.name] for s in scenarios], "rows": rows, "bands": bands}


def weekly_attrition(annual: float | None) -> float:
    """The weekly leaver rate of an annual attrition rate (exits / average headcount, a hazard).

    DOMAIN.md "Attrition and hiring": expected leavers in a week = headcount x annual rate / 52.
    The annual figure is a rate, not the share of staff gone within a year, so it is not
    compounded, and a rate above 100% a year (a bad year) is kept as it is."""
    if not annual:
        return 0.0
    return annual / 52.0


def hiring_plans(allocation, terms: list[ProviderTerms], *, weeks: int, training_weeks: int, ramp, training_cost,
                 measured: dict | None = None):  # fmt: skip
    """Per provider: the engine's weekly hiring plan to staff its allocated FTE every week.

    ``measured`` (provider code -> ``knowledge.ramp.selectors.MeasuredRamp``) gives a provider's own ramp
    measured from its hiring cohorts; where it has none (or none is given) the typed ``ramp`` applies, and
    each plan says which it used and why.

    A leaver's lost productive weeks are costed at the provider's rate per FTE-week. The plan starts
    from the agents the work needs, not the provider's whole roster: agents on this work = the
    smaller of its agents now and the FTE allocated (one agent carries one FTE). A provider with a
    small share is charged attrition for those agents only; one with no work, for none."""
    from concord.planning.engine.hiring import plan_hiring

    plans = []
    for t in terms:
        found = (measured or {}).get(t.name)
        own = found is not None and found.fractions is not None
        used = found.fractions if own else tuple(ramp)
        if measured is None:
            source = "typed: chosen for every provider"
        else:
            source = found.why if own else f"typed: {found.why if found else 'no measured ramp'}"
        fte = sum(v for (prov, _, _), v in allocation.allocation.items() if prov == t.name)
        # a provider given no work staffs nothing for us: its people leaving is not this plan's cost
        working = fte > 0
        on_work = min(float(t.headcount or 0), fte)
        plan = plan_hiring(
            [fte] * weeks,
            on_work,
            weekly_attrition(t.annual_attrition) if working else 0.0,
            training_weeks,
            used,
            training_cost_per_hire=training_cost,
            cost_per_fte_week=t.rate,
        )
        plans.append(
            {
                "terms": t,
                "required_fte": fte,
                "agents_on_work": on_work,
                "plan": plan,
                "total_hires": int(plan.hires.sum()),
                "leavers": float(plan.leavers.sum()),
                "weeks_short": int((plan.shortfall_fte > 1e-6).sum()),
                "ramp": used,
                "ramp_measured": own,
                "ramp_source": source,
                "note": "" if working else "No work allocated: no hires, and no attrition cost.",
            }
        )
    return plans


def forecast_staffing(forecast, inp: StaffingInput) -> dict:
    """Required and scheduled agents for every interval of a forecast (values in force), one engine call.

    ``inp`` gives handle time and targets; its volume and interval are taken from the forecast.
    Returns cells for the heatmap (columns: days), the day labels and per-day totals.
    """
    rows = forecast_points(forecast)
    minutes = {"15min": 15.0, "30min": 30.0, "60min": 60.0}[forecast.grain]
    volume = np.array([r["value"] for r in rows], dtype=float)
    per_interval = StaffingInput(**{**inp.__dict__, "volume": 0.0, "interval_minutes": minutes})
    common = {"max_occupancy": per_interval.occupancy_share, "target_asa": per_interval.target_asa}
    if per_interval.patience_seconds is None:
        agents = q.required_agents(volume, minutes * 60, inp.aht_seconds, inp.sl_share, inp.target_seconds, **common)
    else:
        agents = ea.required_agents(
            volume, minutes * 60, inp.aht_seconds, inp.patience_seconds, inp.sl_share, inp.target_seconds,
            short_abandon_seconds=inp.short_abandon_seconds, **common,
        )  # fmt: skip
    scheduled = q.scheduled_agents(agents, inp.shrinkage_share)
    cells, days, totals = [], [], {}
    for r, n, s in zip(rows, agents, scheduled, strict=True):
        local = local_time(r["period_start"])
        day = local.strftime("%a %d %b")
        if day not in totals:
            days.append(day)
            totals[day] = {"day": day, "volume": 0.0, "peak_agents": 0, "scheduled_hours": 0.0}
        t = totals[day]
        t["volume"] += r["value"]
        t["peak_agents"] = max(t["peak_agents"], int(n))
        t["scheduled_hours"] += int(s) * minutes / 60
        cells.append(
            {"interval": local.strftime("%H:%M"), "weekday": day, "volume": round(r["value"], 2),
             "agents": int(n), "scheduled": int(s)}
        )  # fmt: skip
    return {"cells": cells, "days": days, "daily": list(totals.values())}
