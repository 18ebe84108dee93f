"""Least cost rarely has one answer: ties broken by quality, then by spreading (issue #10.4)."""

from __future__ import annotations

import pytest

from concord.planning.engine.allocation import Provider, Segment, allocate

EN = frozenset({"en"})


def test_equal_costs_go_to_the_better_partner_not_the_worse():
    # given two partners at the same rate, enough seats each, quality 60 and 90
    provs = [Provider("WEAK", 950, 200, EN, quality_index=60), Provider("STRONG", 950, 200, EN, quality_index=90)]
    res = allocate([Segment("w", "en", 100)], provs)
    # then the cost is the same either way (95,000) and the work goes to quality 90
    assert res.cost == pytest.approx(95_000)
    assert res.shares == {"WEAK": 0.0, "STRONG": 1.0}


def test_equal_costs_and_quality_are_spread_within_the_share_limits():
    # three equal partners, 90 FTE: 30 each; with one capped at 20%, the others take 36 each
    equal = [Provider(name, 950, 200, EN, quality_index=80) for name in ("A", "B", "C")]
    res = allocate([Segment("w", "en", 90)], equal)
    assert res.shares == pytest.approx({"A": 1 / 3, "B": 1 / 3, "C": 1 / 3})
    capped = [*equal[:2], Provider("C", 950, 200, EN, quality_index=80, max_share=0.2)]
    res = allocate([Segment("w", "en", 90)], capped)
    assert res.shares == pytest.approx({"A": 0.4, "B": 0.4, "C": 0.2})


def test_a_cheaper_partner_still_wins_on_cost():
    provs = [Provider("CHEAP", 900, 200, EN, quality_index=60), Provider("DEAR", 950, 200, EN, quality_index=90)]
    assert allocate([Segment("w", "en", 100)], provs).shares == {"CHEAP": 1.0, "DEAR": 0.0}


def test_a_quality_floor_that_excludes_a_partner_says_so():
    provs = [Provider("LOW", 900, 200, EN, quality_index=62.5), Provider("OK", 950, 200, EN, quality_index=85)]
    res = allocate([Segment("w", "en", 100)], provs, quality_floor=70)
    assert res.excluded == ("LOW is excluded: its quality index 62.5 is below the floor 70",)
    assert res.shares["LOW"] == 0.0
