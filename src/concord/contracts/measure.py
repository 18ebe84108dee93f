"""One SLA measured for one month from the lake, with the evidence kept.

Declared outage windows remove whole days (in the reporting time zone) from the
measurement: the month is read by day and the remaining days' numerators,
denominators and volumes are added up, which is exact for rates and counts. A
median or percentile cannot be rebuilt from daily figures, so an SLA on one with
an outage in the month is reported as not computable rather than approximated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from concord import metrics as metric_engine
from concord.lake.store import Lake
from concord.metrics.query import MetricRef, MetricRequest
from concord.metrics.registry import ScaleContext
from concord.metrics.sources import SOURCE_DIMENSIONS

from .models import SLA, SLAResult


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@dataclass
class Measurement:
    status: str
    value: float | None
    numerator: float | None
    denominator: float | None
    volume: int
    table: str
    version: int | None
    excluded_days: list[str] = field(default_factory=list)
    note: str = ""


def excluded_days(sla: SLA, start: dt.date, end: dt.date) -> list[dt.date]:
    days = set()
    for outage in sla.contract.outages.all():
        if outage.sla_id not in (None, sla.pk):
            continue
        day = max(outage.first_day, start)
        while day <= outage.last_day and day < end:
            days.add(day)
            day += dt.timedelta(days=1)
    return sorted(days)


@dataclass(frozen=True)
class _Plan:
    sla: SLA
    source: str
    filters: tuple
    skip: tuple[dt.date, ...]
    note: str

    @property
    def alias(self) -> str:
        return f"sla{self.sla.pk}"

    @property
    def group(self) -> tuple:
        return (self.source, self.filters, self.skip)


def _plan(sla: SLA, start: dt.date, end: dt.date) -> _Plan:
    metric = metric_engine.get(sla.metric_key)
    contract = sla.contract
    filters = {"provider": [contract.provider.code], **{k: list(v) for k, v in (sla.filters or {}).items()}}
    programs = [p.code for p in contract.programs.all()]
    note = ""
    if programs:
        if "program" in SOURCE_DIMENSIONS[metric.source]:
            filters["program"] = programs
        else:
            note = f"{metric.label} is measured for the whole provider (its data has no program)."
    frozen = tuple(sorted((k, tuple(sorted(v))) for k, v in filters.items()))
    return _Plan(sla, metric.source, frozen, tuple(excluded_days(sla, start, end)), note)


def measure_slas(
    slas: list[SLA], period: dt.date, *, lake: Lake, timezone: str, versions: dict[str, int] | None = None
) -> dict[int, Measurement]:
    """Every SLA of a month; SLAs sharing a table, a scope and left-out days are read in one query."""
    start, end = period.replace(day=1), next_month(period)
    groups: dict[tuple, list[_Plan]] = {}
    for sla in slas:
        plan = _plan(sla, start, end)
        groups.setdefault(plan.group, []).append(plan)
    out = {}
    for (source, filters, skip), plans in groups.items():
        request = MetricRequest(
            metrics=[MetricRef(p.sla.metric_key, p.sla.query_params(), p.sla.min_volume, p.alias) for p in plans],
            start=start,
            end=end,
            timezone=timezone,
            grain="day" if skip else "none",
            filters={k: list(v) for k, v in filters},
            versions={source: versions[source]} if versions and source in versions else {},
        )
        result = metric_engine.run(request, lake)
        for plan in plans:
            out[plan.sla.pk] = _evaluate(plan, result, start, end)
    return out


def measure_sla(sla: SLA, period: dt.date, *, lake: Lake, timezone: str, version: int | None = None) -> Measurement:
    source = metric_engine.get(sla.metric_key).source
    versions = {source: version} if version is not None else None
    return measure_slas([sla], period, lake=lake, timezone=timezone, versions=versions)[sla.pk]


def _evaluate(plan: _Plan, result, start: dt.date, end: dt.date) -> Measurement:
    sla, skip, note = plan.sla, plan.skip, plan.note
    metric = metric_engine.get(sla.metric_key)
    base = {
        "table": plan.source,
        "version": result.versions.get(plan.source),
        "excluded_days": [d.isoformat() for d in skip],
    }
    if not skip:
        v = result.rows[0].values[plan.alias] if result.rows else None
        value, num, den, volume = (v.value, v.numerator, v.denominator, v.volume) if v else (None, None, None, 0)
    else:
        if metric.denominator is None and metric.unit != "count":
            return Measurement(
                SLAResult.Status.ERROR,
                None,
                None,
                None,
                0,
                note=f"{metric.label} cannot be measured with days left out; remove the outage or use a rate.",
                **base,
            )
        kept = [r.values[plan.alias] for r in result.rows if r.period_start not in set(skip)]
        num = sum(v.numerator or 0.0 for v in kept)
        den = None if metric.denominator is None else sum(v.denominator or 0.0 for v in kept)
        volume = sum(v.volume for v in kept)
        if metric.denominator is None:
            value = num
        elif den:
            params = metric.resolve_params(sla.query_params())
            value = num / den * metric.scale_for(ScaleContext("none", None, start, end), params)
        else:
            value = None
        note = (note + f" {len(skip)} day(s) left out for declared outages.").strip()
    if value is None or volume < sla.min_volume:
        status = SLAResult.Status.NOT_MEASURED
    else:
        status = SLAResult.Status.MET if sla.met(value) else SLAResult.Status.MISSED
    return Measurement(status, value, num, den, volume, note=note, **base)
