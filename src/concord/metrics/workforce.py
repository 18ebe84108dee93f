"""Metrics over interval reports (queue statistics) and roster snapshots.

Intervals: the prepared table is the interval rows in range, with their local period.

Roster: the prepared table (see ``sources.prepare_roster``) unions two kinds of rows:
- one per agent per snapshot in range: ``active`` (1 if hired on or before the
  snapshot and not yet gone), ``tenure_days`` and ``snapshots_in_period`` (how
  many snapshot dates the period holds in scope, to average headcount over);
- one per agent whose exit date falls in range (from the agent's latest
  snapshot), dated by the exit: ``exits`` = 1 and its ``exit_reason``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .periods import annualisation_factor
from .registry import HIGHER, LOWER, Direction, Metric, Param, ScaleContext, register


def _productive_seconds(t):
    return t.handle_seconds.fill_null(0) + t.available_seconds.fill_null(0)


def _occupancy(key: str, label: str, source: str, origin: str) -> Metric:
    """Handle time / (handle + available time); interval reports and agent-state reports both carry them."""
    return register(
        Metric(
            key=key,
            label=label,
            description=f"Handle time / (handle + available time), from {origin}.",
            unit="percent",
            direction=Direction("band", 75.0, 90.0),
            category="people",
            source=source,
            columns=("handle_seconds", "available_seconds"),
            numerator=lambda t, p: t.handle_seconds.fill_null(0).sum(),
            denominator=lambda t, p: _productive_seconds(t).sum(),
            # Volume in hours of productive time: occupancy over a few minutes means little.
            volume=lambda t, p: (_productive_seconds(t).sum() / 3600).floor(),
            min_volume=8,
            scale=100.0,
        )
    )


_occupancy("occupancy", "Occupancy", "intervals", "interval reports")
_occupancy("agent_occupancy", "Occupancy (agent states)", "agent_states", "agent-state reports (per agent)")


def _interval_sl_den(t, p):
    return (t.answered + t.abandoned).sum()


register(
    Metric(
        key="interval_service_level",
        label="Service level (ACD intervals)",
        description=(
            "Answered within the ACD's threshold / (answered + abandoned after the short-abandon "
            "threshold), as the telephony platform counted them."
        ),
        unit="percent",
        direction=HIGHER,
        category="customer",
        source="intervals",
        columns=("answered", "abandoned", "answered_within_threshold"),
        numerator=lambda t, p: t.answered_within_threshold.fill_null(0).sum(),
        denominator=_interval_sl_den,
        volume=_interval_sl_den,
        scale=100.0,
    )
)
register(
    Metric(
        key="interval_abandon_rate",
        label="Abandon rate (ACD intervals)",
        description="Abandoned after the short-abandon threshold / offered, from interval reports.",
        unit="percent",
        direction=LOWER,
        category="customer",
        source="intervals",
        columns=("abandoned", "offered"),
        numerator=lambda t, p: t.abandoned.sum(),
        denominator=lambda t, p: t.offered.sum(),
        volume=lambda t, p: t.offered.sum(),
        scale=100.0,
    )
)
register(
    Metric(
        key="contacts_per_productive_hour",
        label="Contacts per productive hour",
        description="Answered contacts / productive hours (handle + available), from intervals.",
        unit="per_hour",
        direction=HIGHER,
        category="efficiency",
        source="intervals",
        columns=("answered", "handle_seconds", "available_seconds"),
        numerator=lambda t, p: t.answered.sum(),
        denominator=lambda t, p: _productive_seconds(t).sum() / 3600,
        volume=lambda t, p: (_productive_seconds(t).sum() / 3600).floor(),
        min_volume=8,
    )
)


# --- agent states (per agent and interval: paid, logged in, handling, available, not ready) ----------


def _known_paid(t):
    return t.paid_s.notnull() & (t.paid_s > 0)


register(
    Metric(
        key="shrinkage",
        label="Shrinkage",
        description=(
            "1 - productive hours (handling + available) / paid hours, per agent-state report; paid hours "
            "are WFM's scheduled time, or logged-in time when the report has none (internal shrinkage only)."
        ),
        unit="percent",
        direction=LOWER,
        category="people",
        source="agent_states",
        columns=("handle_seconds", "available_seconds", "paid_seconds", "logged_in_seconds"),
        # 1 - productive / paid = (paid - productive) / paid, over intervals whose paid time is known
        numerator=lambda t, p: (t.paid_s - _productive_seconds(t)).sum(where=_known_paid(t)),
        denominator=lambda t, p: t.paid_s.sum(where=_known_paid(t)),
        volume=lambda t, p: (t.paid_s.sum(where=_known_paid(t)) / 3600).floor(),
        min_volume=8,
        scale=100.0,
    )
)


# --- roster -----------------------------------------------------------------------------


def _avg_headcount(t, p):
    return t.active.sum() / t.snapshots_in_period.max()


def _annualised_percent(ctx: ScaleContext, p: Mapping[str, Any]) -> float:
    return 100.0 * annualisation_factor(ctx.grain, ctx.start, ctx.end)


def _exits(t, p):
    if p["reason"] is None:
        return t.exits.sum()
    return t.exits.sum(where=t.exit_reason == p["reason"])


register(
    Metric(
        key="attrition",
        label="Attrition (annualised)",
        description=(
            "Agents leaving in the period / average headcount over the period's roster "
            "snapshots, annualised (x12 for a month, x52 a week, x4 a quarter, x365 a day; "
            "365 / days of the range without a grain)."
        ),
        unit="percent",
        direction=LOWER,
        category="people",
        source="roster",
        columns=("agent", "snapshot_date", "hire_date", "exit_date", "exit_reason"),
        numerator=_exits,
        denominator=_avg_headcount,
        volume=lambda t, p: _avg_headcount(t, p).round().cast("int64"),
        scale=_annualised_percent,
        min_volume=10,
        params=(Param("reason", str, None, "Only 'voluntary' or 'involuntary' exits; None for all."),),
        needs=frozenset({"exits"}),
        no_meaning_by=(("agent", "one person either stays or leaves: a rate needs a group"),),
    )
)
register(
    Metric(
        key="headcount",
        label="Average headcount",
        description="Agents employed, averaged over the period's roster snapshots.",
        unit="people",
        direction=HIGHER,
        category="people",
        source="roster",
        columns=("agent", "snapshot_date", "hire_date", "exit_date"),
        numerator=_avg_headcount,
        volume=lambda t, p: _avg_headcount(t, p).round().cast("int64"),
        min_volume=0,
        no_meaning_by=(("agent", "one person is a headcount of one"),),
    )
)


def _tenure_in_band(t, p):
    band = t.tenure_days >= p["min_days"]
    if p["max_days"] is not None:
        band &= t.tenure_days < p["max_days"]
    return t.active.sum(where=band)


register(
    Metric(
        key="tenure_share",
        label="Tenure mix (share in band)",
        description=(
            "Share of employed agent-snapshots whose tenure is in [min_days, max_days); "
            "the default band, under 90 days, is the share of new hires."
        ),
        unit="percent",
        direction=Direction("band", 0.0, 30.0),
        category="people",
        source="roster",
        columns=("agent", "snapshot_date", "hire_date", "exit_date"),
        numerator=_tenure_in_band,
        denominator=lambda t, p: t.active.sum(),
        volume=lambda t, p: _avg_headcount(t, p).round().cast("int64"),
        scale=100.0,
        min_volume=10,
        params=(
            Param("min_days", int, 0, "Lower bound of tenure, in days (inclusive)."),
            Param("max_days", int, 90, "Upper bound of tenure, in days (exclusive); None: open."),
        ),
        no_meaning_by=(("agent", "a mix needs a group: one person is in the band or not"),),
    )
)
register(
    Metric(
        key="tenure_mean",
        label="Mean tenure",
        description="Mean days since hire of employed agents, over the period's snapshots.",
        unit="days",
        direction=HIGHER,
        category="people",
        source="roster",
        columns=("agent", "snapshot_date", "hire_date", "exit_date"),
        numerator=lambda t, p: t.tenure_days.sum(where=t.active == 1),
        denominator=lambda t, p: t.active.sum(),
        volume=lambda t, p: _avg_headcount(t, p).round().cast("int64"),
        min_volume=10,
    )
)
