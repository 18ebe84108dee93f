"""The metric registry: every metric defined once, as data plus Ibis expressions.

A metric reads one source table of the lake. The query layer prepares that
table (filters, dimensions, reporting period, helper columns such as the next
contact of the same customer) and hands the prepared table to the metric's
expression functions, which return *aggregate* Ibis expressions. All metrics
of one request that read the same table are aggregated in one pass.

``value = numerator / denominator * scale`` for rates and ratios; metrics
without a denominator (median, p90, counts) take the numerator as their value.
Later modules (QA score, cost per contact) add metrics with ``register()``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import ibis.expr.types as ir

Unit = Literal["seconds", "percent", "ratio", "score", "count", "per_hour", "days", "people"]
Category = Literal["efficiency", "quality", "customer", "people", "cost"]
Grain = Literal["none", "day", "week", "month", "quarter", "15min", "30min", "60min"]

#: builds one aggregate expression from the prepared source table and the resolved params
AggregateFn = Callable[[ir.Table, Mapping[str, Any]], ir.Scalar]


@dataclass(frozen=True)
class Direction:
    """Which way is better: ``higher``, ``lower``, or inside a ``band`` [low, high]."""

    kind: Literal["higher", "lower", "band"]
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        if self.kind == "band" and (self.low is None or self.high is None or self.low > self.high):
            raise ValueError("a band direction needs low <= high")


HIGHER = Direction("higher")
LOWER = Direction("lower")


@dataclass(frozen=True)
class Param:
    """A named parameter of a metric, with its default."""

    name: str
    type: type
    default: Any
    description: str = ""
    choices: tuple = ()  # the only values allowed, when the parameter names a convention


@dataclass(frozen=True)
class ScaleContext:
    """What a scale function may look at: the period a value describes."""

    grain: Grain
    period_start: date | None
    start: date  # request range, local dates, [start, end)
    end: date


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    description: str
    unit: Unit
    direction: Direction
    category: Category
    source: str  # name of a fact table in concord.lake.schemas.TABLES
    columns: tuple[str, ...]  # source columns it reads
    numerator: AggregateFn
    volume: AggregateFn
    denominator: AggregateFn | None = None
    #: multiplies numerator/denominator; a callable gets the period (annualising)
    scale: float | Callable[[ScaleContext, Mapping[str, Any]], float] = 1.0
    min_volume: int = 30
    params: tuple[Param, ...] = ()
    #: helper columns the source preparation must provide (e.g. "next_contact")
    needs: frozenset[str] = field(default_factory=frozenset)
    #: (dimension, why) pairs: cut by that dimension the metric has no meaning, so it is
    #: neither shown nor scored there (DOMAIN.md: abandonment per agent)
    no_meaning_by: tuple[tuple[str, str], ...] = ()

    def why_not_by(self, dimension: str) -> str | None:
        """Why this metric means nothing cut by ``dimension``; None when it does mean something."""
        return dict(self.no_meaning_by).get(dimension)

    def resolve_params(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        given = dict(given or {})
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise ValueError(
                f"metric {self.key!r} has no parameter {', '.join(unknown)}; known: {', '.join(known) or 'none'}"
            )
        resolved: dict[str, Any] = {}
        for name, param in known.items():
            value = given.get(name, param.default)
            if value is not None and param.type is float and isinstance(value, int):
                value = float(value)
            if value is not None and not isinstance(value, param.type):
                raise TypeError(
                    f"parameter {name!r} of metric {self.key!r} must be "
                    f"{param.type.__name__}, got {type(value).__name__}"
                )
            if param.choices and value not in param.choices:
                raise ValueError(
                    f"parameter {name!r} of metric {self.key!r} must be one of {', '.join(map(str, param.choices))}, "
                    f"not {value!r}"
                )
            resolved[name] = value
        return resolved

    def scale_for(self, ctx: ScaleContext, params: Mapping[str, Any]) -> float:
        return self.scale(ctx, params) if callable(self.scale) else self.scale


REGISTRY: dict[str, Metric] = {}


def register(metric: Metric, *, replace: bool = False) -> Metric:
    """Add a metric to the registry; a key is defined once unless ``replace``."""
    if metric.key in REGISTRY and not replace:
        raise ValueError(f"metric {metric.key!r} is already registered")
    REGISTRY[metric.key] = metric
    return metric


def get(key: str) -> Metric:
    try:
        return REGISTRY[key]
    except KeyError:
        raise KeyError(f"unknown metric {key!r}; known: {', '.join(sorted(REGISTRY))}") from None


def metrics_for(source: str | None = None, category: Category | None = None) -> list[Metric]:
    return [
        m
        for m in REGISTRY.values()
        if (source is None or m.source == source) and (category is None or m.category == category)
    ]
