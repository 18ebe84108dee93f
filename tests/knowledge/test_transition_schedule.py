"""Phase dates of a transition plan, each figure counted by hand on a calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from concord.knowledge.transition.schedule import ScheduleError, default_due, phase_on, phases, slippage_days

D = dt.date


def _cut(ps):
    return [(p.name, p.start, p.last_day, p.days) for p in ps]


def test_six_months_from_new_year_split_30_20_50():
    # 1 Jan + 6 months = 1 Jul: 181 days. 30% = 54.3 -> 54 days; 50% cumulative = 90.5 -> 91 (half up)
    assert _cut(phases(D(2026, 1, 1), 6)) == [
        ("preparation", D(2026, 1, 1), D(2026, 2, 23), 54),  # 1 Jan + 54 days = 24 Feb
        ("transition", D(2026, 2, 24), D(2026, 4, 1), 37),
        ("stabilisation", D(2026, 4, 2), D(2026, 6, 30), 90),  # 1 Jan + 91 days = 2 Apr
    ]


def test_a_month_from_the_31st_ends_on_the_last_day_of_february():
    # 31 Jan + 1 month = 28 Feb (2026 is not a leap year): 28 days; 8.4 -> 8, 14 -> 14
    assert _cut(phases(D(2026, 1, 31), 1)) == [
        ("preparation", D(2026, 1, 31), D(2026, 2, 7), 8),
        ("transition", D(2026, 2, 8), D(2026, 2, 13), 6),
        ("stabilisation", D(2026, 2, 14), D(2026, 2, 27), 14),
    ]
    # 2028 is a leap year: 31 Jan + 1 month = 29 Feb, 29 days; 8.7 -> 9, 14.5 -> 15
    assert _cut(phases(D(2028, 1, 31), 1))[1] == ("transition", D(2028, 2, 9), D(2028, 2, 14), 6)
    # 30 Nov + 3 months = 28 Feb 2027 (clamped), across the year end: 90 days; 27, 45
    assert [p.start for p in phases(D(2026, 11, 30), 3)] == [D(2026, 11, 30), D(2026, 12, 27), D(2027, 1, 14)]
    assert phases(D(2026, 11, 30), 3)[-1].end == D(2027, 2, 28)


def test_an_edited_split_with_decimals():
    # 2 Mar + 3 months = 2 Jun: 92 days. 25.5% = 23.46 -> 23; 25.5 + 14.5 = 40% = 36.8 -> 37
    ps = phases(D(2026, 3, 2), 3, (Decimal("25.5"), Decimal("14.5"), Decimal(60)))
    assert [(p.start, p.days) for p in ps] == [(D(2026, 3, 2), 23), (D(2026, 3, 25), 14), (D(2026, 4, 8), 55)]


@pytest.mark.parametrize(
    ("months", "split", "message"),
    [
        (0, (30, 20, 50), "1 to 36 months"),
        (37, (30, 20, 50), "1 to 36 months"),
        (6, (30, 20, 40), "add up to 100% (they add up to 90%)"),
        (6, (50, 50, 0), "above 0%"),
        (1, (Decimal("98"), Decimal("1"), Decimal("1")), "at least one day"),
    ],
)
def test_impossible_plans_are_refused_with_the_reason(months, split, message):
    with pytest.raises(ScheduleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        phases(D(2026, 1, 1), months, tuple(Decimal(x) for x in split))


def test_default_due_dates_and_slippage():
    transition = phases(D(2026, 3, 2), 3)[1]  # 30 Mar .. 16 Apr, 18 days
    assert (transition.start, transition.last_day) == (D(2026, 3, 30), D(2026, 4, 16))
    assert default_due(transition, 0.0) == D(2026, 3, 30)
    assert default_due(transition, 0.5) == D(2026, 4, 8)  # 17 * 0.5 = 8.5 -> 9 days in, half up
    assert default_due(transition, 1.0) == D(2026, 4, 16)
    assert phase_on(phases(D(2026, 3, 2), 3), D(2026, 3, 1)) == "before"
    assert phase_on(phases(D(2026, 3, 2), 3), D(2026, 4, 17)) == "stabilisation"
    assert phase_on(phases(D(2026, 3, 2), 3), D(2026, 6, 2)) == "after"
    due = D(2026, 4, 8)
    assert slippage_days(due, D(2026, 4, 19), D(2026, 5, 20)) == 11  # met 11 days late
    assert slippage_days(due, D(2026, 4, 1), D(2026, 5, 20)) == 0  # met early
    assert slippage_days(due, None, D(2026, 4, 8)) == 0  # open, due today
    assert slippage_days(due, None, D(2026, 4, 10)) == 2  # open, two days past due
