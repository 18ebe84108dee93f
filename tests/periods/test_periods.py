"""One home for periods: parse, label, shift, bounds in UTC, "today" and the last complete period.

Every expected instant below is worked out by hand from the published rules of the zone:
- Europe/Madrid: CET (+1) -> CEST (+2) on 2026-03-29 at 02:00 local, back on 2026-10-25 at 03:00 local
  (EU: last Sunday of March and of October, 01:00 UTC).
- Australia/Sydney (south of the equator, summer time over the new year): AEDT (+11) -> AEST (+10)
  on 2026-04-05 at 03:00 local, back to +11 on 2026-10-04 at 02:00 local (first Sundays of April and October).
- America/Santiago moves its clocks at midnight: on 2026-09-06, 00:00 becomes 01:00 (-4 -> -3).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from concord import periods
from concord.periods import PeriodError


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- bounds across DST -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "start", "grain", "bounds", "hours"),
    [
        # Madrid's spring-forward Sunday has 23 hours, its fall-back Sunday 25
        ("Europe/Madrid", date(2026, 3, 29), "day", (utc(2026, 3, 28, 23), utc(2026, 3, 29, 22)), 23),
        ("Europe/Madrid", date(2026, 10, 25), "day", (utc(2026, 10, 24, 22), utc(2026, 10, 25, 23)), 25),
        # March starts in CET and ends in CEST: 31 days less one hour
        ("Europe/Madrid", date(2026, 3, 1), "month", (utc(2026, 2, 28, 23), utc(2026, 3, 31, 22)), 31 * 24 - 1),
        # the ISO week of the change, Monday 23 March to Monday 30 March
        ("Europe/Madrid", date(2026, 3, 23), "week", (utc(2026, 3, 22, 23), utc(2026, 3, 29, 22)), 7 * 24 - 1),
        # Q4 2026: CEST on 1 October, CET on 1 January
        ("Europe/Madrid", date(2026, 10, 1), "quarter", (utc(2026, 9, 30, 22), utc(2026, 12, 31, 23)), 92 * 24 + 1),
        # Sydney: 25 hours in April, 23 in October
        ("Australia/Sydney", date(2026, 4, 5), "day", (utc(2026, 4, 4, 13), utc(2026, 4, 5, 14)), 25),
        ("Australia/Sydney", date(2026, 10, 4), "day", (utc(2026, 10, 3, 14), utc(2026, 10, 4, 13)), 23),
        # Sydney's Q1 2026: summer time all through, +11 at both ends
        ("Australia/Sydney", date(2026, 1, 1), "quarter", (utc(2025, 12, 31, 13), utc(2026, 3, 31, 13)), 90 * 24),
        # Santiago: the day of the change starts at 01:00 local (04:00 UTC), and has 23 hours
        ("America/Santiago", date(2026, 9, 6), "day", (utc(2026, 9, 6, 4), utc(2026, 9, 7, 3)), 23),
        ("America/Santiago", date(2026, 9, 5), "day", (utc(2026, 9, 5, 4), utc(2026, 9, 6, 4)), 24),
    ],
)
def test_utc_bounds_follow_the_local_calendar(zone, start, grain, bounds, hours):
    got = periods.utc_bounds(start, grain, zone)
    assert got == bounds
    assert got[1] - got[0] == timedelta(hours=hours)


def test_bounds_of_consecutive_periods_touch():
    tz = "Australia/Sydney"
    for grain in periods.GRAINS:
        p = date(2026, 1, 1)
        for _ in range(60):
            nxt = periods.shift(p, grain, 1)
            assert periods.utc_bounds(p, grain, tz)[1] == periods.utc_bounds(nxt, grain, tz)[0]
            p = nxt


# --- "today" and the last complete period ------------------------------------------------------


def test_today_is_the_reporting_zones_date_not_the_servers():
    # 22:30 UTC on Sunday 29 March is 00:30 on Monday the 30th in Madrid (CEST, +2)
    assert periods.today("Europe/Madrid", now=utc(2026, 3, 29, 22, 30)) == date(2026, 3, 30)
    # 14:30 UTC on 30 June is 00:30 on 1 July in Sydney (+10)
    assert periods.today("Australia/Sydney", now=utc(2026, 6, 30, 14, 30)) == date(2026, 7, 1)
    # and 02:30 UTC on 1 January is still New Year's Eve in Santiago (-3)
    assert periods.today("America/Santiago", now=utc(2027, 1, 1, 2, 30)) == date(2026, 12, 31)


def test_a_naive_instant_is_refused():
    with pytest.raises(PeriodError, match="no time zone"):
        periods.today("Europe/Madrid", now=datetime(2026, 3, 29, 22, 30))


@pytest.mark.parametrize(
    ("grain", "today", "expected"),
    [
        ("day", date(2026, 3, 30), date(2026, 3, 29)),
        ("day", date(2027, 1, 1), date(2026, 12, 31)),
        # Friday 1 January 2027 is in 2026-W53 (28 Dec to 3 Jan), so the last complete week is W52
        ("week", date(2027, 1, 1), date(2026, 12, 21)),
        # on Monday 4 January 2027 the whole of W53 has ended
        ("week", date(2027, 1, 4), date(2026, 12, 28)),
        ("month", date(2027, 1, 1), date(2026, 12, 1)),
        ("month", date(2026, 3, 31), date(2026, 2, 1)),
        ("quarter", date(2027, 1, 1), date(2026, 10, 1)),
        ("quarter", date(2026, 6, 30), date(2026, 1, 1)),
    ],
)
def test_last_complete_period(grain, today, expected):
    assert periods.last_complete(grain, today=today) == expected


def test_last_complete_at_a_zone_boundary():
    # at 14:30 UTC on 30 June a server on UTC would call May the last complete month; Sydney has finished June
    today = periods.today("Australia/Sydney", now=utc(2026, 6, 30, 14, 30))
    assert periods.last_complete("month", today=today) == date(2026, 6, 1)
    assert periods.last_complete("quarter", today=today) == date(2026, 4, 1)


def test_history_ending_mid_day_is_cut_at_the_previous_day():
    # the demo lake ends at 00:57 local: that day is partial, the day before is the last complete one
    last_fact = utc(2026, 11, 30, 23, 57)  # 00:57 on 1 December in Madrid (CET, +1)
    day = periods.local_date(last_fact, "Europe/Madrid")
    assert day == date(2026, 12, 1)
    assert periods.last_complete("day", today=day) == date(2026, 11, 30)


# --- year ends and ISO weeks -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "grain", "start"),
    [
        ("2026-W53", "week", date(2026, 12, 28)),  # 2026 starts on a Thursday: it has 53 ISO weeks
        ("2020-W53", "week", date(2020, 12, 28)),
        ("2027-W01", "week", date(2027, 1, 4)),
        ("2025-W01", "week", date(2024, 12, 30)),  # ISO week 1 of 2025 starts in 2024
        ("2026-w20", "week", date(2026, 5, 11)),
        ("2026-05", "month", date(2026, 5, 1)),
        ("2026-5", "month", date(2026, 5, 1)),
        ("2026-Q4", "quarter", date(2026, 10, 1)),
        ("2026-05-14", "day", date(2026, 5, 14)),
        # a finer form widens to the grain asked for; a coarser one starts at its first day
        ("2026-05-14", "month", date(2026, 5, 1)),
        ("2026-W20", "month", date(2026, 5, 1)),
        ("2026-05-14", "quarter", date(2026, 4, 1)),
        ("2026-05", "week", date(2026, 4, 27)),  # 1 May 2026 is a Friday
        ("  2026-05 ", "month", date(2026, 5, 1)),
    ],
)
def test_parse(text, grain, start):
    assert periods.parse(text, grain) == start


def test_empty_means_the_last_complete_period():
    assert periods.parse("", "week", today=date(2027, 1, 1)) == date(2026, 12, 21)
    assert periods.parse(None, "month", today=date(2027, 1, 1)) == date(2026, 12, 1)
    with pytest.raises(PeriodError, match="no period given"):
        periods.parse("", "month")


@pytest.mark.parametrize(
    ("text", "grain", "message"),
    [
        ("2025-W53", "week", "2025 has no ISO week 53"),
        ("2026-W00", "week", "has no ISO week 0"),
        ("2026-13", "month", "no month 13"),
        ("2026-Q5", "quarter", "no quarter 5"),
        ("2026-02-30", "day", "not a date the calendar has"),
        ("0000-01", "month", "not a date the calendar has"),
        ("May 2026", "month", "is not a month such as 2026-05"),
        ("soon", "week", "is not an ISO week such as 2026-W20"),
        ("2026-05", "year", "unknown grain"),
        # outside the supported years: the fuzzed edges of issue #9.5
        ("9999-12", "month", "outside the supported years 1990 to 2099"),
        ("0001-01", "month", "outside the supported years"),
        ("0001-W01", "week", "outside the supported years"),
        ("9999-W52", "week", "outside the supported years"),
        ("2100-01-01", "day", "outside the supported years"),
        ("1989-12-31", "day", "outside the supported years"),
    ],
)
def test_bad_periods_raise_one_typed_error_with_a_message(text, grain, message):
    with pytest.raises(PeriodError, match=message):
        periods.parse(text, grain)


def test_period_error_is_a_value_error():
    # callers that already answer 400 on ValueError keep doing so
    assert issubclass(PeriodError, ValueError)


def test_the_supported_range_is_inclusive_at_both_ends():
    assert periods.parse("1990-W01", "week") == date(1990, 1, 1)
    assert periods.parse("2099-W53", "week") == date(2099, 12, 28)
    assert periods.parse("2099-Q4", "quarter") == date(2099, 10, 1)
    # the last period's end lies in 2100 and is still a valid bound
    assert periods.end_of(date(2099, 12, 1), "month") == date(2100, 1, 1)
    assert periods.utc_bounds(date(2099, 12, 1), "month", "Europe/Madrid")[1] == utc(2099, 12, 31, 23)
    with pytest.raises(PeriodError):
        periods.shift(date(2099, 12, 1), "month", 2)
    with pytest.raises(PeriodError):
        periods.shift(date(1990, 1, 1), "day", -1)


# --- shift, label, param -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "grain", "n", "expected"),
    [
        (date(2026, 12, 28), "week", 1, date(2027, 1, 4)),
        (date(2026, 12, 21), "week", 1, date(2026, 12, 28)),
        (date(2026, 12, 1), "month", 1, date(2027, 1, 1)),
        (date(2026, 1, 1), "month", -1, date(2025, 12, 1)),
        (date(2026, 1, 1), "month", -13, date(2024, 12, 1)),
        (date(2026, 10, 1), "quarter", 1, date(2027, 1, 1)),
        (date(2026, 1, 1), "quarter", -1, date(2025, 10, 1)),
        (date(2026, 12, 31), "day", 1, date(2027, 1, 1)),
        (date(2024, 2, 28), "day", 1, date(2024, 2, 29)),
        (date(2026, 5, 14), "month", 0, date(2026, 5, 1)),  # a date inside a period is taken to its start
    ],
)
def test_shift(start, grain, n, expected):
    assert periods.shift(start, grain, n) == expected


def test_periods_to_and_between():
    assert periods.periods_to(date(2027, 1, 4), "week", 3) == [date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4)]
    assert periods.periods_between(date(2026, 11, 15), date(2027, 2, 1), "month") == [
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]


@pytest.mark.parametrize(
    ("start", "grain", "param", "label"),
    [
        (date(2026, 12, 28), "week", "2026-W53", "week 2026-W53 (28 Dec to 3 Jan 2027)"),
        (date(2024, 12, 30), "week", "2025-W01", "week 2025-W01 (30 Dec to 5 Jan 2025)"),
        (date(2026, 5, 1), "month", "2026-05", "May 2026"),
        (date(2026, 10, 1), "quarter", "2026-Q4", "2026 Q4"),
        (date(2026, 5, 4), "day", "2026-05-04", "Mon 4 May 2026"),
    ],
)
def test_param_and_label(start, grain, param, label):
    assert periods.param(start, grain) == param
    assert periods.label(start, grain) == label
    assert periods.parse(param, grain) == start  # a written period reads back as itself


def test_unknown_zone():
    with pytest.raises(PeriodError, match="IANA"):
        periods.today("Mars/Olympus")
