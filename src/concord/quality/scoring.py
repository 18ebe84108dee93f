"""How one evaluation is scored (DOMAIN.md, "QA score"). Pure: no Django.

Each answered criterion earns a share of its weight: yes/no 1 or 0, a 1-5 rating
(rating - 1) / 4, points earned / the criterion's maximum. The score is the weighted
mean of those shares over the criteria that apply, as a percentage:

    score = 100 * sum(weight * share) / sum(weight)      over criteria not marked N/A

so a criterion marked N/A drops out and the others are re-weighted among themselves.
A critical criterion (always yes/no: pass or fail) answered "no" scores the whole
evaluation 0. An evaluation with every criterion N/A has no score (it is not 0 and not
100), and so counts in no average.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Scale = Literal["yes_no", "one_to_five", "points"]
SCALES: dict[Scale, str] = {"yes_no": "Yes / no", "one_to_five": "1 to 5", "points": "Points"}
#: the level of measurement each scale calls for when graders' agreement is measured
SCALE_LEVELS = {"yes_no": "nominal", "one_to_five": "ordinal", "points": "interval"}


@dataclass(frozen=True)
class Rule:
    """What scoring needs to know about one criterion."""

    code: str
    label: str
    scale: Scale
    weight: float
    na_allowed: bool = False
    critical: bool = False
    max_points: int | None = None  # points scale only

    @property
    def lowest(self) -> float:
        return 1.0 if self.scale == "one_to_five" else 0.0

    @property
    def highest(self) -> float:
        return {"yes_no": 1.0, "one_to_five": 5.0}.get(self.scale, float(self.max_points or 0))


def rule_of(criterion) -> Rule:
    """The scoring rule of anything shaped like a criterion (a stored one, or a form being written)."""
    return Rule(
        code=criterion.code,
        label=criterion.label,
        scale=criterion.scale,
        weight=float(criterion.weight),
        na_allowed=criterion.na_allowed,
        critical=criterion.critical,
        max_points=criterion.max_points,
    )


@dataclass(frozen=True)
class Rating:
    """One grader's answer to one criterion: a value, or N/A."""

    value: float | None
    not_applicable: bool = False


@dataclass(frozen=True)
class Score:
    score: float | None  # percent, 0-100; None when every criterion is N/A
    critical_failed: bool
    earned: float  # sum of weight x share over applicable criteria
    possible: float  # sum of weight over applicable criteria


class RatingError(ValueError):
    """An answer that does not fit its criterion; the message names the criterion."""


def check_rule(rule: Rule) -> None:
    if rule.scale not in SCALES:
        raise RatingError(f"{rule.label}: scale must be one of {', '.join(SCALES)}")
    if not rule.weight > 0:
        raise RatingError(f"{rule.label}: weight must be more than 0")
    if rule.scale == "points" and not (rule.max_points and rule.max_points > 0):
        raise RatingError(f"{rule.label}: a points criterion needs its maximum points (1 or more)")
    if rule.scale != "points" and rule.max_points:
        raise RatingError(f"{rule.label}: only a points criterion has maximum points")
    if rule.critical and rule.scale != "yes_no":
        raise RatingError(f"{rule.label}: a critical criterion is passed or failed, so its scale must be yes / no")


def check_rating(rule: Rule, rating: Rating) -> None:
    """Refuse an answer that does not fit: N/A where not allowed, off the scale, half a rating."""
    if rating.not_applicable:
        if not rule.na_allowed:
            raise RatingError(f"{rule.label}: N/A is not allowed for this criterion")
        if rating.value is not None:
            raise RatingError(f"{rule.label}: give a rating or N/A, not both")
        return
    if rating.value is None:
        raise RatingError(f"{rule.label}: not rated")
    if not rule.lowest <= rating.value <= rule.highest:
        raise RatingError(f"{rule.label}: {rating.value:g} is off the scale ({rule.lowest:g} to {rule.highest:g})")
    if rule.scale != "points" and rating.value != int(rating.value):
        raise RatingError(f"{rule.label}: {rating.value:g} is not a whole step of the scale")


def share(rule: Rule, value: float) -> float:
    """The part of the criterion's weight a rating earns, in [0, 1]."""
    return (value - rule.lowest) / (rule.highest - rule.lowest)


def score(rules: list[Rule], ratings: Mapping[str, Rating]) -> Score:
    """Score a complete evaluation. Every rule needs a rating (a value or N/A)."""
    earned = possible = 0.0
    critical_failed = False
    for rule in rules:
        rating = ratings.get(rule.code)
        if rating is None:
            raise RatingError(f"{rule.label}: not rated")
        check_rating(rule, rating)
        if rating.not_applicable:
            continue
        earned += rule.weight * share(rule, rating.value)
        possible += rule.weight
        if rule.critical and rating.value == rule.lowest:
            critical_failed = True
    if possible == 0:
        return Score(score=None, critical_failed=False, earned=0.0, possible=0.0)
    value = 0.0 if critical_failed else 100.0 * earned / possible
    return Score(score=value, critical_failed=critical_failed, earned=earned, possible=possible)
