"""Reporting periods: the one place that knows what a day, week, month and quarter are.

A period is named by the local date it starts on, in the client's reporting
time zone (DESIGN.md, rule 5), which callers pass in: this module imports no
Django, so the metric engine, the domain apps and the CLI share it.
(``concord.reporting`` reads the zone from settings for Django code.)

Weeks are ISO weeks (Monday to Sunday, ``2026-W53`` exists, ``2025-W53`` does
not). "Today" is the date in the reporting zone, never the server clock's
date: a server in UTC is still on Sunday for an hour after Madrid's Monday
begins. Every period outside the supported years raises ``PeriodError``, the
one error this module raises, so a page can answer 400 with its message.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

GRAINS = ("day", "week", "month", "quarter")
#: Years a period may start in. The floor admits the public call-centre histories
#: (1999, 2003) and every ISO week of 1990 starts in 1990; the ceiling keeps far
#: dates (9999-12, typed by hand or by a fuzzer) away from date arithmetic and the lake.
MIN_YEAR, MAX_YEAR = 1990, 2099

_FORMS = {
    "day": "a day such as 2026-05-14",
    "week": "an ISO week such as 2026-W20",
    "month": "a month such as 2026-05",
    "quarter": "a quarter such as 2026-Q2",
}


class PeriodError(ValueError):
    """A period, grain or zone that cannot be used; the message is for the person who typed it."""


# --- zones and "today" ---------------------------------------------------------------------


def zone(name: str | ZoneInfo) -> ZoneInfo:
    if isinstance(name, ZoneInfo):
        return name
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise PeriodError(f"unknown time zone {name!r}: use an IANA name such as 'Europe/Madrid'") from exc


def local_date(instant: datetime, tz: str | ZoneInfo) -> date:
    """The date on the wall calendar of ``tz`` at ``instant`` (which must carry its zone)."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise PeriodError(f"{instant.isoformat()} has no time zone; pass an aware instant (UTC)")
    return instant.astimezone(zone(tz)).date()


def utc_now() -> datetime:
    """The clock every "today" reads; one function, so a test can stop it."""
    return datetime.now(UTC)


def today(tz: str | ZoneInfo, *, now: datetime | None = None) -> date:
    """Today's date in the reporting zone; ``now`` (aware) for tests and for replaying a past moment."""
    return local_date(now or utc_now(), tz)


def local_midnight_utc(day: date, tz: str | ZoneInfo) -> datetime:
    """The UTC instant at which local ``day`` starts: midnight, or the first wall time that exists.

    A few zones (America/Santiago, America/Havana) move their clocks at midnight, so
    on those days the day starts at 01:00.
    """
    tz = zone(tz)
    naive = datetime.combine(day, time())
    local = naive.replace(tzinfo=tz)
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        local = (naive + timedelta(hours=1)).replace(tzinfo=tz)
    return local.astimezone(UTC)


# --- grains --------------------------------------------------------------------------------


def check_grain(grain: str) -> str:
    if grain not in GRAINS:
        raise PeriodError(f"unknown grain {grain!r}; use one of {', '.join(GRAINS)}")
    return grain


def check_range(start: date) -> date:
    if not MIN_YEAR <= start.year <= MAX_YEAR:
        raise PeriodError(f"{start.isoformat()} is outside the supported years {MIN_YEAR} to {MAX_YEAR}")
    return start


def start_of(day: date, grain: str) -> date:
    """The first day of the ``grain`` period that contains ``day``."""
    check_grain(grain)
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise PeriodError(f"{months:+d} months from {day.isoformat()} is outside the calendar")
    return date(year, month + 1, 1)


def shift(start: date, grain: str, n: int) -> date:
    """The period ``n`` periods after (or before, if negative) the one starting at ``start``.

    The result is range-checked, except that the day after the last supported
    period is allowed, because it is that period's (exclusive) end.
    """
    start = start_of(start, grain)
    try:
        if grain == "day":
            out = start + timedelta(days=n)
        elif grain == "week":
            out = start + timedelta(weeks=n)
        else:
            out = _add_months(start, 3 * n if grain == "quarter" else n)
    except OverflowError:
        raise PeriodError(f"{n:+d} {grain}s from {start.isoformat()} is outside the calendar") from None
    if out.year == MAX_YEAR + 1 and out == start_of(out, grain) and n == 1:
        return out
    return check_range(out)


