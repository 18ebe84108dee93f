"""Escalation timers in business or calendar time. Pure: no Django.

Calendar time is elapsed real time (UTC arithmetic): 24 calendar hours across a DST change end
at a wall-clock hour one off. Business time counts only the hours inside each business day's
window, read on the calendar's wall clock: the window of each local day is turned into UTC
instants on that day, so a window on the day after a DST change is still 09:00-18:00 local.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

#: further than this and a target is surely misconfigured (a business calendar with no days)
MAX_DAYS = 3660


@dataclass(frozen=True)
class BusinessCalendar:
    timezone: str
    start: dt.time
    end: dt.time
    days: frozenset[int]  # weekday numbers, 0 = Monday

    def __post_init__(self) -> None:
        if not self.days or not self.days <= set(range(7)):
            raise ValueError("business days must be weekday numbers 0 (Monday) to 6 (Sunday), at least one")
        if self.start >= self.end:
            raise ValueError("business hours must end after they start on the same day")

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The day's business hours as UTC instants, or None on a day off."""
        if day.weekday() not in self.days:
            return None
        tz = ZoneInfo(self.timezone)
        opens = dt.datetime.combine(day, self.start, tz).astimezone(dt.UTC)
        closes = dt.datetime.combine(day, self.end, tz).astimezone(dt.UTC)
        return opens, closes


def _check(at: dt.datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("timers need aware datetimes")


def add(start: dt.datetime, minutes: int, basis: str, calendar: BusinessCalendar) -> dt.datetime:
    """When ``minutes`` of ``basis`` time ('business' or 'calendar') have passed since ``start`` (UTC)."""
    _check(start)
    start = start.astimezone(dt.UTC)
    if basis == "calendar":
        return start + dt.timedelta(minutes=minutes)
    if basis != "business":
        raise ValueError(f"unknown time basis {basis!r}")
    left = dt.timedelta(minutes=minutes)
    day = start.astimezone(ZoneInfo(calendar.timezone)).date()
    for _ in range(MAX_DAYS):
        w = calendar.window(day)
        if w is not None:
            opens, closes = max(w[0], start), w[1]
            if opens < closes:
                if opens + left <= closes:
                    return opens + left
                left -= closes - opens
        day += dt.timedelta(days=1)
    raise ValueError("the business calendar has no hours to count")


def elapsed(start: dt.datetime, end: dt.datetime, basis: str, calendar: BusinessCalendar) -> dt.timedelta:
    """``basis`` time between two instants (zero when ``end`` is not after ``start``)."""
    _check(start)
    _check(end)
    if end <= start:
        return dt.timedelta(0)
    if basis == "calendar":
        return end - start
    total = dt.timedelta(0)
    tz = ZoneInfo(calendar.timezone)
    day, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    while day <= last:
        w = calendar.window(day)
        if w is not None:
            lo, hi = max(w[0], start), min(w[1], end)
            if hi > lo:
                total += hi - lo
        day += dt.timedelta(days=1)
    return total
