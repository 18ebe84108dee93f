"""Prepare a source table for aggregation: scope, reporting period, helper columns.

Each ``prepare_*`` returns a table with the requested dimensions, a ``period``
column (local start date of the period; absent for grain 'none') and the helper
columns the metric expressions of ``interactions`` and ``workforce`` read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import ibis
import ibis.expr.types as ir

from .conventions import DEFAULT as DEFAULT_CONVENTIONS
from .conventions import Conventions, business_seconds_between
from .periods import period_of_date, period_of_timestamp, utc_literal

DIMENSIONS = ("provider", "site", "team", "agent", "program", "contact_type", "channel", "language")

SOURCE_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "interactions": DIMENSIONS,
    "intervals": ("provider", "site", "program", "contact_type", "channel"),
    "roster": ("provider", "site", "team", "agent"),
    "evaluations": ("provider", "site", "team", "agent", "program", "contact_type", "channel"),
    "agent_states": ("provider", "site", "team", "agent"),
}


@dataclass(frozen=True)
class Scope:
    """What every source is cut to: range, zone, grain, filters, grouping."""

    start: date
    end: date
    start_utc: datetime
    end_utc: datetime
    segments: list[tuple[datetime, int]]  # UTC offsets of the zone over the range
    grain: str
    filters: Mapping[str, Sequence[str]]
    group_by: tuple[str, ...]
    conventions: Conventions = DEFAULT_CONVENTIONS


def _dimension_filter(t: ir.Table, filters: Mapping[str, Sequence[str]]) -> list[ir.BooleanValue]:
    return [t[dim].isin(list(values)) for dim, values in filters.items()]


def _seconds_between(later: ir.TimestampValue, earlier: ir.TimestampValue) -> ir.FloatingValue:
    # Whole seconds: Spark's epoch is an integer, DuckDB's is fractional; flooring both
    # keeps the backends equal (durations from timestamps are minutes to days anyway).
    return (later.epoch_seconds().floor() - earlier.epoch_seconds().floor()).cast("float64")


HELPER_INPUTS = (
    "created_at", "answered_at", "resolved_at", "abandoned", "resolved", "wait_seconds",
    "talk_seconds", "hold_seconds", "wrap_seconds",
)  # fmt: skip


def _interaction_columns(scope: Scope, needs: frozenset[str], params: Mapping) -> set[str]:
    columns = {*scope.group_by, *scope.filters, *params.get("_columns", ())}
    if "next_contact" in needs:
        # The window sorts every contact of the range: keep it narrow. The query layer
        # aggregates metrics needing the window apart from the others (see query.py).
        return columns | {"created_at", "customer_key", "external_id"}
    if scope.conventions.hours == "business":
        columns |= {"provider", "site"}
    return columns | set(HELPER_INPUTS)


def prepare_interactions(t: ir.Table, scope: Scope, needs: frozenset[str], params: Mapping) -> ir.Table:
    # Only the columns the request reads travel through the (costly) repeat window.
    keep = [c for c in t.columns if c in _interaction_columns(scope, needs, params)]
    t = t.select(*keep)
    start_utc, end_utc = utc_literal(t.created_at, scope.start_utc), utc_literal(t.created_at, scope.end_utc)
    if "next_contact" in needs:
        # The repeat window looks forward from each contact, across providers and past
        # the range end, so the window runs before the dimension filters, over the range
        # extended by the longest window requested.
        horizon = t.created_at.max().as_scalar()
        window_days = max(params.get("window_days", [7]))
        reach = scope.end_utc + timedelta(days=window_days)
        t = t.filter(t.created_at >= start_utc, t.created_at < utc_literal(t.created_at, reach))
        t = t.mutate(
            next_created=t.created_at.lead().over(group_by=t.customer_key, order_by=[t.created_at, t.external_id]),
            horizon=horizon,
        )
        in_range = (t.created_at >= start_utc) & (t.created_at < end_utc)
    else:
        # the date a contact counts by (created, answered or resolved): FCR above stays on created
        counted = t[scope.conventions.count_column]
        in_range = (counted >= utc_literal(counted, scope.start_utc)) & (counted < utc_literal(counted, scope.end_utc))
    t = t.filter(in_range, *_dimension_filter(t, scope.filters))
    have = set(t.columns)
    helpers = {}
    if {"answered_at", "abandoned"} <= have:
        helpers["handled"] = t.answered_at.notnull() & ~t.abandoned
    if {"talk_seconds", "hold_seconds", "wrap_seconds"} <= have:
        helpers["handle_s"] = t.talk_seconds.fill_null(0) + t.hold_seconds.fill_null(0) + t.wrap_seconds.fill_null(0)
        helpers["has_handle"] = t.talk_seconds.notnull() | t.hold_seconds.notnull() | t.wrap_seconds.notnull()
    if {"answered_at", "wait_seconds"} <= have:
        helpers["wait_s"] = t.wait_seconds.fill_null(_seconds_between(t.answered_at, t.created_at))
    between = _seconds_between
    if scope.conventions.hours == "business" and {"provider", "site"} <= have:

        def between(later, earlier):
            return business_seconds_between(scope.conventions, t.provider, t.site, earlier, later)

    if "answered_at" in have:
        helpers["first_response_s"] = between(t.answered_at, t.created_at)
    if "resolved_at" in have:
        helpers["resolution_s"] = between(t.resolved_at, t.created_at)
    if {"first_resolved_at", "resolved_at", "resolved", "reopened"} <= have:
        # never reopened: the only resolution is the first one (sources that give no first resolution)
        only = ibis.ifelse(t.resolved & ~t.reopened, t.resolved_at, ibis.null(t.resolved_at.type()))
        helpers["first_resolution_s"] = between(t.first_resolved_at.fill_null(only), t.created_at)
    counted_by = "created_at" if "next_contact" in needs else scope.conventions.count_column
    period = period_of_timestamp(t[counted_by], scope.grain, scope.segments)
    if period is not None:
        helpers["period"] = period
    return t.mutate(**helpers)


def prepare_intervals(t: ir.Table, scope: Scope, needs: frozenset[str], params: Mapping) -> ir.Table:
    t = t.filter(
        t.interval_start >= utc_literal(t.interval_start, scope.start_utc),
        t.interval_start < utc_literal(t.interval_start, scope.end_utc),
        *_dimension_filter(t, scope.filters),
    )
    period = period_of_timestamp(t.interval_start, scope.grain, scope.segments)
    return t if period is None else t.mutate(period=period)


def prepare_agent_states(t: ir.Table, scope: Scope, needs: frozenset[str], params: Mapping) -> ir.Table:
    """Agent-state intervals in range; ``paid_s`` is the paid time, logged-in time where WFM gave none."""
    t = t.filter(
        t.interval_start >= utc_literal(t.interval_start, scope.start_utc),
        t.interval_start < utc_literal(t.interval_start, scope.end_utc),
        *_dimension_filter(t, scope.filters),
    )
    t = t.mutate(paid_s=t.paid_seconds.fill_null(t.logged_in_seconds))
    period = period_of_timestamp(t.interval_start, scope.grain, scope.segments)
    return t if period is None else t.mutate(period=period)


def prepare_roster(t: ir.Table, scope: Scope, needs: frozenset[str], params: Mapping) -> ir.Table:
    dims = list(scope.group_by)
    snaps = t.filter(
        t.snapshot_date >= scope.start,
        t.snapshot_date < scope.end,
        *_dimension_filter(t, scope.filters),
    )
    period = period_of_date(snaps.snapshot_date, scope.grain)
    snaps = snaps.mutate(
        active=(
            (snaps.hire_date <= snaps.snapshot_date)
            & (snaps.exit_date.isnull() | (snaps.exit_date > snaps.snapshot_date))
        ).cast("int64"),
        tenure_days=snaps.snapshot_date.delta(snaps.hire_date, unit="day").cast("int64"),
        exits=ibis.literal(0, "int64"),
        exit_reason=ibis.null("string"),
        **({} if period is None else {"period": period}),
    )
    # Headcount is averaged over the snapshot dates of the period in scope (not of the
    # group), so a site that opened mid-month is not averaged over its own days only.
    if period is None:
        snaps = snaps.mutate(snapshots_in_period=snaps.snapshot_date.nunique().as_scalar())
    else:
        counts = snaps.group_by("period").aggregate(snapshots_in_period=snaps.snapshot_date.nunique())
        snaps = snaps.inner_join(counts, "period")
    columns = [*dims, *(["period"] if period is not None else [])]
    columns += ["active", "tenure_days", "exits", "exit_reason", "snapshots_in_period"]
    prepared = snaps.select(*columns)
    if "exits" in needs:
        # An exit is dated by its exit date and attributed where the agent last worked.
        left = t.filter(t.exit_date.notnull())
        left = left.mutate(
            latest=ibis.row_number().over(group_by=[left.source, left.agent], order_by=left.snapshot_date.desc())
        )
        left = left.filter(
            left.latest == 0,
            left.exit_date >= scope.start,
            left.exit_date < scope.end,
            *_dimension_filter(left, scope.filters),
        )
        exit_period = period_of_date(left.exit_date, scope.grain)
        exits = left.mutate(
            active=ibis.literal(0, "int64"),
            tenure_days=ibis.null("int64"),
            exits=ibis.literal(1, "int64"),
            exit_reason=left.exit_reason.cast("string"),
            snapshots_in_period=ibis.null("int64"),
            **({} if exit_period is None else {"period": exit_period}),
        ).select(*columns)
        prepared = prepared.union(exits.cast(prepared.schema()))
    return prepared


def prepare_evaluations(t: ir.Table, scope: Scope, needs: frozenset[str], params: Mapping) -> ir.Table:
    """QA evaluations count in the period they were completed (a closed month stays closed)."""
    t = t.filter(
        t.evaluated_at >= utc_literal(t.evaluated_at, scope.start_utc),
        t.evaluated_at < utc_literal(t.evaluated_at, scope.end_utc),
        *_dimension_filter(t, scope.filters),
    )
    period = period_of_timestamp(t.evaluated_at, scope.grain, scope.segments)
    return t if period is None else t.mutate(period=period)


PREPARE: dict[str, Callable[[ir.Table, Scope, frozenset[str], Mapping], ir.Table]] = {
    "interactions": prepare_interactions,
    "intervals": prepare_intervals,
    "roster": prepare_roster,
    "evaluations": prepare_evaluations,
    "agent_states": prepare_agent_states,
}
