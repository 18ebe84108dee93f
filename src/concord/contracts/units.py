"""The unit an SLA target is typed and read in, and the range a person may give.

A target is stored in the unit the metric engine reports the metric in: rates in
percent (80 means 80 %, as the engine scales them by 100), times in seconds.
So a person types what they read, and the comparison needs no conversion.

Targets are shown with the precision they were entered with: a 34.5 s ASA reads
"34.5 s", never a rounded "34 s" that would hide why 34.6 s missed.
"""

from __future__ import annotations

import math

#: unit -> (what the form says a person types, lowest, highest); None: unbounded
TARGET_UNITS: dict[str, tuple[str, float | None, float | None]] = {
    "percent": ("percent (80 means 80%)", 0.0, 100.0),
    "seconds": ("seconds", 0.0, None),
    "count": ("contacts", 0.0, None),
    "people": ("people", 0.0, None),
    "per_hour": ("contacts per hour", 0.0, None),
    "days": ("days", 0.0, None),
    "ratio": ("a ratio", 0.0, None),
    "score": ("points", None, None),
}

#: metrics whose range differs from their unit's: annualised attrition passes 100 %, NPS runs -100 to 100
METRIC_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "attrition": (0.0, None),
    "nps": (-100.0, 100.0),
}


def unit_words(unit: str) -> str:
    return TARGET_UNITS.get(unit, ("the metric's unit", None, None))[0]


def bounds(metric_key: str, unit: str) -> tuple[float | None, float | None]:
    if metric_key in METRIC_BOUNDS:
        return METRIC_BOUNDS[metric_key]
    _, low, high = TARGET_UNITS.get(unit, ("", None, None))
    return low, high


def target_error(label: str, metric_key: str, unit: str, value: float) -> str | None:
    """Why ``value`` cannot be a target for the metric, in the person's terms; None when it can."""
    if value is None or not math.isfinite(value):
        return f"{label} target must be a number."
    low, high = bounds(metric_key, unit)
    suffix = "%" if unit == "percent" else f" {unit_words(unit)}"
    if low is not None and high is not None and not low <= value <= high:
        return f"{label} target must be between {_plain(low)} and {_plain(high)}{suffix}."
    if low is not None and value < low:
        return f"{label} target must be at least {_plain(low)}{suffix}."
    if high is not None and value > high:
        return f"{label} target must be at most {_plain(high)}{suffix}."
    return None


def share_slip(label: str, unit: str, comparator: str, value: float | None) -> str | None:
    """A floor under 1% on a percentage ("at least 0.8%") is a share typed for a percentage: 0.8 meant
    80%. Refused with the number the person meant, so 54% is never read as meeting "at least 0.8%".
    A ceiling under 1% ("at most 0.5%" abandons) is a real target and passes."""
    if unit != "percent" or comparator not in (">=", ">") or value is None or not 0 < value < 1:
        return None
    meant = _plain(value * 100)
    return (
        f"{label} target of {_plain(value)}% reads like a share: targets are percentages, so type {meant} for {meant}%."
    )


def _plain(value: float) -> str:
    """A number as typed: no trailing zeros, no exponent, thousands separated."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def target_text(value: float | None, unit: str) -> str:
    """A target the way it was entered, with its unit: ``80%``, ``34.5 s``, ``4m 40s``, ``1,200``."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{_plain(value)}%"
    if unit == "seconds":
        if abs(value) < 60:
            return f"{_plain(value)} s"
        minutes, seconds = divmod(value, 60)
        return f"{int(minutes)}m {_plain(seconds).zfill(2) if seconds < 10 else _plain(seconds)}s"
    if unit == "per_hour":
        return f"{_plain(value)}/h"
    if unit in {"days"}:
        return f"{_plain(value)} d"
    return _plain(value)
