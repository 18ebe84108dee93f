"""Metrics by week of tenure for every agent, from the lake, with the registry's own definitions.

A metric is defined once (``concord.metrics.registry``): here the query layer computes it per provider,
agent and calendar week, in each site zone, and the week is renamed to a week of tenure. Week 0 is the
week (Monday to Sunday, the query layer's week) that holds the agent's hire date in their site's zone;
week k starts k weeks after it. Each agent-week keeps the metric's numerator and denominator, so a
group of agents (a cohort, a site) pools them into the very value the registry would compute for that
group: AHT of a cohort in its week 3 = all handle seconds / all handled contacts of its agents in
their own week 3.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import ibis

from concord.metrics import registry
from concord.metrics.backends import connect, table_from_snapshot
from concord.metrics.query import MetricRef, MetricRequest, compile_request, months_read

#: metrics a ramp can follow: a value per agent that pools across agents (numerator / denominator)
RAMP_METRICS = ("aht", "fcr", "csat", "qa_score")


@dataclass(frozen=True)
class AgentHire:
    """One agent as the roster knows them: who, where, hired when, and their site's clock."""

    provider: str
    site: str | None
    agent: str  # employee id, as the lake names agents
    hire_date: date
    timezone: str


@dataclass(frozen=True)
class AgentWeek:
    provider: str
    site: str | None
    agent: str
    hire_month: date  # first day of the month of hire: the hiring cohort
    tenure_week: int
    week_start: date  # the calendar week (Monday, site clock) it was measured in
    numerator: float
    denominator: float
    volume: int


def hire_week_start(hire_date: date) -> date:
    """The Monday of the week holding the hire date (the query layer's weeks start on Monday)."""
    return hire_date - timedelta(days=hire_date.weekday())


def ramp_metric(key: str) -> registry.Metric:
    """The registry's metric, if a ramp can follow it; a clear message otherwise."""
    if key not in RAMP_METRICS:
        raise ValueError(f"no ramp for metric {key!r}; use one of {', '.join(RAMP_METRICS)}")
    return registry.get(key)


def agent_weeks(
    agents: Iterable[AgentHire],
    *,
    metric: str,
    start: date,
    end: date,
    lake=None,
    tables: Mapping[str, Any] | None = None,
    con=None,
    filters: Mapping[str, Sequence[str]] | None = None,
    params: Mapping[str, Any] | None = None,
    version: int | None = None,
) -> list[AgentWeek]:
    """Every agent's metric per week of tenure over local dates [start, end).

    Reads ``lake`` (the metric's source table at ``version``, its latest when None) or, in tests, the Ibis
    ``tables`` given. One query per site zone, so each agent's weeks are on their own clock. Weeks without a
    value (no contact with a handle time, no survey) are absent; weeks before the hire week are left out (the
    agent was not ours yet).
    """
    ramp_metric(metric)
    if end <= start:
        raise ValueError("the range is empty: end must be after start")
    ref = MetricRef(metric, dict(params or {}))
    by_zone: dict[str, dict[tuple[str, str], AgentHire]] = defaultdict(dict)
    for a in agents:
        by_zone[a.timezone][(a.provider, a.agent)] = a
    if tables is None and len(by_zone) > 1 and not registry.get(metric).needs:
        con = con or connect("duckdb")
        everyone = [key for known in by_zone.values() for key in known]
        tables = _read_once(lake, con, registry.get(metric), everyone, start, end, filters or {}, version)
    out: list[AgentWeek] = []
    for zone, known in sorted(by_zone.items()):
        scope = {
            **{k: list(v) for k, v in (filters or {}).items()},
            "provider": sorted({p for p, _ in known}),
            "agent": sorted({a for _, a in known}),
        }
        request = MetricRequest(
            metrics=(ref,), start=start, end=end, timezone=zone, grain="week",
            group_by=("provider", "agent"), filters=scope,
        )  # fmt: skip
        con = con or connect("duckdb")
        for provider, agent, period, num, den, volume in _aggregates(request, tables, lake, con, version):
            a = known.get((provider, agent))
            if a is None or not den or period is None:
                continue  # another provider's agent of the same id, or nothing measured that week
            period = period.date() if isinstance(period, datetime) else period  # an engine typing weeks as times
            week = (period - hire_week_start(a.hire_date)).days // 7
            if week < 0:
                continue
            out.append(
                AgentWeek(
                    provider=a.provider, site=a.site, agent=a.agent, hire_month=a.hire_date.replace(day=1),
                    tenure_week=week, week_start=period, numerator=num or 0.0, denominator=den, volume=int(volume),
                )
            )  # fmt: skip
    return out


def _aggregates(request: MetricRequest, tables, lake, con, version: int | None = None):
    """(provider, agent, week, numerator, denominator, volume) rows of the query layer's own aggregation.

    The registry's expressions, compiled by the query layer as ``metrics.run`` does; only the typed
    per-row result objects are skipped (building them took most of the time for 150,000 agent-weeks)."""
    if tables is None:
        source = registry.get(request.refs()[0].key).source
        snapshot = lake.snapshot(source, version, months=months_read(request, source))
        tables = {source: table_from_snapshot(con, snapshot)}
    compiled = compile_request(request, tables)
    ((source, expr),) = compiled.expressions.items()
    (plan,) = compiled.planned[source]
    arrow = con.to_pyarrow(expr)
    columns = [arrow.column(c).to_pylist() for c in ("provider", "agent", "period", plan.num, plan.den, plan.vol)]
    return zip(*columns, strict=True)


#: the column a source's rows are dated by (interactions: the default, counted by creation)
DATED_BY = {"interactions": "created_at", "evaluations": "evaluated_at"}


def _read_once(
    lake, con, m: registry.Metric, everyone, start: date, end: date, filters, version: int | None = None
) -> dict[str, Any]:
    """The rows every zone's query reads, read from the lake once into the engine's memory.

    One query per zone scanned the whole range once per zone (five zones, five scans: 4x a plain scan in
    bench/ramp.py). The rows of the agents given, over the range widened by a day on each side (any zone's
    local dates), with only the columns the metric and the grouping read; each zone's query then runs
    over them, unchanged. Not for metrics with helpers looking across customers (FCR's repeat window
    reads other agents' contacts): those read the lake per zone."""
    dated = DATED_BY[m.source]
    wide = MetricRequest(metrics=(m.key,), start=start - timedelta(days=1), end=end + timedelta(days=1))
    snapshot = lake.snapshot(m.source, version, months=months_read(wide, m.source))
    t = table_from_snapshot(con, snapshot)
    keep = {"provider", "agent", dated, *m.columns, *filters}
    low = datetime.combine(wide.start, datetime.min.time()).replace(tzinfo=UTC)
    high = datetime.combine(wide.end, datetime.min.time()).replace(tzinfo=UTC)
    t = t.filter(
        t.provider.isin(sorted({p for p, _ in everyone})), t.agent.isin(sorted({a for _, a in everyone})),
        t[dated] >= low, t[dated] < high,
    ).select(*[c for c in t.columns if c in keep])  # fmt: skip
    return {m.source: con.create_table(ibis.util.gen_name("ramp"), t, temp=True)}
