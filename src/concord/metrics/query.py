"""Typed metric queries: request -> one Ibis expression per source table -> typed result.

request = MetricRequest(
    metrics=(MetricRef("aht"), MetricRef("service_level", {"threshold_seconds": 30})),
    start=date(2026, 3, 1), end=date(2026, 4, 1), timezone="Europe/Madrid",
    grain="day", group_by=("provider", "site"), filters={"program": ["billing"]},
)
result = run(request, lake)                 # DuckDB in-process over the lake's Parquet files
result.rows[0].values["service_level(threshold_seconds=30)"].value
compile_request(request, tables).sql()      # the SQL, per source table
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from . import registry
from .backends import connect, table_from_snapshot
from .conventions import DEFAULT as DEFAULT_CONVENTIONS
from .conventions import Conventions
from .periods import INTRADAY_MINUTES, offset_segments, utc_bounds, zone
from .registry import Grain, Metric, ScaleContext
from .sources import DIMENSIONS, PREPARE, SOURCE_DIMENSIONS, Scope

GRAINS = ("none", "day", "week", "month", "quarter", *INTRADAY_MINUTES)


@dataclass(frozen=True)
class MetricRef:
    """One metric of a request, with its params and optional minimum-volume override."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    min_volume: int | None = None
    alias: str | None = None

    @property
    def name(self) -> str:
        """How the result names it: the key, plus any params given."""
        if self.alias:
            return self.alias
        if not self.params:
            return self.key
        inner = ",".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.key}({inner})"


@dataclass(frozen=True)
class MetricRequest:
    metrics: Sequence[MetricRef | str]
    start: date  # local date, inclusive
    end: date  # local date, exclusive
    timezone: str = "UTC"
    grain: Grain = "none"
    group_by: Sequence[str] = ()
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    versions: Mapping[str, int] = field(default_factory=dict)  # table -> pinned lake version
    conventions: Conventions = DEFAULT_CONVENTIONS  # date counted by, calendar or business hours

    def refs(self) -> list[MetricRef]:
        return [m if isinstance(m, MetricRef) else MetricRef(m) for m in self.metrics]


@dataclass(frozen=True)
class MetricValue:
    value: float | None
    numerator: float | None
    denominator: float | None
    volume: int
    too_little_volume: bool


@dataclass(frozen=True)
class ResultRow:
    dimensions: Mapping[str, str | None]
    period_start: date | datetime | None  # a naive local datetime for intraday grains
    values: Mapping[str, MetricValue]


@dataclass(frozen=True)
class MetricResult:
    rows: list[ResultRow]
    versions: Mapping[str, int | None]  # lake version read per source table
    sql: Mapping[str, str]  # per source table, when asked for (``with_sql``); empty otherwise
    backend: str

    def value(self, name: str, period: date | None = None, **dims: str) -> MetricValue | None:
        """The value of one metric for one row (by period and dimension values)."""
        for row in self.rows:
            if row.period_start == period and all(row.dimensions.get(k) == v for k, v in dims.items()):
                return row.values.get(name)
        return None


@dataclass(frozen=True)
class _Planned:
    ref: MetricRef
    metric: Metric
    params: dict[str, Any]
    min_volume: int
    # aggregate column names in the source's aggregation
    num: str
    den: str | None
    vol: str


@dataclass
class CompiledQuery:
    """The request turned into one aggregation expression per source table."""

    request: MetricRequest
    scope: Scope
    expressions: dict[str, ir.Table]
    planned: dict[str, list[_Planned]]
    order: list[str] = field(default_factory=list)  # metric names in result order

    def sql(self, dialect: str | None = None) -> dict[str, str]:
        return {source: ibis.to_sql(expr, dialect=dialect) for source, expr in self.expressions.items()}


def _validate(request: MetricRequest) -> None:
    if request.grain not in GRAINS:
        raise ValueError(f"unknown grain {request.grain!r}; use one of {', '.join(GRAINS)}")
    for dim in (*request.group_by, *request.filters):
        if dim not in DIMENSIONS:
            raise ValueError(f"unknown dimension {dim!r}; use one of {', '.join(DIMENSIONS)}")
    if len(set(request.group_by)) != len(request.group_by):
        raise ValueError("group_by names a dimension twice")
    names = [ref.name for ref in request.refs()]
    if len(set(names)) != len(names):
        raise ValueError("two metrics of the request have the same name; give one an alias")
    if not names:
        raise ValueError("a request needs at least one metric")


def make_scope(request: MetricRequest) -> Scope:
    tz = zone(request.timezone)
    start_utc, end_utc = utc_bounds(request.start, request.end, tz)
    return Scope(
        start=request.start,
        end=request.end,
        start_utc=start_utc,
        end_utc=end_utc,
        segments=offset_segments(start_utc, end_utc, tz),
        grain=request.grain,
        filters={k: tuple(v) for k, v in request.filters.items()},
        group_by=tuple(request.group_by),
        conventions=request.conventions,
    )


