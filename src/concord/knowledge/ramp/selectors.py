"""Ramp reads for a user: their providers' cohorts, and the internal team's median as the benchmark.

A partner's people see their own provider's cohorts and the one benchmark number (the internal team's
median over its tenured agents): never another partner's cohorts nor the internal team's own. The client
sees every provider. Hire dates and site zones come from the roster of record; the numbers from the lake.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404

from concord import reporting
from concord.accounts import access
from concord.accounts.roles import Cap
from concord.lake.store import Lake
from concord.metrics import registry
from concord.providers.models import Agent, Program, Provider

from . import cache
from . import curves as rc
from .tenure import RAMP_METRICS, AgentHire, AgentWeek, agent_weeks, ramp_metric

#: two years of the lake: enough to see a cohort from hire to tenured (26 weeks) several times over
LOOKBACK_DAYS = 728


def band_percent() -> float:
    """The proficient band, in percent of the internal median (setting ``RAMP_BAND_PERCENT``, default 10)."""
    return float(getattr(settings, "RAMP_BAND_PERCENT", rc.DEFAULT_BAND_PERCENT))


@dataclass
class RampReport:
    metric: registry.Metric
    program: Program | None
    provider: Provider | None
    start: dt.date
    end: dt.date
    band_percent: float
    benchmark: rc.Benchmark
    cohorts: list[rc.Curve]
    sites: list[rc.Curve]
    providers: list[rc.Curve]  # from cohorts of MIN_COHORT_AGENTS or more only
    provider_names: dict[str, str] = field(default_factory=dict)


def visible_providers(user) -> list[Provider]:
    access.require(user, Cap.VIEW_PERFORMANCE)
    return list(access.scope(user, Provider.objects.all(), "pk").order_by("name"))


def provider_by_code(user, code: str) -> Provider:
    access.require(user, Cap.VIEW_PERFORMANCE)
    return access.get_visible_or_404(user, Provider.objects.all(), "pk", code=code)


def program_by_code(user, code: str) -> Program:
    access.require(user, Cap.VIEW_PERFORMANCE)
    return access.get_visible_or_404(user, Program.objects.all().distinct(), "providers", code=code)


def programs(user) -> list[Program]:
    access.require(user, Cap.VIEW_PERFORMANCE)
    return list(access.scope(user, Program.objects.all(), "providers").distinct().order_by("name"))


def _hires(provider_ids) -> list[AgentHire]:
    default_zone = str(settings.REPORTING_TIMEZONE)
    rows = Agent.objects.filter(provider_id__in=provider_ids, role=Agent.Role.AGENT).values_list(
        "provider__code", "site__code", "employee_id", "hire_date", "site__timezone"
    )
    return [AgentHire(p, s, e, h, tz or default_zone) for p, s, e, h, tz in rows]


def _weeks(shown: list[Provider], *, metric: str, program: Program | None, today: dt.date | None,
           lake_: Lake | None) -> tuple[list[AgentWeek], set[str], dt.date, dt.date]:  # fmt: skip
    """Agent-weeks of the providers shown and of the internal teams (for the benchmark)."""
    inputs = _inputs(shown, today=today, lake_=lake_, metric=metric)
    return _read(inputs, metric=metric, program=program), inputs.internal, inputs.start, inputs.end


@dataclass(frozen=True)
class _Inputs:
    """What the agent-weeks are read from: the roster's hires, the range, the lake table pinned to a version."""

    hires: list[AgentHire]
    internal: set[str]
    start: dt.date
    end: dt.date
    lake: Lake
    version: int | None


def _inputs(shown: list[Provider], *, today: dt.date | None, lake_: Lake | None, metric: str) -> _Inputs:
    internal = {p.pk: p.code for p in Provider.objects.filter(kind=Provider.Kind.INTERNAL)}
    end = (today or reporting.today()) + dt.timedelta(days=1)
    start = end - dt.timedelta(days=LOOKBACK_DAYS)
    hires = _hires({p.pk for p in shown} | set(internal))
    store = lake_ or Lake(settings.LAKE_URI)
    return _Inputs(hires, set(internal.values()), start, end, store, store.version(registry.get(metric).source))


