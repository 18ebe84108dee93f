"""Ramp curves per provider, site and hiring cohort, the proficient band, and the ramp a hiring plan uses.

The benchmark is the internal team's median over its tenured agents: each internal agent with more than
``TENURED_AFTER_WEEKS`` weeks of tenure pools their tenured weeks into one value (at least the metric's
minimum volume, so one call does not make an agent), and the benchmark is the median of those values.
A cohort is proficient in a week when its pooled value is at least as good as the benchmark worsened by
the band (AHT at most median x 1.10, FCR at least median x 0.90 with the default 10 %): doing better
than the internal team is proficient too. The week reached is the first week of tenure with enough
volume (the metric's minimum) in the band; "not yet" (None) when no week is.
Cohorts of fewer than ``MIN_COHORT_AGENTS`` agents are shown but not used: not in the ramp a hiring
plan derives, where one or two people would stand for a provider's whole intake. Cohorts hired before the
data begins are neither shown nor used (``observed``): their ramp is not in the lake.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .tenure import AgentWeek, ramp_metric

TENURED_AFTER_WEEKS = 26
MIN_COHORT_AGENTS = 5
DEFAULT_BAND_PERCENT = 10.0
#: the levels a curve can be drawn at; a cohort is a provider's site's hires of one month
LEVELS = {"provider": ("provider",), "site": ("provider", "site"), "cohort": ("provider", "site", "hire_month")}


@dataclass(frozen=True)
class Benchmark:
    value: float | None  # None: no tenured internal agent with enough volume
    agents: int


@dataclass(frozen=True)
class Point:
    week: int
    value: float
    volume: int
    agents: int
    enough: bool  # volume at least the metric's minimum: counts for the week reached


@dataclass(frozen=True)
class Curve:
    provider: str
    site: str | None
    hire_month: date | None
    agents: int
    points: list[Point]
    reached_week: int | None  # None: not yet

    @property
    def too_small(self) -> bool:
        return self.agents < MIN_COHORT_AGENTS


def _scale(metric) -> float:
    # the ramp metrics scale by a constant (percent x 100); none is annualised
    return float(metric.scale) if not callable(metric.scale) else 1.0


def benchmark(weeks: Iterable[AgentWeek], *, metric: str, internal: set[str],
              tenured_after: int = TENURED_AFTER_WEEKS) -> Benchmark:  # fmt: skip
    """The median, over tenured internal agents, of each one's pooled value in their tenured weeks."""
    m = ramp_metric(metric)
    pooled: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for w in weeks:
        if w.provider in internal and w.tenure_week > tenured_after:
            p = pooled[(w.provider, w.agent)]
            p[0] += w.numerator
            p[1] += w.denominator
            p[2] += w.volume
    values = [num / den * _scale(m) for num, den, vol in pooled.values() if den and vol >= m.min_volume]
    return Benchmark(statistics.median(values) if values else None, len(values))


def in_band(value: float, bench: float, *, metric: str, band_percent: float = DEFAULT_BAND_PERCENT) -> bool:
    """As good as the benchmark give or take the band, or better (the metric's direction says which way)."""
    m = ramp_metric(metric)
    if m.direction.kind == "lower":
        return value <= bench * (1 + band_percent / 100)
    return value >= bench * (1 - band_percent / 100)


def curves(weeks: Iterable[AgentWeek], *, metric: str, level: str = "cohort", bench: float | None,
           band_percent: float = DEFAULT_BAND_PERCENT, max_week: int | None = None) -> list[Curve]:  # fmt: skip
    """One curve per group of ``level`` (provider, site or cohort), weeks of tenure in order."""
    m = ramp_metric(metric)
    band = band_percent
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    keys = LEVELS[level]
    sums: dict[tuple, dict[int, list]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0, 0, set()]))
    members: dict[tuple, set] = defaultdict(set)
    for w in weeks:
        key = tuple(getattr(w, k) for k in keys)
        members[key].add(w.agent)
        if max_week is not None and w.tenure_week > max_week:
            continue
        s = sums[key][w.tenure_week]
        s[0] += w.numerator
        s[1] += w.denominator
        s[2] += w.volume
        s[3].add(w.agent)
    out = []
    for key in sorted(members, key=lambda k: tuple((v is None, v) for v in k)):
        points = [
            Point(week, num / den * _scale(m), vol, len(who), vol >= m.min_volume)
            for week, (num, den, vol, who) in sorted(sums[key].items())
            if den
        ]
        reached = None
        if bench is not None:
            good = [p.week for p in points if p.enough and in_band(p.value, bench, metric=metric, band_percent=band)]
            reached = good[0] if good else None
        named = dict(zip(keys, key, strict=True))
        out.append(
            Curve(named["provider"], named.get("site"), named.get("hire_month"), len(members[key]), points, reached)
        )
    return out


def observed(weeks: Sequence[AgentWeek]) -> list[AgentWeek]:
    """The agent-weeks of agents hired in or after the first week the data holds: an older hire's first
    weeks are not in the lake, so where their curve starts says nothing about how fast they ramped."""
    if not weeks:
        return []
    first = min(w.week_start for w in weeks)
    return [w for w in weeks if w.week_start - timedelta(weeks=w.tenure_week) >= first]


def usable(weeks: Sequence[AgentWeek]) -> list[AgentWeek]:
    """The agent-weeks of observed cohorts large enough to stand for a provider's intake."""
    seen = observed(weeks)
    size: dict[tuple, set] = defaultdict(set)
    for w in seen:
        size[(w.provider, w.site, w.hire_month)].add(w.agent)
    return [w for w in seen if len(size[(w.provider, w.site, w.hire_month)]) >= MIN_COHORT_AGENTS]


def productivity(value: float, bench: float, *, metric: str) -> float:
    """How much of a proficient agent's work a week is worth, capped at 1: for AHT the internal median
    over the cohort's handle time (twice as long per contact is half the contacts), for a higher-is-better
    metric the cohort's value over the median."""
    m = ramp_metric(metric)
    share = bench / value if m.direction.kind == "lower" else value / bench
    return min(1.0, share)


def ramp_fractions(curve: Curve, bench: float, *, metric: str) -> tuple[float, ...] | None:
    """The proficiency per week after training for a hiring plan, from a measured curve.

    From the first week with enough volume up to the week before the band is reached; from then on a
    hire counts as proficient (1.0). A week without enough volume in between takes the week before's
    value. None when the curve never reaches the band: the measured ramp does not say when it ends.
    """
    if curve.reached_week is None:
        return None
    usable_points = {p.week: p for p in curve.points if p.enough}
    first = min(usable_points)
    fractions: list[float] = []
    for week in range(first, curve.reached_week):
        p = usable_points.get(week)
        fractions.append(productivity(p.value, bench, metric=metric) if p else fractions[-1])
    return tuple(fractions)