def _deduplicating_adder(aggregates: dict[str, ir.Scalar], prefix: str = "a"):
    """Identical aggregate expressions (e.g. a shared denominator) are computed once."""
    seen: dict[Any, str] = {}

    def add(expr: ir.Scalar) -> str:
        op = expr.op()
        if op not in seen:
            seen[op] = f"{prefix}{len(aggregates)}"
            aggregates[seen[op]] = _zero_when_nothing_matches(expr)
        return seen[op]

    return add


def _zero_when_nothing_matches(expr: ir.Scalar) -> ir.Scalar:
    """Every filtered count in ``expr`` is 0 when no row matches, on every engine. Spark compiles
    one as ``SUM(CAST(cond AS BIGINT))``, which is NULL when every condition is NULL (a group
    where no survey was answered); DuckDB's ``COUNT(*) FILTER`` gives 0. Found by the parity suite."""

    def coalesce(node, children):
        node = node.__recreate__(children) if children else node
        if isinstance(node, ops.CountStar | ops.Count) and node.where is not None:
            return ops.Coalesce((node, ops.Literal(0, dtype=node.dtype)))
        return node

    return expr.op().replace(coalesce, filter=ops.Value).to_expr()


def compile_request(request: MetricRequest, tables: Mapping[str, ir.Table]) -> CompiledQuery:
    """Build the expressions over ``tables`` (source name -> Ibis table) without running them."""
    _validate(request)
    scope = make_scope(request)
    by_source: dict[str, list[tuple[MetricRef, Metric, dict[str, Any]]]] = defaultdict(list)
    for ref in request.refs():
        metric = registry.get(ref.key)
        by_source[metric.source].append((ref, metric, metric.resolve_params(ref.params)))

    expressions: dict[str, ir.Table] = {}
    planned: dict[str, list[_Planned]] = {}
    order: list[str] = []
    for source, items in by_source.items():
        allowed = SOURCE_DIMENSIONS[source]
        foreign = [d for d in (*scope.group_by, *scope.filters) if d not in allowed]
        if foreign:
            keys = ", ".join(ref.name for ref, _, _ in items)
            raise ValueError(
                f"{keys} read the {source} table, which has no {', '.join(foreign)}; "
                f"it can be grouped and filtered by {', '.join(allowed)}"
            )
        if source not in tables:
            raise KeyError(f"no table given for source {source!r}")
        order += [ref.name for ref, _, _ in items]
        # Metrics needing a costly helper (the repeat window sorts every contact) are
        # aggregated in their own, narrow pass; the others in one pass without it. Both
        # passes group the same rows (same range and filters) by the same keys, so their
        # groups are the same and one query joins them on the keys.
        parts: dict[frozenset[str], list] = defaultdict(list)
        for item in items:
            parts[item[1].needs].append(item)
        keys = [*scope.group_by, *(["period"] if scope.grain != "none" else [])]
        joined, plans = None, []
        for i, (needs, part_items) in enumerate(sorted(parts.items(), key=lambda kv: sorted(kv[0]))):
            expr, part_plans = _compile_part(source, tables[source], scope, needs, part_items, keys, prefix=f"a{i}_")
            plans += part_plans
            if joined is None:
                joined = expr
            else:
                on = [joined[k].identical_to(expr[k]) for k in keys] or [ibis.literal(True)]
                joined = joined.inner_join(expr, on).select(
                    *[joined[c] for c in joined.columns], *[expr[c] for c in expr.columns if c not in keys]
                )
        expressions[source] = joined.order_by(keys) if keys else joined
        planned[source] = plans
    return CompiledQuery(request, scope, expressions, planned, order)


def _compile_part(source, table: ir.Table, scope: Scope, needs: frozenset[str], items, keys: list[str], prefix: str):
    params: dict[str, list[Any]] = defaultdict(list)
    for _, _, p in items:
        for k, v in p.items():
            params[k].append(v)
    params["_columns"] = sorted({c for _, m, _ in items for c in m.columns})
    prepared = PREPARE[source](table, scope, needs, params)

    aggregates: dict[str, ir.Scalar] = {}
    add = _deduplicating_adder(aggregates, prefix)

    plans = []
    for ref, metric, p in items:
        plans.append(
            _Planned(
                ref=ref,
                metric=metric,
                params=p,
                min_volume=metric.min_volume if ref.min_volume is None else ref.min_volume,
                num=add(metric.numerator(prepared, p)),
                den=None if metric.denominator is None else add(metric.denominator(prepared, p)),
                vol=add(metric.volume(prepared, p)),
            )
        )
    expr = prepared.aggregate(aggregates, by=keys) if keys else prepared.aggregate(aggregates)
    return expr, plans


def _number(x: Any) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if f != f else f  # NaN -> None


