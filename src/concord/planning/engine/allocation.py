"""Split the forecast workload across providers at least cost (HiGHS through scipy.milp).

Workload comes in *segments*: (period, language) with an amount in one unit throughout
(FTE-hours, FTE or contacts; the cost rates must be per that unit). Variables are the
amount x[p, s] given to provider p in segment s, defined only where p covers the
period and speaks the language. The program:

    minimise    sum rate_p x[p, s]
    subject to  sum_p x[p, s] = demand_s                      every segment is served
                sum_{s in period t} x[p, s] <= capacity_p(t)  seats / hiring ramp
                min_share_p D <= sum_s x[p, s] <= max_share_p D   redundancy, concentration
                x[p, s] = 0 if quality_p < floor  (or share <= below_floor_max_share)

with D the total demand. ``integer=True`` makes the amounts whole (e.g. FTE).

Least cost rarely has one answer: with equal rates any split costs the same, and a
solver's first vertex may hand everything to the weakest provider. Ties are therefore
broken in order, each stage keeping the optimum of the one before: (1) least cost,
(2) most quality (sum of quality index x amount), (3) the most even spread: the largest
provider share as small as the share limits allow.

When the program is infeasible the reason is named: first by direct checks (total
capacity below demand, minimum shares above 100%, a segment no eligible provider can
carry, ...), then, failing those, by re-solving with one constraint family relaxed at a
time to find the family that binds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp


@dataclass(frozen=True)
class Segment:
    period: str
    language: str
    demand: float


@dataclass(frozen=True)
class Provider:
    name: str
    rate: float  # cost per unit of workload
    capacity: float | Mapping[str, float]  # per period; a number applies to every period
    languages: frozenset[str]
    periods: frozenset[str] | None = None  # hours of coverage; None = every period
    quality_index: float = 100.0
    min_share: float = 0.0
    max_share: float = 1.0

    def capacity_in(self, period: str) -> float:
        if isinstance(self.capacity, Mapping):
            return float(self.capacity.get(period, 0.0))
        return float(self.capacity)

    def covers(self, segment: Segment) -> bool:
        return segment.language in self.languages and (self.periods is None or segment.period in self.periods)


@dataclass(frozen=True)
class AllocationResult:
    feasible: bool
    message: str
    cost: float = float("nan")
    allocation: dict[tuple[str, str, str], float] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)
    binding: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()  # providers the quality floor shut out, said in words


def allocate(
    segments: Sequence[Segment],
    providers: Sequence[Provider],
    *,
    quality_floor: float | None = None,
    below_floor_max_share: float = 0.0,
    integer: bool = False,
) -> AllocationResult:
    """Least-cost split of ``segments`` across ``providers`` (see module docstring)."""
    segments = [s for s in segments if s.demand > 0]
    if any(s.demand < 0 for s in segments) or any(p.rate < 0 for p in providers):
        raise ValueError("demand and rates must be >= 0")
    excluded = tuple(
        f"{p.name} is excluded: its quality index {p.quality_index:g} is below the floor {quality_floor:g}"
        + (f" (it may take at most {below_floor_max_share:.0%})" if below_floor_max_share else "")
        for p in providers
        if quality_floor is not None and p.quality_index < quality_floor
    )
    providers = [_apply_quality_floor(p, quality_floor, below_floor_max_share) for p in providers]
    total = float(sum(s.demand for s in segments))
    if total == 0:
        return AllocationResult(True, "no demand", 0.0, {}, {p.name: 0.0 for p in providers}, excluded=excluded)
    problems = _diagnose(segments, providers, total, quality_floor)
    if problems:
        return AllocationResult(False, "; ".join(problems), binding=tuple(problems), excluded=excluded)
    result = _solve(segments, providers, total, integer)
    if result is not None:
        return replace(result, excluded=excluded)
    binding = _relaxation_probe(segments, providers, total, integer)
    return AllocationResult(False, "infeasible: " + "; ".join(binding), binding=tuple(binding), excluded=excluded)


def _apply_quality_floor(p: Provider, floor: float | None, cap: float) -> Provider:
    if floor is None or p.quality_index >= floor:
        return p
    return replace(p, max_share=min(p.max_share, cap), min_share=0.0)


def _diagnose(segments, providers, total, floor) -> list[str]:
    problems = []
    min_sum = sum(p.min_share for p in providers)
    if min_sum > 1 + 1e-9:
        problems.append(f"minimum shares add up to {min_sum:.0%} (> 100%)")
    periods = sorted({s.period for s in segments})
    cap_total = sum(p.capacity_in(t) for p in providers for t in periods)
    if cap_total < total - 1e-9:
        problems.append(f"total capacity {cap_total:g} is below total demand {total:g}")
    for s in segments:
        eligible = [p for p in providers if p.covers(s) and p.max_share > 0]
        cap = sum(p.capacity_in(s.period) for p in eligible)
        if not eligible:
            problems.append(f"no eligible provider covers {s.language} in {s.period}")
        elif cap < s.demand - 1e-9:
            problems.append(f"{s.language} in {s.period}: demand {s.demand:g} but eligible capacity only {cap:g}")
    max_sum = sum(p.max_share for p in providers)
    if max_sum < 1 - 1e-9:
        note = f" after the quality floor {floor:g}" if floor is not None else ""
        problems.append(f"maximum shares add up to {max_sum:.0%}{note} (< 100%)")
    for p in providers:
        reachable = sum(
            min(sum(s.demand for s in segments if s.period == t and p.covers(s)), p.capacity_in(t)) for t in periods
        )
        if p.min_share * total > reachable + 1e-9:
            problems.append(
                f"{p.name}: minimum share {p.min_share:.0%} of {total:g} exceeds what it can carry ({reachable:g})"
            )
    return problems


def _build(segments, providers, total, relax: frozenset[str] = frozenset()):
    pairs = [(i, j) for i, p in enumerate(providers) for j, s in enumerate(segments) if p.covers(s)]
    nvar = len(pairs)
    cost = np.array([providers[i].rate for i, _ in pairs], dtype=float)
    rows, lo, hi = [], [], []

    def add(coeffs: dict[int, float], lower: float, upper: float):
        row = np.zeros(nvar)
        for k, v in coeffs.items():
            row[k] = v
        rows.append(row)
        lo.append(lower)
        hi.append(upper)

    for j, s in enumerate(segments):
        add({k: 1.0 for k, (_, jj) in enumerate(pairs) if jj == j}, s.demand, s.demand)
    if "capacity" not in relax:
        for i, p in enumerate(providers):
            for t in sorted({s.period for s in segments}):
                ks = {k: 1.0 for k, (ii, jj) in enumerate(pairs) if ii == i and segments[jj].period == t}
                if ks:
                    add(ks, 0.0, p.capacity_in(t))
    if "shares" not in relax:
        for i, p in enumerate(providers):
            ks = {k: 1.0 for k, (ii, _) in enumerate(pairs) if ii == i}
            if ks:
                add(ks, p.min_share * total, p.max_share * total)
            elif p.min_share > 0:
                add({}, p.min_share * total, np.inf)  # unreachable minimum: infeasible row
    return pairs, cost, np.array(rows), np.array(lo), np.array(hi)


#: Slack on an earlier stage's optimum when the next stage keeps it (relative), and the decimals
#: amounts are rounded to so the solver's tolerance does not show as 59.99999 FTE.
_KEEP = 1e-9
_DECIMALS = 4


def _milp(objective, a, lo, hi, integrality):
    res = milp(objective, constraints=LinearConstraint(a, lo, hi), integrality=integrality, bounds=Bounds(0, np.inf))
    return res.x if res.success else None


def _solve(segments, providers, total, integer, relax=frozenset()) -> AllocationResult | None:
    pairs, cost, a, lo, hi = _build(segments, providers, total, relax)
    if not pairs:
        return None
    integrality = np.full(len(pairs), 1 if integer else 0)
    x = _milp(cost, a, lo, hi, integrality)
    if x is None:
        return None
    # (2) among the least-cost splits, the most quality
    best_cost = float(cost @ x)
    quality = np.array([providers[i].quality_index for i, _ in pairs], dtype=float)
    a2 = np.vstack([a, cost])
    lo2, hi2 = np.append(lo, -np.inf), np.append(hi, best_cost + _KEEP * max(1.0, abs(best_cost)))
    x = _milp(-quality, a2, lo2, hi2, integrality) if np.ptp(quality) > 0 else x
    if x is None:
        return None
    # (3) among those, the smallest largest share: z >= each provider's amount / total
    best_quality = float(quality @ x)
    n = len(pairs)
    spread_rows = []
    for i in range(len(providers)):
        row = np.zeros(n + 1)
        for k, (ii, _) in enumerate(pairs):
            if ii == i:
                row[k] = 1.0 / total
        row[n] = -1.0
        if row[:n].any():
            spread_rows.append(row)
    a3 = np.vstack([np.hstack([a2, np.zeros((a2.shape[0], 1))]), np.append(quality, 0.0), *spread_rows])
    lo3 = np.concatenate(
        [lo2, [best_quality - _KEEP * max(1.0, abs(best_quality))], np.full(len(spread_rows), -np.inf)]
    )
    hi3 = np.concatenate([hi2, [np.inf], np.zeros(len(spread_rows))])
    objective = np.append(np.zeros(n), 1.0)
    spread = _milp(objective, a3, lo3, hi3, np.append(integrality, 0))
    if spread is not None:
        x = spread[:n]
    x = np.round(x, _DECIMALS) + 0.0
    allocation = {
        (providers[i].name, segments[j].period, segments[j].language): float(v)
        for (i, j), v in zip(pairs, x, strict=True)
        if v > 0
    }
    shares = {p.name: 0.0 for p in providers}
    for (name, _, _), v in allocation.items():
        shares[name] += v / total
    binding = _binding(providers, segments, allocation, shares)
    return AllocationResult(True, "optimal", float(cost @ x), allocation, shares, binding)


def _binding(providers, segments, allocation, shares) -> tuple[str, ...]:
    out = []
    for p in providers:
        if p.max_share < 1 and shares[p.name] >= p.max_share - 1e-9:
            out.append(f"{p.name} at its maximum share {p.max_share:.0%}")
        if p.min_share > 0 and shares[p.name] <= p.min_share + 1e-9:
            out.append(f"{p.name} held at its minimum share {p.min_share:.0%}")
        for t in sorted({s.period for s in segments}):
            used = sum(v for (n, per, _), v in allocation.items() if n == p.name and per == t)
            cap = p.capacity_in(t)
            if cap > 0 and used >= cap - 1e-9:
                out.append(f"{p.name} at capacity in {t}")
    return tuple(out)


def _relaxation_probe(segments, providers, total, integer) -> list[str]:
    found = []
    for family, why in (("shares", "the minimum/maximum share limits"), ("capacity", "provider capacity per period")):
        if _solve(segments, providers, total, integer, frozenset({family})) is not None:
            found.append(f"{why} cannot be met together with demand (feasible without them)")
    return found or ["capacity and share limits together (neither alone is enough to relax)"]


@dataclass(frozen=True)
class Scenario:
    """A what-if: scale all demand, scale or remove providers' capacity."""

    name: str
    volume_factor: float = 1.0
    capacity_factor: Mapping[str, float] = field(default_factory=dict)


def compare_scenarios(
    segments: Sequence[Segment], providers: Sequence[Provider], scenarios: Sequence[Scenario], **options
) -> dict[str, AllocationResult]:
    """Solve each scenario on the same base, side by side (base first if named so)."""
    out = {}
    for sc in scenarios:
        segs = [replace(s, demand=s.demand * sc.volume_factor) for s in segments]
        provs = [_scale_capacity(p, sc.capacity_factor.get(p.name, 1.0)) for p in providers]
        out[sc.name] = allocate(segs, provs, **options)
    return out


def _scale_capacity(p: Provider, factor: float) -> Provider:
    if factor == 1.0:
        return p
    if isinstance(p.capacity, Mapping):
        return replace(p, capacity={k: v * factor for k, v in p.capacity.items()})
    return replace(p, capacity=p.capacity * factor)