def _read(inputs: _Inputs, *, metric: str, program: Program | None) -> list[AgentWeek]:
    filters = {"program": [program.code]} if program else {}
    return agent_weeks(inputs.hires, metric=metric, start=inputs.start, end=inputs.end, lake=inputs.lake,
                       filters=filters, version=inputs.version)  # fmt: skip


def ramp_report(user, *, metric: str = "aht", program: Program | None = None, provider: Provider | None = None,
                today: dt.date | None = None, lake_: Lake | None = None) -> RampReport:  # fmt: skip
    """Curves of the user's providers (or the one given), per provider, site and hiring cohort."""
    m = ramp_metric(metric)
    shown = visible_providers(user)
    if provider is not None:
        if provider.pk not in {p.pk for p in shown}:
            raise Http404("No such provider.")
        shown = [provider]
    weeks, internal, start, end = _weeks(shown, metric=metric, program=program, today=today, lake_=lake_)
    bench = rc.benchmark(weeks, metric=metric, internal=internal)
    codes = {p.code for p in shown}
    mine = [w for w in rc.observed(weeks) if w.provider in codes]
    band = band_percent()
    common = {"metric": metric, "bench": bench.value, "band_percent": band}
    return RampReport(
        metric=m, program=program, provider=provider, start=start, end=end, band_percent=band, benchmark=bench,
        cohorts=rc.curves(mine, level="cohort", **common), sites=rc.curves(mine, level="site", **common),
        providers=rc.curves(rc.usable(mine), level="provider", **common),
        provider_names={p.code: p.name for p in shown},
    )  # fmt: skip


@dataclass(frozen=True)
class MeasuredRamp:
    fractions: tuple[float, ...] | None  # None: not enough data, the typed ramp applies
    why: str


def measured_ramps(user, codes: list[str], *, metric: str = "aht", today: dt.date | None = None,
                   lake_: Lake | None = None) -> dict[str, MeasuredRamp]:  # fmt: skip
    """Per provider code: the proficiency per week after training its measured curve gives, or why not.

    Only cohorts of ``MIN_COHORT_AGENTS`` or more count; the curve must reach the proficient band. Kept
    per lake version (``ramp.cache``): the allocation page asks on every view."""
    shown = [p for p in visible_providers(user) if p.code in set(codes)]
    inputs = _inputs(shown, today=today, lake_=lake_, metric=metric)
    band = band_percent()
    if inputs.version is None:  # no table yet: nothing to read, and no version to key a result by
        return _measured(inputs, codes, shown, metric=metric, band=band)
    k = cache.key(metric, inputs.lake.uri, inputs.version, inputs.start, inputs.end, band, tuple(codes),
                  sorted(p.code for p in shown), sorted(map(repr, inputs.hires)))  # fmt: skip
    return cache.cached(k, lambda: _measured(inputs, codes, shown, metric=metric, band=band))


def _measured(inputs: _Inputs, codes: list[str], shown: list[Provider], *, metric: str, band: float) -> dict:
    weeks = _read(inputs, metric=metric, program=None)
    bench = rc.benchmark(weeks, metric=metric, internal=inputs.internal)
    label = registry.get(metric).label
    out = {}
    by_code = {}
    if bench.value is not None:
        kept = [w for w in rc.usable(weeks) if w.provider in {p.code for p in shown}]
        by_code = {c.provider: c for c in rc.curves(kept, metric=metric, level="provider", bench=bench.value,
                                                    band_percent=band)}  # fmt: skip
    for code in codes:
        curve = by_code.get(code)
        if bench.value is None:
            out[code] = MeasuredRamp(None, f"no internal benchmark for {label}: no tenured internal agent measured")
        elif curve is None:
            out[code] = MeasuredRamp(None, f"no hiring cohort of {rc.MIN_COHORT_AGENTS} or more agents measured")
        elif curve.reached_week is None:
            out[code] = MeasuredRamp(None, f"its cohorts have not reached the proficient {label} yet")
        else:
            fractions = rc.ramp_fractions(curve, bench.value, metric=metric)
            out[code] = MeasuredRamp(
                fractions, f"measured {label}: proficient in tenure week {curve.reached_week}, "
                f"{curve.agents} agents in cohorts of {rc.MIN_COHORT_AGENTS} or more",
            )  # fmt: skip
    return out


__all__ = ["RAMP_METRICS", "MeasuredRamp", "RampReport", "measured_ramps", "ramp_report"]