def end_of(start: date, grain: str) -> date:
    """The day after the period: periods are half-open, [start, end)."""
    return shift(start, grain, 1)


def periods_to(last: date, grain: str, n: int) -> list[date]:
    """The ``n`` periods ending with (and including) ``last``, oldest first."""
    return [shift(last, grain, -k) for k in range(n - 1, -1, -1)]


def periods_between(start: date, end: date, grain: str) -> list[date]:
    """Every period that starts in [start, end), oldest first."""
    out, p = [], start_of(start, grain)
    if p < start:
        p = shift(p, grain, 1)
    while p < end:
        out.append(p)
        p = shift(p, grain, 1)
    return out


def last_complete(grain: str, *, today: date) -> date:
    """The latest period that has wholly ended by the start of ``today``.

    People review finished periods: the running one is partial. To cut a history
    at the lake's real coverage, pass ``local_date(last_fact_instant, tz)``: the day
    that instant falls on is partial too.
    """
    return shift(start_of(today, grain), grain, -1)


def utc_bounds(start: date, grain: str, tz: str | ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants [from, to) of the local ``grain`` period starting at ``start``."""
    start = check_range(start_of(start, grain))
    return local_midnight_utc(start, tz), local_midnight_utc(end_of(start, grain), tz)


# --- text ----------------------------------------------------------------------------------

_WEEK = re.compile(r"(\d{4})-W(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-Q(\d)")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _read(text: str, grain: str) -> date:
    """The first day of the period the text names, in whichever form it is written."""
    upper = text.upper()
    if m := _WEEK.fullmatch(upper):
        year, week = int(m[1]), int(m[2])
        if not 1 <= week <= date(max(year, 1), 12, 28).isocalendar()[1]:
            raise PeriodError(f"{year:04d} has no ISO week {week}")
        return date.fromisocalendar(year, week, 1)
    if m := _QUARTER.fullmatch(upper):
        if not 1 <= int(m[2]) <= 4:
            raise PeriodError(f"there is no quarter {m[2]}; use Q1 to Q4")
        return date(int(m[1]), 3 * int(m[2]) - 2, 1)
    if m := _MONTH.fullmatch(text):
        if not 1 <= int(m[2]) <= 12:
            raise PeriodError(f"there is no month {m[2]}; use 01 to 12")
        return date(int(m[1]), int(m[2]), 1)
    if m := _DAY.fullmatch(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    raise PeriodError(f"period {text!r} is not {_FORMS[grain]}")


def parse(text: str | None, grain: str, *, today: date | None = None) -> date:
    """A period as people write it -> the start of the ``grain`` period containing its first day.

    Any form is accepted so that switching grain keeps the place: '2026-05-14' at
    month grain is May 2026, '2026-05' at week grain is the ISO week of 1 May.
    Empty text means the last complete period before ``today`` when ``today`` is given.
    """
    check_grain(grain)
    text = (text or "").strip()
    if not text:
        if today is None:
            raise PeriodError(f"no period given; write {_FORMS[grain]}")
        return last_complete(grain, today=today)
    try:
        day = _read(text, grain)
    except PeriodError:
        raise
    except ValueError:  # 2026-02-30, year 0000: the calendar itself refuses them
        raise PeriodError(f"{text!r} is not a date the calendar has") from None
    return check_range(start_of(check_range(day), grain))


def param(start: date, grain: str) -> str:
    """How the period is written in a URL, a form and an export: 2026-05-14, 2026-W20, 2026-05, 2026-Q2."""
    check_grain(grain)
    if grain == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if grain == "month":
        return f"{start:%Y-%m}"
    return start.isoformat()


def label(start: date, grain: str) -> str:
    """How the period reads on a page: 'Thu 14 May 2026', 'week 2026-W20 (11 May to 17 May 2026)',
    'May 2026', '2026 Q2'."""
    check_grain(grain)
    if grain == "week":
        last = start + timedelta(days=6)
        return f"week {param(start, grain)} ({start.day} {start:%b} to {last.day} {last:%b %Y})"
    if grain == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    if grain == "month":
        return f"{start:%B %Y}"
    return f"{start:%a} {start.day} {start:%b %Y}"


def periods_per_year(grain: str) -> float:
    """How many periods of a grain make a year (x12 for a month, as DOMAIN.md annualises)."""
    return {"day": 365.0, "week": 52.0, "month": 12.0, "quarter": 4.0}[check_grain(grain)]
