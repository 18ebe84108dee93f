"""The composite scorecard index: normalised attainment per metric, weighted, 0-100.

Pure (no Django), so the arithmetic is tested by hand.

Attainment of one metric against its target:

- higher is better: ``value / target``
- lower is better: ``target / value`` (a value of 0 beats any target: the cap)
- inside a band [low, high]: 1; below it ``value / low``, above it ``high / value``

Each attainment is clipped to [0, cap] (cap 1.2 by default) so over-performance
on one metric can make up for only a little under-performance on another: no
single metric can be gamed unseen. The index is the weighted mean of the capped
attainments scaled so that the cap is 100; a card exactly on target everywhere
scores ``100 / cap`` (83.3 with the default cap).

A metric with too little volume (or no value at all) is excluded and its weight
is shared among the others in proportion to their weights; it stays on the card,
marked, with an effective weight of 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

DEFAULT_CAP = 1.2
Kind = Literal["higher", "lower", "band"]
Status = Literal["included", "too_little_volume", "no_data"]


@dataclass(frozen=True)
class ComponentInput:
    name: str
    value: float | None
    target: float | None
    weight: float
    kind: Kind
    band_low: float | None = None
    band_high: float | None = None
    too_little_volume: bool = False
    volume: int = 0


@dataclass(frozen=True)
class Component:
    input: ComponentInput
    status: Status
    attainment: float | None  # raw, before the cap
    capped: float | None
    effective_weight: float  # after redistribution; weights sum to the card's total weight
    points: float  # this component's share of the 0-100 index

    @property
    def name(self) -> str:
        return self.input.name

    @property
    def included(self) -> bool:
        return self.status == "included"


@dataclass(frozen=True)
class IndexResult:
    index: float | None  # None when no component could be scored
    components: list[Component]
    cap: float

    @property
    def on_target_score(self) -> float:
        return 100.0 / self.cap

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)


def attainment(
    value: float,
    *,
    kind: Kind,
    target: float | None = None,
    band_low: float | None = None,
    band_high: float | None = None,
) -> float:
    """Raw (uncapped, non-negative) attainment of ``value``."""
    if kind == "band":
        if band_low is None or band_high is None or band_low > band_high:
            raise ValueError("a band needs low <= high")
        if value < band_low:
            return max(value, 0.0) / band_low if band_low > 0 else 0.0
        if value > band_high:
            return band_high / value if band_high > 0 else 0.0
        return 1.0
    if target is None or target <= 0:
        raise ValueError("a target must be above zero")
    if kind == "higher":
        return max(value, 0.0) / target
    if kind == "lower":
        return float("inf") if value <= 0 else target / value
    raise ValueError(f"unknown direction {kind!r}")


def composite(inputs: Sequence[ComponentInput], *, cap: float = DEFAULT_CAP) -> IndexResult:
    if cap < 1:
        raise ValueError("the cap must be at least 1")
    total = sum(i.weight for i in inputs)
    scored: list[tuple[ComponentInput, Status, float | None, float | None]] = []
    for item in inputs:
        if item.weight < 0:
            raise ValueError(f"{item.name}: a weight cannot be negative")
        if item.value is None:
            scored.append((item, "no_data", None, None))
        elif item.too_little_volume:
            raw = attainment(
                item.value, kind=item.kind, target=item.target, band_low=item.band_low, band_high=item.band_high
            )
            scored.append((item, "too_little_volume", raw, min(raw, cap)))
        else:
            raw = attainment(
                item.value, kind=item.kind, target=item.target, band_low=item.band_low, band_high=item.band_high
            )
            scored.append((item, "included", raw, min(raw, cap)))
    included_weight = sum(i.weight for i, status, _, _ in scored if status == "included")
    if included_weight <= 0:
        components = [Component(i, s, a, c, 0.0, 0.0) for i, s, a, c in scored]
        return IndexResult(None, components, cap)
    components = []
    for item, status, raw, capped in scored:
        if status != "included":
            components.append(Component(item, status, raw, capped, 0.0, 0.0))
            continue
        effective = item.weight * total / included_weight
        points = 100.0 * (effective / total) * (capped / cap)
        components.append(Component(item, status, raw, capped, effective, points))
    return IndexResult(sum(c.points for c in components), components, cap)
