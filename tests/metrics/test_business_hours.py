"""Business hours per site: open time between two instants, worked out by hand on a calendar.

Calendar (Europe/Madrid): Mon-Fri 09:00-18:00, Sat 10:00-14:00, closed Sunday; Good Friday 3 April 2026
a holiday. Madrid is UTC+1 until 29 March 2026 02:00, when clocks go forward to UTC+2, and back to UTC+1 on
25 October 2026 03:00. Every expected figure below is counted on the calendar by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest

from concord.metrics import MetricRef
from concord.metrics.calendars import (
    BusinessCalendar,
    BusinessClock,
    business_seconds,
    calendar_from_text,
    describe_week,
    parse_holidays,
    parse_week,
)
from concord.metrics.conventions import Conventions

from .metric_fixtures import interaction

MADRID = calendar_from_text("Europe/Madrid", "Mon-Fri 09:00-18:00; Sat 10:00-14:00", "2026-04-03")
NIGHTS = calendar_from_text("Europe/Madrid", "Sun 00:00-06:00")
H = 3600


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


CASES = [
    # weekend: Fri 6 Mar 17:00 CET (16:00Z) to Mon 9 Mar 10:00 CET (09:00Z): Fri 1 h + Sat 4 h + Mon 1 h
    ("weekend", MADRID, utc(2026, 3, 6, 16), utc(2026, 3, 9, 9), 6 * H),
    # holiday: Thu 2 Apr 17:30 CEST (15:30Z) to Mon 6 Apr 09:30 CEST (07:30Z): Thu 0.5 h, Good Friday closed,
    # Sat 4 h, Sunday closed, Mon 0.5 h
    ("holiday", MADRID, utc(2026, 4, 2, 15, 30), utc(2026, 4, 6, 7, 30), 5 * H),
    # DST: Fri 27 Mar 17:00 CET (16:00Z) to Mon 30 Mar 09:30 CEST (07:30Z): Fri 1 h + Sat 4 h + Mon 0.5 h
    # (a calendar kept at UTC+1 would open Monday at 08:00Z and count no Monday time: 5 h)
    ("dst spring", MADRID, utc(2026, 3, 27, 16), utc(2026, 3, 30, 7, 30), 5.5 * H),
    # the night the clocks go forward, Sun 00:00-06:00 local lasts 5 hours (23:00Z to 04:00Z)
    ("short night", NIGHTS, utc(2026, 3, 28, 20), utc(2026, 3, 29, 12), 5 * H),
    # the night they go back it lasts 7 hours (22:00Z to 05:00Z)
    ("long night", NIGHTS, utc(2026, 10, 24, 20), utc(2026, 10, 25, 12), 7 * H),
    # inside one open span, business time is calendar time; closed all along, it is 0
    ("inside", MADRID, utc(2026, 3, 10, 9), utc(2026, 3, 10, 10, 15), 1.25 * H),
    ("closed", MADRID, utc(2026, 3, 7, 14), utc(2026, 3, 9, 7, 59), 0),
]


@pytest.mark.parametrize(("name", "calendar", "start", "end", "expected"), CASES)
def test_open_seconds_by_hand(name, calendar, start, end, expected):
    assert business_seconds(calendar, start, end) == expected


def test_the_vectorised_clock_agrees_with_the_hand_counts():
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    clock = BusinessClock(MADRID, date(2026, 3, 1), date(2026, 4, 30))
    cases = [c for c in CASES if c[1] is MADRID]
    starts = np.array([(c[2] - epoch).total_seconds() * 1e6 for c in cases])
    ends = np.array([(c[3] - epoch).total_seconds() * 1e6 for c in cases])
    assert list(clock.between(starts, ends)) == [c[4] for c in cases]


def test_calendar_text_reads_and_writes_back():
    assert parse_week("Mon-Wed, Fri 09:00-13:00, 14:00-18:00; sat 10:00-14:00")[:2] == ((0, 540, 780), (0, 840, 1080))
    assert describe_week(parse_week("Sat 10:00-24:00")) == "Sat 10:00-24:00"
    assert parse_holidays("2026-12-25\n2026-01-01, 2026-01-01") == (date(2026, 1, 1), date(2026, 12, 25))
    assert calendar_from_text("UTC", "  ") is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Funday 09:00-18:00", "'funday' is not a day"),
        ("Mon 18:00-09:00", "ends before it starts"),
        ("Mon 09:00-25:00", "is not a time of day"),
        ("Mon 09:00-12:00, 11:00-13:00", "opening hours overlap"),
        ("09:00-18:00", "write days then hours"),
        ("Fri-Mon 09:00-18:00", "runs backwards"),
    ],
)
def test_a_bad_calendar_is_one_clear_message(text, says):
    with pytest.raises(ValueError, match=says):
        parse_week(text)
    with pytest.raises(ValueError, match="is not a date"):
        parse_holidays("2026-02-30")


def test_first_response_and_resolution_in_business_hours_of_the_contacts_site(measure):
    conv = Conventions(hours="business", calendars=(("P1", "MAD", MADRID),))
    rows = [
        # the weekend case: answered 6 business hours (65 calendar hours) later, resolved at once
        interaction(channel="email", site="MAD", created_at=utc(2026, 3, 6, 16), answer_after=65 * H,
                    resolve_after=65 * H),
        # a site with no calendar is open round the clock: 2 h is 2 h
        interaction(channel="email", site="LIS", created_at=utc(2026, 3, 6, 16), answer_after=2 * H,
                    resolve_after=2 * H),
    ]  # fmt: skip
    refs = [MetricRef("first_response_median"), MetricRef("resolution_p90")]
    business = measure(refs, interactions=rows, conventions=conv, group_by=("site",))
    assert business.value("first_response_median", site="MAD").value == 6 * H
    assert business.value("resolution_p90", site="LIS").value == 2 * H
    calendar = measure(refs, interactions=rows, group_by=("site",))
    assert calendar.value("first_response_median", site="MAD").value == 65 * H


def test_the_business_clock_is_the_calendar_the_request_carries(measure):
    # the same rows twice on one connection with two calendars: the second is not the first's cached function
    rows = [interaction(channel="email", site="MAD", created_at=utc(2026, 3, 10, 9), answer_after=H)]
    open_all_day = BusinessCalendar("Europe/Madrid", ((1, 0, 1440),))
    closed_tuesday = BusinessCalendar("Europe/Madrid", ((0, 0, 1440),))
    for calendar, expected in ((open_all_day, H), (closed_tuesday, 0)):
        conv = Conventions(hours="business", calendars=(("P1", "MAD", calendar),))
        assert (
            measure(["first_response_median"], interactions=rows, conventions=conv)
            .rows[0]
            .values["first_response_median"]
            .value
            == expected
        )
