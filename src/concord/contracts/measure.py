"""One SLA measured for one month from the lake, with the evidence kept.

Only the days the contract is in force count: a contract starting on the 10th is
measured from the 10th (local midnight in the reporting time zone), one ending on
the 20th up to the end of the 20th.

Declared outage windows are time windows, not whole days: the contacts *created*
inside a window (``[starts_at, ends_at)``) are removed from the table before the
metrics run, so every metric, medians and percentiles included, is computed
exactly over what is left. Interval metrics (occupancy) drop the intervals that
start inside a window; roster metrics (headcount, attrition) are not affected by
an outage. A removed contact is also not seen as a repeat by FCR's repeat window,
whatever month the window falls in: a metric that looks ahead (FCR's N days) is
given every window reaching into the month or its look-ahead, so a window from
31 Oct 22:00 to 1 Nov 02:00 hides its November contacts from October's repeats too.

A result is provisional until its look-ahead has passed and the lake holds data
up to it (the newest contact in the table is at or after the month's end plus
the look-ahead); it records the instant it becomes final.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import ibis

from concord import engine, periods
from concord import metrics as metric_engine
from concord.lake.store import Lake
from concord.metrics.conventions import DEFAULT as DEFAULT_CONVENTIONS
from concord.metrics.conventions import Conventions
from concord.metrics.query import MetricRef, MetricRequest
from concord.metrics.sources import SOURCE_DIMENSIONS
from concord.providers.selectors import conventions_for

from .credits import at_risk_amount, prorated
from .models import SLA, Contract, SLAResult, local_text


def next_month(day: dt.date) -> dt.date:
    return periods.end_of(periods.start_of(day, "month"), "month")


def lookahead_days(metric_key: str, params: dict | None) -> int:
    """How many days after a contact a metric still looks (FCR's repeat window); 0 for most."""
    try:
        metric = metric_engine.get(metric_key)
    except KeyError:
        return 0
    if "next_contact" not in metric.needs:
        return 0
    return int(metric.resolve_params(params or {}).get("window_days", 0))


#: the timestamp an outage window is matched against, per source table
WINDOW_COLUMN = {"interactions": "created_at", "intervals": "interval_start", "agent_states": "interval_start"}


@dataclass
class Measurement:
    status: str
    value: float | None
    numerator: float | None
    denominator: float | None
    volume: int
    table: str
    version: int | None
    excluded_windows: list[list[str]] = field(default_factory=list)
    measured_from: dt.date | None = None
    measured_to: dt.date | None = None
    note: str = ""
    #: when the result becomes final: the look-ahead over and the lake holding data up to then
    final_from: dt.datetime | None = None
    provisional: bool = False


def in_force(contract: Contract, period: dt.date) -> tuple[dt.date, dt.date] | None:
    """The local dates ``[start, end)`` of the month the contract is in force; None if not at all."""
    start, end = period.replace(day=1), next_month(period)
    start = max(start, contract.start_date)
    if contract.end_date is not None:
        end = min(end, contract.end_date + dt.timedelta(days=1))
    return (start, end) if start < end else None


def month_share(contract: Contract, period: dt.date) -> tuple[int, int]:
    """(days in force, days in the month): what a partial month's fee and at-risk are prorated by."""
    first, end = period.replace(day=1), next_month(period)
    span = in_force(contract, period)
    return ((span[1] - span[0]).days if span else 0), (end - first).days


def month_amounts(contract: Contract, period: dt.date) -> tuple[Decimal, Decimal]:
    """The month's fee and at-risk amount, prorated by days in force for a partial month."""
    days, month_days = month_share(contract, period)
    fee = prorated(contract.monthly_fee, days, month_days)
    return fee, at_risk_amount(fee, contract.at_risk_percent)


def outage_windows(sla: SLA, start_utc: dt.datetime, end_utc: dt.datetime) -> tuple[tuple[dt.datetime, dt.datetime]]:
    """The declared outages applying to ``sla`` that reach into ``[start_utc, end_utc)``, whole
    (a window crossing the month end removes its contacts on both sides), merged where they overlap."""
    spans = sorted(
        (o.starts_at.astimezone(dt.UTC), o.ends_at.astimezone(dt.UTC))
        for o in sla.contract.outages.all()
        if o.sla_id in (None, sla.pk) and o.ends_at > start_utc and o.starts_at < end_utc
    )
    merged: list[list[dt.datetime]] = []
    for s, e in spans:
        if s >= e:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return tuple((s, e) for s, e in merged)


@dataclass(frozen=True)
class _Plan:
    sla: SLA
    source: str
    filters: tuple
    windows: tuple
    note: str
    conventions: Conventions = DEFAULT_CONVENTIONS

    @property
    def alias(self) -> str:
        return f"sla{self.sla.pk}"

    @property
    def group(self) -> tuple:
        return (self.source, self.filters, self.windows, self.conventions)


def _plan(sla: SLA, start_utc: dt.datetime, end_utc: dt.datetime) -> _Plan:
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
    reach = end_utc + dt.timedelta(days=lookahead_days(sla.metric_key, sla.params))
    windows = outage_windows(sla, start_utc, reach) if metric.source in WINDOW_COLUMN else ()
    conv = conventions_for(count_by=sla.count_by, hours=sla.hours, provider_codes=[contract.provider.code])
    return _Plan(sla, metric.source, frozen, windows, note, conv)


def lake_horizon(lake: Lake, source: str, version: int | None) -> dt.datetime | None:
    """The newest instant the table holds data for (None: no timestamp column, or no data)."""
    column = WINDOW_COLUMN.get(source)
    if column is None:
        return None
    snapshot = lake.snapshot(source, version)
    if snapshot.empty:
        return None
    table = metric_engine.table_from_snapshot(metric_engine.connect("duckdb"), snapshot)
    newest = table[column].max().execute()
    return None if newest is None else newest.to_pydatetime().replace(tzinfo=dt.UTC)


def _run(request: MetricRequest, lake: Lake, source: str, windows: tuple):
    """The request over the lake; with outage windows, the rows inside them are removed first."""
    if not windows:
        return engine.run(request, lake)
    snapshot = lake.snapshot(source, request.versions.get(source))

    def outside_windows(con):
        table = metric_engine.table_from_snapshot(con, snapshot)
        column = table[WINDOW_COLUMN[source]]
        inside = ibis.or_(*[(column >= s) & (column < e) for s, e in windows])
        return {source: table.filter(~inside)}

    return engine.run_on_tables(request, outside_windows, {source: snapshot.version})


def measure_slas(
    slas: list[SLA],
    period: dt.date,
    *,
    lake: Lake,
    timezone: str,
    versions: dict[str, int] | None = None,
    now: dt.datetime | None = None,
) -> dict[int, Measurement]:
    """Every SLA of a month; SLAs sharing a table, a scope and outage windows are read in one query."""
    out: dict[int, Measurement] = {}
    if not slas:
        return out
    contract = slas[0].contract
    span = in_force(contract, period)
    if span is None:
        for sla in slas:
            source = metric_engine.get(sla.metric_key).source
            note = f"The contract is not in force in {period:%B %Y}."
            out[sla.pk] = Measurement(SLAResult.Status.NOT_MEASURED, None, None, None, 0, source, None, note=note)
        return out
    start, end = span
    start_utc, end_utc = periods.local_midnight_utc(start, timezone), periods.local_midnight_utc(end, timezone)
    horizons: dict[str, dt.datetime | None] = {}
    groups: dict[tuple, list[_Plan]] = {}
    for sla in slas:
        plan = _plan(sla, start_utc, end_utc)
        groups.setdefault(plan.group, []).append(plan)
    for (source, filters, windows, conv), plans in groups.items():
        request = MetricRequest(
            metrics=[MetricRef(p.sla.metric_key, p.sla.query_params(), p.sla.min_volume, p.alias) for p in plans],
            start=start,
            end=end,
            timezone=timezone,
            filters={k: list(v) for k, v in filters},
            versions={source: versions[source]} if versions and source in versions else {},
            conventions=conv,
        )
        result = _run(request, lake, source, windows)
        horizon = horizons.setdefault(source, lake_horizon(lake, source, result.versions.get(source)))
        for plan in plans:
            m = out[plan.sla.pk] = _evaluate(plan, result, period, start, end)
            _mark_maturity(m, plan, end_utc, horizon, now or dt.datetime.now(dt.UTC))
    return out


def _mark_maturity(m: Measurement, plan: _Plan, end_utc: dt.datetime, horizon, now: dt.datetime) -> None:
    m.final_from = end_utc + dt.timedelta(days=lookahead_days(plan.sla.metric_key, plan.sla.params))
    if now < m.final_from:
        m.provisional = True
        why = "its look-ahead is not over" if now >= end_utc else "the month is not over"
        m.note = f"{m.note} Provisional until {local_text(m.final_from)}: {why}.".strip()
    elif plan.source in WINDOW_COLUMN and (horizon is None or horizon < m.final_from):
        # no data yet from the instant the result stops reading on: some may still arrive
        m.provisional = True
        m.note = f"{m.note} Provisional: the lake has no data yet after {local_text(m.final_from)}.".strip()


def measure_sla(sla: SLA, period: dt.date, *, lake: Lake, timezone: str, version: int | None = None) -> Measurement:
    source = metric_engine.get(sla.metric_key).source
    versions = {source: version} if version is not None else None
    return measure_slas([sla], period, lake=lake, timezone=timezone, versions=versions)[sla.pk]


def _evaluate(plan: _Plan, result, period: dt.date, start: dt.date, end: dt.date) -> Measurement:
    sla, note = plan.sla, plan.note
    v = result.rows[0].values[plan.alias] if result.rows else None
    value, num, den, volume = (v.value, v.numerator, v.denominator, v.volume) if v else (None, None, None, 0)
    last = end - dt.timedelta(days=1)
    if (start, end) != (period.replace(day=1), next_month(period)):
        note = f"{note} Measured {start:%d %b} to {last:%d %b}: the days the contract is in force.".strip()
    if plan.windows:
        note = f"{note} Contacts created in {len(plan.windows)} declared outage window(s) left out.".strip()
    if value is None or volume < sla.min_volume:
        status = SLAResult.Status.NOT_MEASURED
    else:
        status = SLAResult.Status.MET if sla.met(value) else SLAResult.Status.MISSED
    return Measurement(
        status,
        value,
        num,
        den,
        volume,
        plan.source,
        result.versions.get(plan.source),
        excluded_windows=[[s.isoformat(), e.isoformat()] for s, e in plan.windows],
        measured_from=start,
        measured_to=last,
        note=note,
    )
