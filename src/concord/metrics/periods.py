"""Reporting periods cut in the client's time zone, portably, inside queries.

What a period is (grains, bounds, "today") lives in ``concord.periods``; this
module only turns it into Ibis expressions.

Ibis has no portable "convert to zone" operation, and DuckDB and Spark spell it
differently. But within one query's date range a zone has only a few UTC
offsets (one per side of each daylight-saving change), so local time is
``utc + offset`` with the offset chosen by a short CASE on the transition
instants, computed here with ``zoneinfo``. The result is plain timestamp
arithmetic that compiles the same on every backend (sessions run in UTC).
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir

from concord import periods
from concord.periods import local_midnight_utc
from concord.periods import zone as zone  # re-exported: the engine's callers read it from here

GRAIN_UNITS = {"day": "D", "week": "W", "month": "M", "quarter": "Q"}
#: intraday grains (planning's intervals): a period is the local wall-clock start of its bucket
INTRADAY_MINUTES = {"15min": 15, "30min": 30, "60min": 60}


def utc_bounds(start: date, end: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    if end <= start:
        raise ValueError(f"empty date range: end {end} is not after start {start}")
    return local_midnight_utc(start, tz), local_midnight_utc(end, tz)


def _offset(instant: datetime, tz: ZoneInfo) -> int:
    return int(instant.astimezone(tz).utcoffset().total_seconds())


def offset_segments(start_utc: datetime, end_utc: datetime, tz: ZoneInfo) -> list[tuple[datetime, int]]:
    """[(from_utc, offset_seconds), ...] covering [start_utc, end_utc) in order.

    Transitions are found by an hourly scan refined to the second by bisection.
    """
    segments = [(start_utc, _offset(start_utc, tz))]
    step = timedelta(hours=1)
    probe = start_utc
    while probe < end_utc:
        nxt = min(probe + step, end_utc)
        if _offset(nxt, tz) != segments[-1][1]:
            lo, hi = probe, nxt  # offset(lo) is the old one, offset(hi) the new one
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if _offset(mid, tz) == segments[-1][1]:
                    lo = mid
                else:
                    hi = mid
            segments.append((hi.replace(microsecond=0), _offset(hi, tz)))
        probe = nxt
    return segments


def utc_literal(ts: ir.TimestampValue, instant: datetime) -> ir.TimestampValue:
    """``instant`` as a literal comparable to ``ts`` without a per-row cast: zone-less
    UTC when the column has no zone (DuckDB tables, see ``backends``), else as is."""
    if ts.type().timezone is None:
        return ibis.literal(instant.astimezone(UTC).replace(tzinfo=None), "timestamp")
    return ibis.literal(instant)


def local_timestamp(ts: ir.TimestampValue, segments: list[tuple[datetime, int]]) -> ir.TimestampValue:
    """``ts`` (UTC) shifted to wall-clock time of the zone, as a UTC-typed timestamp."""

    def shifted(offset: int) -> ir.TimestampValue:
        return ts + ibis.interval(seconds=offset) if offset else ts

    if len(segments) == 1:
        return shifted(segments[0][1])
    branches = [(ts < utc_literal(ts, start), shifted(prev[1])) for prev, (start, _) in itertools.pairwise(segments)]
    return ibis.cases(*branches, else_=shifted(segments[-1][1]))


def period_of_timestamp(ts: ir.TimestampValue, grain: str, segments: list[tuple[datetime, int]]) -> ir.Value | None:
    """The local date starting the period that contains ``ts`` (for an intraday grain, the local
    wall-clock time starting its bucket); None for grain 'none'."""
    if grain == "none":
        return None
    local = local_timestamp(ts, segments)
    if grain in INTRADAY_MINUTES:
        return _bucket(local, INTRADAY_MINUTES[grain])
    day = local.date()
    return day if grain == "day" else day.truncate(GRAIN_UNITS[grain])


def _bucket(local: ir.TimestampValue, minutes: int) -> ir.TimestampValue:
    """``local`` floored to a ``minutes`` bucket of its hour: the hour plus a literal interval
    chosen by the minute, which compiles the same on DuckDB and Spark (no integer-to-interval)."""
    hour = local.truncate("h")
    if minutes == 60:
        return hour
    minute = local.minute()
    starts = range(minutes, 60, minutes)  # the start of every bucket after the first
    branches = [
        (minute < start, hour + ibis.interval(minutes=start - minutes) if start > minutes else hour) for start in starts
    ]
    return ibis.cases(*branches, else_=hour + ibis.interval(minutes=60 - minutes))


def period_of_date(d: ir.DateValue, grain: str) -> ir.DateValue | None:
    """For facts already dated locally (roster snapshots)."""
    if grain == "none":
        return None
    if grain in INTRADAY_MINUTES:
        raise ValueError(f"grain {grain!r} cuts times of day; roster snapshots are dated by day only")
    return d if grain == "day" else d.truncate(GRAIN_UNITS[grain])


def period_start(day: date, grain: str) -> date:
    """Python twin of the period expressions, for tests and for filling results."""
    return periods.start_of(day, grain)


def annualisation_factor(grain: str, start: date, end: date) -> float:
    """How many periods of this grain make a year: x12 for a month, as DOMAIN.md says."""
    if grain in periods.GRAINS:
        return periods.periods_per_year(grain)
    return 365.0 / max((end - start).days, 1)
