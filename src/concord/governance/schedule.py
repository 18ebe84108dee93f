"""When a cadence meets, in the reporting zone, and which period each meeting reviews."""

from __future__ import annotations

import datetime as dt

from concord import periods

WORKING_DAYS = frozenset({0, 1, 2, 3, 4})


def _first_weekday(month_start: dt.date, weekday: int) -> dt.date:
    return month_start + dt.timedelta(days=(weekday - month_start.weekday()) % 7)


def is_slot(frequency: str, weekday: int, day: dt.date) -> bool:
    if frequency == "daily":
        return day.weekday() in WORKING_DAYS
    if frequency == "weekly":
        return day.weekday() == weekday
    if frequency == "monthly":
        return day == _first_weekday(day.replace(day=1), weekday)
    if frequency == "quarterly":
        return day.month in (1, 4, 7, 10) and day == _first_weekday(day.replace(day=1), weekday)
    raise ValueError(f"unknown frequency {frequency!r}")


def slot_days(frequency: str, weekday: int, *, start: dt.date, end: dt.date) -> list[dt.date]:
    """Meeting days in [start, end): working days, a weekday each week, or the first such weekday of
    each month / quarter."""
    out, day = [], start
    while day < end:
        if is_slot(frequency, weekday, day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def start_instant(day: dt.date, at: dt.time, tz: str) -> dt.datetime:
    """The meeting's start as a UTC instant: ``at`` on the wall clock of ``tz`` that day (DST-aware)."""
    return (
        periods.local_midnight_utc(day, tz)
        .astimezone(periods.zone(tz))
        .replace(hour=at.hour, minute=at.minute)
        .astimezone(dt.UTC)
    )


def reviewed_period(grain: str, day: dt.date) -> dt.date:
    """A meeting on ``day`` reviews the last complete period of its grain (yesterday for a daily one)."""
    return periods.last_complete(grain, today=day)


def grain_of(text: str) -> str:
    """The grain a period is written in: 2026-11-30 day, 2026-W47 week, 2026-11 month, 2026-Q3 quarter."""
    t = (text or "").strip().upper()
    if "-W" in t:
        return "week"
    if "-Q" in t:
        return "quarter"
    if len(t) == 7:
        return "month"
    if len(t) == 10:
        return "day"
    raise periods.PeriodError(f"period {text!r} is not 2026-11-30, 2026-W47, 2026-11 or 2026-Q3")