def _metric_value(plan: _Planned, record: Mapping[str, Any], ctx: ScaleContext) -> MetricValue:
    num = _number(record.get(plan.num))
    den = None if plan.den is None else _number(record.get(plan.den))
    volume = int(_number(record.get(plan.vol)) or 0)
    if plan.den is None:
        value = num if volume > 0 or plan.metric.unit == "count" else None
        if value is None and plan.metric.unit == "count":
            value = 0.0
    elif den:
        value = (num or 0.0) / den * plan.metric.scale_for(ctx, plan.params)
    else:
        value = None
    if plan.metric.unit == "count" and num is None:
        num = 0.0
    return MetricValue(value, num, den, volume, volume < plan.min_volume)


def _empty_record(plans: list[_Planned]) -> dict[str, Any]:
    return {p.vol: 0 for p in plans}


def assemble(compiled: CompiledQuery, frames: Mapping[str, list[dict[str, Any]]]) -> list[ResultRow]:
    """Merge the per-source aggregates into rows keyed by dimensions and period."""
    scope = compiled.scope
    dims = list(scope.group_by)
    merged: dict[tuple, dict[str, MetricValue]] = {}
    for source, records in frames.items():
        plans = compiled.planned[source]
        if not records and not dims and scope.grain == "none":
            records = [_empty_record(plans)]
        for record in records:
            period = record.get("period")
            if isinstance(period, datetime):
                # intraday: the bucket's local wall-clock start (Spark hands it back typed UTC)
                period = period.replace(tzinfo=None) if scope.grain in INTRADAY_MINUTES else period.date()
            key = (*(record.get(d) for d in dims), period)
            ctx = ScaleContext(scope.grain, period, scope.start, scope.end)
            values = merged.setdefault(key, {})
            for plan in plans:
                values[plan.ref.name] = _metric_value(plan, record, ctx)
    # A row that one source lacks gets that source's metrics at zero volume.
    rank = {name: i for i, name in enumerate(compiled.order)}
    all_plans = sorted((p for plans in compiled.planned.values() for p in plans), key=lambda p: rank.get(p.ref.name, 0))
    rows = []
    for key in sorted(merged, key=lambda k: tuple((v is None, v) for v in k)):
        values = merged[key]
        for plan in all_plans:
            if plan.ref.name not in values:
                ctx = ScaleContext(scope.grain, key[-1], scope.start, scope.end)
                values[plan.ref.name] = _metric_value(plan, _empty_record([plan]), ctx)
        ordered = {p.ref.name: values[p.ref.name] for p in all_plans}
        rows.append(ResultRow(dict(zip(dims, key[:-1], strict=True)), key[-1], ordered))
    return rows


def run_on_tables(
    request: MetricRequest,
    tables: Mapping[str, ir.Table],
    con: ibis.BaseBackend | None = None,
    versions: Mapping[str, int | None] | None = None,
    *,
    with_sql: bool = False,
) -> MetricResult:
    """Run over given Ibis tables (memtables in tests; snapshot tables from ``run``).

    ``with_sql`` also renders the SQL for a reader: compiling the expressions again cost as much as running
    them on a small lake, on every page's every query, for a field no page shows.
    """
    compiled = compile_request(request, tables)
    con = con or connect("duckdb")
    frames = {source: con.to_pyarrow(expr).to_pylist() for source, expr in compiled.expressions.items()}
    return MetricResult(
        rows=assemble(compiled, frames),
        versions=dict(versions or {}),
        sql=compiled.sql(con.name) if with_sql else {},
        backend=con.name,
    )


def sources_of(request: MetricRequest) -> list[str]:
    return sorted({registry.get(ref.key).source for ref in request.refs()})


def months_read(request: MetricRequest, source: str) -> tuple[str | None, str | None]:
    """The UTC months (partitions) of ``source`` a request can read: those its range touches.

    A metric looking forward past the range (the repeat-contact window, whose horizon is the latest
    contact of the whole table) reads every month from the range's first on; one counted by the answered
    or resolved date reads every month up to the range's last.
    """
    scope = make_scope(request)
    first = f"{scope.start_utc:%Y-%m}"
    forward = any("next_contact" in registry.get(ref.key).needs
                  for ref in request.refs() if registry.get(ref.key).source == source)
    if source == "interactions" and request.conventions.count_by != "created":
        # counted by the answered or resolved date: a contact created in any earlier month may count here
        # (partitions are by creation month), so only the upper end can be pruned
        return None, None if forward else f"{scope.end_utc:%Y-%m}"
    return first, None if forward else f"{scope.end_utc:%Y-%m}"


def run(request: MetricRequest, lake, con: ibis.BaseBackend | None = None, *, with_sql: bool = False) -> MetricResult:
    """Run over the lake, each source table pinned to ``request.versions`` or its latest."""
    con = con or connect("duckdb")
    tables, versions = {}, {}
    for source in sources_of(request):
        snapshot = lake.snapshot(source, request.versions.get(source), months=months_read(request, source))
        tables[source] = table_from_snapshot(con, snapshot)
        versions[source] = snapshot.version
    return run_on_tables(request, tables, con, versions, with_sql=with_sql)
