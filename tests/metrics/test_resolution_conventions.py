"""First vs full resolution time and requester wait time (docs/helpdesk-conventions.md), by hand.

Six tickets created on Monday 2 March 2026 09:00 UTC (T0):

| ticket | reopened | first resolved | latest resolved (resolved_at) | solved now | requester wait |
| --- | --- | --- | --- | --- | --- |
| A | no | not given | +2 h | yes | not given |
| B | yes | +1 h | +5 h | yes | 3 h |
| C | yes | not given | +6 h | yes | 2 h |
| D | no | never | never | no | 1000 s (still running) |
| E | no | +3 h | +3 h | yes | 1 h |
| F | yes, open again | +4 h | none now | no | 2 h (running again) |

- full resolution over solved tickets (A, B, C, E): 2, 3, 5, 6 h
- first resolution over tickets resolved at least once whose first resolution is known: A (its only
  resolution, 2 h), B 1 h, E 3 h, F 4 h; C (reopened, first unknown) and D (never solved) are left out
- requester wait over solved tickets with a wait: B 3 h, C 2 h, E 1 h; D and F are still waiting
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from concord.metrics import get
from concord.metrics.calendars import calendar_from_text
from concord.metrics.conventions import Conventions, describe_line

from .metric_fixtures import T0, interaction

H = 3600.0


def _at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


TICKETS = [
    interaction(channel="email", resolve_after=2 * H),
    interaction(channel="email", resolve_after=5 * H, reopened=True, first_resolved_at=_at(1),
                requester_wait_seconds=3 * H),
    interaction(channel="email", resolve_after=6 * H, reopened=True, requester_wait_seconds=2 * H),
    interaction(channel="email", resolve_after=None, requester_wait_seconds=1000.0),
    interaction(channel="email", resolve_after=3 * H, first_resolved_at=_at(3), requester_wait_seconds=1 * H),
    interaction(channel="email", resolve_after=None, reopened=True, first_resolved_at=_at(4),
                requester_wait_seconds=2 * H),
]  # fmt: skip
KEYS = [
    "resolution_median", "resolution_p90", "first_resolution_median", "first_resolution_p90",
    "requester_wait_median", "requester_wait_p90",
]  # fmt: skip


def test_first_and_full_resolution_and_requester_wait_by_hand(measure):
    values = measure(KEYS, interactions=TICKETS).rows[0].values
    got = {k: (values[k].value, values[k].volume) for k in KEYS}
    assert got == {
        # full: 2 3 5 6 h -> median 4 h; p90 at (4 - 1) * 0.9 = 2.7: 5 h + 0.7 h = 5.7 h
        "resolution_median": (pytest.approx(4 * H), 4),
        "resolution_p90": (pytest.approx(5.7 * H), 4),
        # first: 1 2 3 4 h -> median 2.5 h; p90 at 2.7: 3 h + 0.7 h = 3.7 h
        "first_resolution_median": (pytest.approx(2.5 * H), 4),
        "first_resolution_p90": (pytest.approx(3.7 * H), 4),
        # wait: 1 2 3 h -> median 2 h; p90 at (3 - 1) * 0.9 = 1.8: 2 h + 0.8 h = 2.8 h
        "requester_wait_median": (pytest.approx(2 * H), 3),
        "requester_wait_p90": (pytest.approx(2.8 * H), 3),
    }


def test_a_ticket_never_solved_is_left_out_not_counted_as_zero(measure):
    never = [interaction(channel="email", resolve_after=None, requester_wait_seconds=0.0)]
    values = measure(["first_resolution_median", "requester_wait_median"], interactions=never).rows[0].values
    assert (values["first_resolution_median"].value, values["first_resolution_median"].volume) == (None, 0)
    assert (values["requester_wait_median"].value, values["requester_wait_median"].volume) == (None, 0)


def test_first_resolution_follows_the_business_hours_convention_and_requester_wait_does_not_claim_it(measure):
    # Madrid, Mon-Fri 09:00-18:00 (UTC+1 in March): created Friday 6 March 16:00 UTC (17:00 local),
    # first resolved Monday 9 March 09:00 UTC (10:00 local): 1 h on Friday + 1 h on Monday = 2 business hours
    madrid = calendar_from_text("Europe/Madrid", "Mon-Fri 09:00-18:00")
    friday = datetime(2026, 3, 6, 16, tzinfo=UTC)
    row = interaction(channel="email", site="MAD", created_at=friday, resolve_after=80 * H, reopened=True,
                      first_resolved_at=datetime(2026, 3, 9, 9, tzinfo=UTC), requester_wait_seconds=600.0)  # fmt: skip
    conv = Conventions(hours="business", calendars=(("P1", "MAD", madrid),))
    business = measure(["first_resolution_median", "requester_wait_median"], interactions=[row], conventions=conv)
    assert business.rows[0].values["first_resolution_median"].value == 2 * H
    # the wait is the helpdesk's own figure: the same number whatever hours convention the scorecard uses
    assert business.rows[0].values["requester_wait_median"].value == 600.0
    assert "business hours" in describe_line(get("first_resolution_median"), {}, conv)
    assert "business hours" not in describe_line(get("requester_wait_median"), {}, conv)
