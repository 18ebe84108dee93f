"""Conventions a scorecard or an SLA chooses for all its numbers (DOMAIN.md: "helpdesk conventions").

- ``count_by``: the date a contact counts by: when it was created (the default), first answered,
  or resolved. A contact not yet answered (resolved) is in no period when counted by that date.
  FCR always counts by creation: its repeat window starts when the contact was made.
- ``hours``: first-response and resolution times in calendar time (the default) or in the business
  hours of the site that handled the contact (``calendars``); a site without a calendar is open
  round the clock.

Pure: no Django. The calendars travel inside the request, so a cached result is keyed by them too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .calendars import BusinessCalendar, BusinessClock

COUNT_BY = {"created": "created_at", "answered": "answered_at", "resolved": "resolved_at"}
COUNT_BY_LABELS = {"created": "created date", "answered": "first answer date", "resolved": "resolution date"}
HOURS = {"calendar": "calendar hours", "business": "business hours (site calendars)"}
#: (value, label) pairs for forms and model fields
COUNT_BY_CHOICES = [(k, f"By {v}") for k, v in COUNT_BY_LABELS.items()]
HOURS_CHOICES = [(k, v[0].upper() + v[1:]) for k, v in HOURS.items()]


@dataclass(frozen=True)
class Conventions:
    count_by: str = "created"
    hours: str = "calendar"
    #: (provider code, site code, calendar) for every site with opening hours
    calendars: tuple[tuple[str, str, BusinessCalendar], ...] = ()

    def __post_init__(self) -> None:
        if self.count_by not in COUNT_BY:
            raise ValueError(f"count_by must be one of {', '.join(COUNT_BY)}, not {self.count_by!r}")
        if self.hours not in HOURS:
            raise ValueError(f"hours must be one of {', '.join(HOURS)}, not {self.hours!r}")

    @property
    def count_column(self) -> str:
        return COUNT_BY[self.count_by]

    def describe(self) -> str:
        return f"counted by {COUNT_BY_LABELS[self.count_by]}; times in {HOURS[self.hours]}"


DEFAULT = Conventions()


def business_seconds_between(
    conventions: Conventions, provider: ir.StringValue, site: ir.StringValue, start, end
) -> ir.FloatingValue:
    """Open seconds of the contact's site between two timestamp columns (UTC), as an Ibis expression."""
    digest = hashlib.sha256(repr(conventions.calendars).encode()).hexdigest()[:16]
    udf = ibis.udf.scalar.pyarrow(name=f"concord_business_seconds_{digest}")(_vectorised(conventions.calendars))
    # instants travel as epoch seconds: a zone-aware and a plain UTC timestamp give the same number
    return udf(provider, site, start.epoch_seconds().cast("float64"), end.epoch_seconds().cast("float64"))


def _vectorised(calendars):
    by_site = {(p, s): cal for p, s, cal in calendars}
    clocks: dict[tuple, tuple[dt.date, dt.date, BusinessClock]] = {}

    def clock(key, first: dt.date, last: dt.date) -> BusinessClock:
        have = clocks.get(key)
        if have is None or first < have[0] or last > have[1]:
            if have is not None:
                first, last = min(first, have[0]), max(last, have[1])
            have = clocks[key] = (first, last, BusinessClock(by_site[key], first, last))
        return have[2]

    def business_seconds(provider: str, site: str, start: float, end: float) -> float:
        begin_us = _micros(start)
        end_us = _micros(end)
        out = (end_us - begin_us).astype(np.float64) / 1e6  # no calendar: open round the clock
        keys = list(zip(provider.to_pylist(), site.to_pylist(), strict=True))
        known = np.array([k in by_site for k in keys], dtype=bool)
        valid = ~np.isnan(out)
        for key in {k for k, ok in zip(keys, known & valid, strict=True) if ok}:
            rows = np.array([k == key for k in keys]) & valid
            lo, hi = begin_us[rows].min(), end_us[rows].max()
            first = (dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=int(lo))).date() - dt.timedelta(days=2)
            last = (dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=int(max(lo, hi)))).date() + dt.timedelta(days=2)
            out[rows] = clock(key, first, last).between(begin_us[rows], end_us[rows])
        return pa.array(out, type=pa.float64(), mask=~valid)

    return business_seconds


def _micros(seconds) -> np.ndarray:
    """Epoch seconds as float microseconds; NaN for nulls."""
    return pc.multiply(pc.cast(seconds, pa.float64()), 1e6).to_numpy(zero_copy_only=False).astype(np.float64)


#: metrics whose number is a time between two of a contact's instants: business hours apply to them
TIMED_PREFIXES = ("first_response_", "resolution_", "first_resolution_")


def describe_line(metric, params, conventions: Conventions, filters: dict | None = None) -> str:
    """Which convention a number uses, in words: the date it counts by, its hours, channels and variant.

    ``filters`` (an SLA's dimension filters) narrow what the metric reads: a ``channel`` filter of
    ``voice`` on a metric of live channels (voice, chat) counts voice only, and says so.
    """
    parts = []
    if metric.source == "interactions":
        by = "created" if "next_contact" in metric.needs else conventions.count_by
        parts.append(f"by {COUNT_BY_LABELS[by]}")
        if metric.key.startswith(TIMED_PREFIXES):
            parts.append(HOURS[conventions.hours])
    try:
        resolved = metric.resolve_params(params or {})
    except (TypeError, ValueError):
        resolved = {}
    only = list((filters or {}).get("channel") or ())
    if "channels" in resolved:
        channels = list(resolved["channels"] or ())
        if only:
            channels = [c for c in channels if c in only] if channels else only
        parts.append(", ".join(channels) or ("no channel" if only else "every channel"))
    elif only:
        parts.append(", ".join(only))
    if "threshold_seconds" in resolved:
        parts.append(f"within {resolved['threshold_seconds']:g} s")
    if "abandons" in resolved:
        from .interactions import SL_ABANDONS

        parts.append(SL_ABANDONS[resolved["abandons"]].split(":")[0].split(" (")[0])
    return "; ".join(parts)
