"""Business hours: a site's weekly opening hours and holidays, in its IANA time zone.

A helpdesk's "business hours" first-reply and resolution times count only the time the
site is open (Zendesk's ``*_within_business_hours`` metrics, Freshdesk's business-hours
SLAs). A calendar is written the way people write opening hours::

    Mon-Fri 09:00-18:00; Sat 10:00-14:00        holidays: 2026-01-01, 2026-04-03

Open spans are local wall-clock times turned into UTC instants with ``zoneinfo``, so a
span across a daylight-saving change is as long as it really is (00:00-06:00 on the
night clocks go forward is five hours). A span may end at 24:00; a night shift is two
spans (``Mon 22:00-24:00; Tue 00:00-06:00``). Pure: no Django.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from concord.periods import zone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ITEM = re.compile(r"^(?P<days>[a-z, -]+?)\s+(?P<spans>\d.*)$")
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class BusinessCalendar:
    """Open hours per weekday (0 = Monday) as (weekday, start minute, end minute), and holidays."""

    timezone: str
    week: tuple[tuple[int, int, int], ...]
    holidays: tuple[date, ...] = ()

    def spans(self, first: date, last: date) -> list[tuple[datetime, datetime]]:
        """Open spans (UTC) of the local days ``first`` to ``last`` inclusive, holidays left out."""
        tz = zone(self.timezone)
        closed = set(self.holidays)
        out = []
        day = first
        while day <= last:
            if day not in closed:
                for weekday, start, end in self.week:
                    if weekday == day.weekday():
                        out.append((_utc(day, start, tz), _utc(day, end, tz)))
            day += timedelta(days=1)
        return sorted(out)


def _utc(day: date, minute: int, tz: ZoneInfo) -> datetime:
    # 24:00 is the next day's midnight; a wall time the clocks skip reads with the offset before the change
    local = datetime.combine(day + timedelta(days=minute // 1440), time(minute % 1440 // 60, minute % 60), tz)
    return local.astimezone(UTC)


def parse_week(text: str) -> tuple[tuple[int, int, int], ...]:
    """``"Mon-Fri 09:00-18:00; Sat 10:00-14:00"`` -> open spans; ValueError naming what is wrong."""
    week: list[tuple[int, int, int]] = []
    for raw in re.split(r"[;\n]", text or ""):
        item = raw.strip().lower()
        if not item:
            continue
        match = _ITEM.match(item)
        if not match:
            raise ValueError(f"{raw.strip()!r}: write days then hours, e.g. 'Mon-Fri 09:00-18:00'")
        days = _days(match["days"], raw.strip())
        for span in match["spans"].split(","):
            start, end = _span(span.strip(), raw.strip())
            week += [(d, start, end) for d in days]
    week.sort()
    for (d1, _, e1), (d2, s2, _) in itertools.pairwise(week):
        if d1 == d2 and s2 < e1:
            raise ValueError(f"{WEEKDAYS[d1].title()}: opening hours overlap ({_hm(s2)} is before {_hm(e1)})")
    return tuple(week)


def _days(text: str, item: str) -> list[int]:
    days: list[int] = []
    for part in text.replace(" ", "").split(","):
        ends = part.split("-")
        if len(ends) > 2 or any(e[:3] not in WEEKDAYS for e in ends):
            raise ValueError(f"{item!r}: {part!r} is not a day or a range of days (Mon, Tue, ... Sun; Mon-Fri)")
        a, b = WEEKDAYS.index(ends[0][:3]), WEEKDAYS.index(ends[-1][:3])
        if b < a:
            raise ValueError(f"{item!r}: the day range {part!r} runs backwards")
        days += range(a, b + 1)
    return days


def _span(text: str, item: str) -> tuple[int, int]:
    match = _SPAN.match(text)
    if not match:
        raise ValueError(f"{item!r}: {text!r} is not a span of hours like 09:00-18:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if h1 > 23 or m1 > 59 or m2 > 59 or end > 1440:
        raise ValueError(f"{item!r}: {text!r} is not a time of day (00:00 to 24:00)")
    if end <= start:
        raise ValueError(f"{item!r}: {text!r} ends before it starts; split a night shift across two days")
    return start, end


def _hm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_holidays(text: str) -> tuple[date, ...]:
    """``"2026-01-01, 2026-04-03"`` (commas, spaces or lines) -> dates; ValueError naming a bad one."""
    out = []
    for part in re.split(r"[,;\s]+", text or ""):
        if not part:
            continue
        try:
            out.append(date.fromisoformat(part))
        except ValueError:
            raise ValueError(f"{part!r} is not a date written YYYY-MM-DD") from None
    return tuple(sorted(set(out)))


def describe_week(week: tuple[tuple[int, int, int], ...]) -> str:
    """The week written back as text, one item per weekday: 'Mon 09:00-18:00; ...'."""
    by_day: dict[int, list[str]] = {}
    for d, s, e in week:
        by_day.setdefault(d, []).append(f"{_hm(s)}-{_hm(e)}")
    return "; ".join(f"{WEEKDAYS[d].title()} {', '.join(spans)}" for d, spans in sorted(by_day.items()))


def business_seconds(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
    """Open seconds between two aware instants (0 when ``end`` is not after ``start``)."""
    if end <= start:
        return 0.0
    tz = zone(calendar.timezone)
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    total = 0.0
    for s, e in calendar.spans(first, last):
        total += max(0.0, (min(e, end) - max(s, start)).total_seconds())
    return total


class BusinessClock:
    """Open seconds elapsed since a reference, for many instants at once (numpy, microseconds since epoch).

    ``between(a, b)`` = open seconds in [a, b) = elapsed(b) - elapsed(a), each found by a binary
    search over the calendar's spans: vectorised, so the engine can run it over a column.
    """

    def __init__(self, calendar: BusinessCalendar, first: date, last: date):
        spans = calendar.spans(first, last)
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        self.starts = np.array([(s - epoch) // timedelta(microseconds=1) for s, _ in spans], dtype=np.int64)
        self.ends = np.array([(e - epoch) // timedelta(microseconds=1) for _, e in spans], dtype=np.int64)
        lengths = (self.ends - self.starts).astype(np.float64) / 1e6
        self.before = np.concatenate([[0.0], np.cumsum(lengths)[:-1]]) if len(spans) else np.zeros(0)

    def elapsed(self, micros: np.ndarray) -> np.ndarray:
        if not len(self.starts):
            return np.zeros(len(micros))
        i = np.searchsorted(self.starts, micros, side="right") - 1
        j = np.clip(i, 0, None)
        inside = np.clip(micros - self.starts[j], 0, self.ends[j] - self.starts[j]).astype(np.float64) / 1e6
        return np.where(i < 0, 0.0, self.before[j] + inside)

    def between(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        return np.clip(self.elapsed(end) - self.elapsed(start), 0.0, None)


def calendar_from_text(timezone: str, hours: str, holidays: str = "") -> BusinessCalendar | None:
    """A site's calendar from its stored text; None when it has no opening hours (open round the clock)."""
    week = parse_week(hours)
    if not week:
        return None
    return BusinessCalendar(timezone, week, parse_holidays(holidays))
