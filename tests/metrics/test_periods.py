"""Days, weeks, months and quarters are cut in the reporting zone, across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from concord.metrics.periods import offset_segments, period_start, utc_bounds, zone

from .metric_fixtures import interaction


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def counts(result, name="contacts_offered"):
    return {row.period_start: row.values[name].value for row in result.rows}


# Europe/Madrid leaves CET (+1) for CEST (+2) at 2026-03-29 01:00 UTC (a Sunday).
MADRID = [
    interaction(created_at=_utc(2026, 3, 28, 22, 59)),  # 23:59 CET on the 28th
    interaction(created_at=_utc(2026, 3, 28, 23, 30)),  # 00:30 CET on the 29th
    interaction(created_at=_utc(2026, 3, 29, 0, 30)),  # 01:30 CET on the 29th
    interaction(created_at=_utc(2026, 3, 29, 21, 59)),  # 23:59 CEST on the 29th
    interaction(created_at=_utc(2026, 3, 29, 22, 30)),  # 00:30 CEST on the 30th (Monday)
    interaction(created_at=_utc(2026, 3, 31, 22, 30)),  # 00:30 CEST on April 1st
]


def test_offsets_change_at_the_transition_instant():
    tz = zone("Europe/Madrid")
    start, end = utc_bounds(date(2026, 3, 28), date(2026, 4, 2), tz)
    assert start == _utc(2026, 3, 27, 23, 0)  # local midnight in CET
    assert end == _utc(2026, 4, 1, 22, 0)  # local midnight in CEST
    assert offset_segments(start, end, tz) == [(start, 3600), (_utc(2026, 3, 29, 1, 0), 7200)]


def test_day_grain_follows_local_midnight_across_spring_forward(measure):
    result = measure(
        ["contacts_offered"],
        interactions=MADRID,
        start=date(2026, 3, 28),
        end=date(2026, 4, 2),
        timezone="Europe/Madrid",
        grain="day",
    )
    assert counts(result) == {
        date(2026, 3, 28): 1.0,
        date(2026, 3, 29): 3.0,
        date(2026, 3, 30): 1.0,
        date(2026, 4, 1): 1.0,
    }


def test_range_bounds_are_local_dates(measure):
    result = measure(
        ["contacts_offered"],
        interactions=MADRID,
        start=date(2026, 3, 29),  # starts 2026-03-28 23:00 UTC: the 22:59 contact is out
        end=date(2026, 3, 30),  # ends 2026-03-29 22:00 UTC: the 22:30 contact is out
        timezone="Europe/Madrid",
    )
    assert result.rows[0].values["contacts_offered"].value == 3.0
    in_utc = measure(["contacts_offered"], interactions=MADRID, start=date(2026, 3, 29), end=date(2026, 3, 30))
    assert in_utc.rows[0].values["contacts_offered"].value == 3.0  # 00:30, 21:59, 22:30 UTC


def test_week_grain_starts_on_local_monday(measure):
    result = measure(
        ["contacts_offered"],
        interactions=MADRID,
        start=date(2026, 3, 23),
        end=date(2026, 4, 6),
        timezone="Europe/Madrid",
        grain="week",
    )
    # Sunday the 29th belongs to the week of Monday the 23rd; 00:30 local on Monday the
    # 30th opens the next week, although in UTC it is still Sunday.
    assert counts(result) == {date(2026, 3, 23): 4.0, date(2026, 3, 30): 2.0}
    in_utc = measure(
        ["contacts_offered"],
        interactions=MADRID,
        start=date(2026, 3, 23),
        end=date(2026, 4, 6),
        grain="week",
    )
    assert counts(in_utc) == {date(2026, 3, 23): 5.0, date(2026, 3, 30): 1.0}


def test_month_grain_in_local_time(measure):
    result = measure(
        ["contacts_offered"],
        interactions=MADRID,
        start=date(2026, 3, 1),
        end=date(2026, 5, 1),
        timezone="Europe/Madrid",
        grain="month",
    )
    # 2026-03-31 22:30 UTC is 00:30 on April 1st in Madrid
    assert counts(result) == {date(2026, 3, 1): 5.0, date(2026, 4, 1): 1.0}


def test_fall_back_and_quarter_in_new_york(measure):
    rows = [
        interaction(created_at=_utc(2026, 10, 1, 3, 30)),  # 23:30 EDT Sep 30: Q3
        interaction(created_at=_utc(2026, 10, 1, 4, 30)),  # 00:30 EDT Oct 1: Q4
        interaction(created_at=_utc(2026, 11, 1, 5, 30)),  # 01:30 EDT Nov 1 (first pass)
        interaction(created_at=_utc(2026, 11, 1, 6, 30)),  # 01:30 EST Nov 1 (second pass)
        interaction(created_at=_utc(2026, 11, 2, 4, 30)),  # 23:30 EST Nov 1
        interaction(created_at=_utc(2026, 11, 2, 5, 30)),  # 00:30 EST Nov 2
    ]
    days = measure(
        ["contacts_offered"],
        interactions=rows,
        start=date(2026, 9, 30),
        end=date(2026, 11, 3),
        timezone="America/New_York",
        grain="day",
    )
    assert counts(days) == {
        date(2026, 9, 30): 1.0,
        date(2026, 10, 1): 1.0,
        date(2026, 11, 1): 3.0,  # a 25-hour day
        date(2026, 11, 2): 1.0,
    }
    quarters = measure(
        ["contacts_offered"],
        interactions=rows,
        start=date(2026, 7, 1),
        end=date(2027, 1, 1),
        timezone="America/New_York",
        grain="quarter",
    )
    assert counts(quarters) == {date(2026, 7, 1): 1.0, date(2026, 10, 1): 5.0}


def test_unknown_zone_is_a_clear_error(measure):
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        measure(["aht"], timezone="Mars/Olympus")


@pytest.mark.parametrize(
    ("day", "grain", "expected"),
    [
        (date(2026, 3, 29), "week", date(2026, 3, 23)),
        (date(2026, 3, 29), "month", date(2026, 3, 1)),
        (date(2026, 3, 29), "quarter", date(2026, 1, 1)),
        (date(2026, 12, 31), "quarter", date(2026, 10, 1)),
    ],
)
def test_python_period_start(day, grain, expected):
    assert period_start(day, grain) == expected
