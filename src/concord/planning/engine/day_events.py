"""How a planner event shorter than a day reaches a daily forecast.

A daily forecast has one number per day, so an event over part of a day (a mailing from 09:00 to
13:00) acts on the part of the day's contacts its window holds. That share comes from the
program's own hours: the mean profile of the same weekday over the last weeks of hourly history
(``hour_profile``); with no profile, the clock (4 hours of 24 = 1/6). Then, for a day with
forecast ``v`` and share ``s``:

- multiply by ``f``: ``v * (1 + (f - 1) * s)`` (the window's contacts scaled, the rest kept);
- add ``a`` contacts per interval: the day is the interval, so ``v + a * s``.

An event covering the whole day has ``s = 1`` and acts as at any other grain. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

HOUR = pd.Timedelta(hours=1)
DAY = pd.Timedelta(days=1)
PROFILE_WEEKS = 4

#: weekday (0 = Monday) -> 24 shares of that weekday's contacts, one per hour, summing to 1
Profile = Mapping[int, np.ndarray]


def hour_profile(hourly: pd.Series, end: pd.Timestamp, *, weeks: int = PROFILE_WEEKS) -> dict[int, np.ndarray]:
    """Per weekday, the share of its contacts in each hour over the ``weeks`` weeks before ``end``."""
    recent = hourly[(hourly.index >= end - pd.Timedelta(weeks=weeks)) & (hourly.index < end)]
    out: dict[int, np.ndarray] = {}
    for weekday, part in recent.groupby(recent.index.weekday):
        per_hour = np.zeros(24)
        np.add.at(per_hour, part.index.hour.to_numpy(), part.to_numpy(dtype=float))
        if per_hour.sum() > 0:
            out[int(weekday)] = per_hour / per_hour.sum()
    return out


def window_share(start: pd.Timestamp, end: pd.Timestamp, day: pd.Timestamp, profile: Profile | None) -> float:
    """The share of ``day``'s contacts in [start, end): the profile's hours, pro rata for part hours."""
    weights = (profile or {}).get(day.weekday())
    if weights is None:
        weights = np.full(24, 1 / 24)
    share = 0.0
    for hour in range(24):
        lo = day + hour * HOUR
        overlap = (min(lo + HOUR, end) - max(lo, start)) / HOUR
        if overlap > 0:
            share += overlap * float(weights[hour])
    return min(share, 1.0)


def apply_to_days(forecast: pd.Series, events: Sequence, profile: Profile | None) -> tuple[pd.Series, list[list]]:
    """Events in order on a daily forecast (index: midnights). Returns the adjusted forecast (never
    below zero) and, per event, the [(day, share)] it acted on."""
    out = forecast.astype(float).copy()
    applied: list[list] = []
    for event in events:
        if event.kind not in ("multiplicative", "additive"):
            raise ValueError(f"event kind must be multiplicative or additive (got {event.kind!r})")
        touched = []
        for day in out.index:
            share = window_share(event.start, event.end, day, profile)
            if share <= 0:
                continue
            touched.append((day, share))
            if event.kind == "multiplicative":
                out[day] *= 1 + (event.value - 1) * share
            else:
                out[day] += event.value * share
        applied.append(touched)
    return out.clip(lower=0.0), applied
