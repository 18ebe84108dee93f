"""Escalation timers, checked against hand computations on the wall clock.

Madrid moves from CET (UTC+1) to CEST (UTC+2) at 02:00 on Sunday 29 March 2026 and back at
03:00 on Sunday 25 October 2026 (EU rule: last Sunday of March / October).
Business hours 09:00-17:00 Monday to Friday in Europe/Madrid.
"""

import datetime as dt

import pytest

from concord.governance.timers import BusinessCalendar, add, elapsed

MADRID = BusinessCalendar("Europe/Madrid", dt.time(9), dt.time(17), frozenset({0, 1, 2, 3, 4}))
UTC = dt.UTC


def test_business_time_runs_over_the_weekend_and_the_spring_dst_change():
    # Friday 27 March 16:00 CET = 15:00 UTC; 120 business minutes: 60 on Friday (to 17:00),
    # nothing on Saturday or Sunday (the clocks change on Sunday), 60 on Monday from 09:00 CEST
    # (= 07:00 UTC) -> Monday 10:00 CEST = 08:00 UTC.
    start = dt.datetime(2026, 3, 27, 15, 0, tzinfo=UTC)
    assert add(start, 120, "business", MADRID) == dt.datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert elapsed(start, dt.datetime(2026, 3, 30, 8, 0, tzinfo=UTC), "business", MADRID) == dt.timedelta(hours=2)


def test_calendar_time_counts_real_hours_so_the_wall_clock_shifts_by_the_dst_hour():
    # 72 calendar hours from Friday 16:00 CET (15:00 UTC) = Monday 15:00 UTC = 17:00 CEST, not 16:00
    start = dt.datetime(2026, 3, 27, 15, 0, tzinfo=UTC)
    due = add(start, 72 * 60, "calendar", MADRID)
    assert due == dt.datetime(2026, 3, 30, 15, 0, tzinfo=UTC)
    assert due.astimezone(dt.timezone(dt.timedelta(hours=2))).hour == 17


def test_business_time_across_the_autumn_change():
    # Friday 23 October 16:30 CEST = 14:30 UTC; 8 business hours (480 min): 30 min on Friday,
    # then Monday 26 October (CET again, 09:00 = 08:00 UTC) 7 h 30 -> 16:30 CET = 15:30 UTC.
    start = dt.datetime(2026, 10, 23, 14, 30, tzinfo=UTC)
    assert add(start, 480, "business", MADRID) == dt.datetime(2026, 10, 26, 15, 30, tzinfo=UTC)
    # the same 8 hours in calendar time: Friday 22:30 UTC (00:30 CEST Saturday)
    assert add(start, 480, "calendar", MADRID) == dt.datetime(2026, 10, 23, 22, 30, tzinfo=UTC)


def test_opened_outside_hours_starts_counting_at_the_next_opening():
    # Saturday 28 March 11:00 UTC: the clock starts Monday 09:00 CEST (07:00 UTC); 30 min -> 07:30 UTC
    start = dt.datetime(2026, 3, 28, 11, 0, tzinfo=UTC)
    assert add(start, 30, "business", MADRID) == dt.datetime(2026, 3, 30, 7, 30, tzinfo=UTC)
    assert elapsed(start, dt.datetime(2026, 3, 30, 7, 0, tzinfo=UTC), "business", MADRID) == dt.timedelta(0)


def test_a_full_business_week_is_forty_hours_whatever_the_dst():
    start = dt.datetime(2026, 3, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 CET
    end = dt.datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # next Monday 09:00 CEST
    assert elapsed(start, end, "business", MADRID) == dt.timedelta(hours=40)


def test_bad_calendars_and_naive_times_are_refused():
    with pytest.raises(ValueError, match="weekday"):
        BusinessCalendar("Europe/Madrid", dt.time(9), dt.time(17), frozenset())
    with pytest.raises(ValueError, match="after they start"):
        BusinessCalendar("Europe/Madrid", dt.time(17), dt.time(9), frozenset({0}))
    with pytest.raises(ValueError, match="aware"):
        add(dt.datetime(2026, 3, 27, 15), 10, "business", MADRID)
