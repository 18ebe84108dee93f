"""The date a contact counts by: created (default), first answered or resolved. Counted by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from concord.metrics.conventions import Conventions

from .metric_fixtures import interaction

H = 3600
# a ticket created 30 March, answered 1 April, resolved 2 April; one created and resolved in April;
# one created in April and never resolved (times in UTC; the request is in UTC)
TICKETS = [
    interaction(channel="email", created_at=datetime(2026, 3, 30, 12, tzinfo=UTC), answer_after=48 * H,
                resolve_after=72 * H),
    interaction(channel="email", created_at=datetime(2026, 4, 10, 12, tzinfo=UTC), answer_after=H, resolve_after=2 * H),
    interaction(channel="email", created_at=datetime(2026, 4, 20, 12, tzinfo=UTC), answer_after=H),
]  # fmt: skip
APRIL = {"start": date(2026, 4, 1), "end": date(2026, 5, 1)}


@pytest.mark.parametrize(
    ("count_by", "offered", "resolution_median"),
    [
        ("created", 2, 2 * H),  # the two created in April; one resolved, in 2 h
        ("answered", 3, (2 * H + 72 * H) / 2),  # all three answered in April; two resolved: median of 2 h and 72 h
        ("resolved", 2, (2 * H + 72 * H) / 2),  # the two resolved in April
    ],
)
def test_the_period_takes_the_contacts_of_its_chosen_date(measure, count_by, offered, resolution_median):
    result = measure(
        ["contacts_offered", "resolution_median"], interactions=TICKETS, conventions=Conventions(count_by=count_by),
        **APRIL,
    )  # fmt: skip
    values = result.rows[0].values
    assert values["contacts_offered"].value == offered
    assert values["resolution_median"].value == resolution_median


def test_by_month_each_contact_lands_in_the_month_of_its_date(measure):
    result = measure(
        ["contacts_offered"], interactions=TICKETS, conventions=Conventions(count_by="resolved"), grain="month",
        start=date(2026, 3, 1), end=date(2026, 5, 1),
    )  # fmt: skip
    # counted by resolution: nothing resolved in March; two in April (the third is still open)
    assert [(r.period_start, r.values["contacts_offered"].value) for r in result.rows] == [(date(2026, 4, 1), 2)]


def test_an_unknown_convention_is_refused_by_name():
    with pytest.raises(ValueError, match="count_by must be one of created, answered, resolved"):
        Conventions(count_by="closed")
    with pytest.raises(ValueError, match="hours must be one of calendar, business"):
        Conventions(hours="office")
