"""Allocation on small cases whose optimum can be worked out by hand."""

from __future__ import annotations

import pytest

from concord.planning.engine.allocation import (
    Provider,
    Scenario,
    Segment,
    allocate,
    compare_scenarios,
)

EN = frozenset({"en"})
EN_ES = frozenset({"en", "es"})


def week(amount_en: float, amount_es: float = 0.0):
    out = [Segment("w1", "en", amount_en)]
    if amount_es:
        out.append(Segment("w1", "es", amount_es))
    return out


def test_cheapest_first_up_to_capacity():
    # 100 units; A costs 10 (cap 60), B costs 12 (cap 100): A 60, B 40 -> 600 + 480 = 1080.
    res = allocate(week(100), [Provider("A", 10, 60, EN), Provider("B", 12, 100, EN)])
    assert res.feasible and res.cost == pytest.approx(1080)
    assert res.allocation == {("A", "w1", "en"): 60, ("B", "w1", "en"): 40}
    assert "A at capacity in w1" in res.binding


def test_concentration_cap_and_redundancy_floor():
    # A is cheapest but capped at 50%; C must keep 20% for redundancy.
    # 100 units: A 50 (500), C 20 (20 x 15 = 300), B 30 (360) -> 1160.
    provs = [
        Provider("A", 10, 100, EN, max_share=0.5),
        Provider("B", 12, 100, EN),
        Provider("C", 15, 100, EN, min_share=0.2),
    ]
    res = allocate(week(100), provs)
    assert res.shares == pytest.approx({"A": 0.5, "B": 0.3, "C": 0.2})
    assert res.cost == pytest.approx(1160)


def test_language_and_hours_coverage():
    # Only B speaks Spanish; A does not cover night hours.
    segs = [Segment("day", "en", 50), Segment("night", "en", 20), Segment("day", "es", 10)]
    provs = [Provider("A", 10, 100, EN, periods=frozenset({"day"})), Provider("B", 20, 100, EN_ES)]
    res = allocate(segs, provs)
    assert res.allocation == {("A", "day", "en"): 50, ("B", "night", "en"): 20, ("B", "day", "es"): 10}
    assert res.cost == pytest.approx(500 + 400 + 200)


def test_quality_floor_excludes_or_caps():
    provs = [Provider("cheap", 5, 100, EN, quality_index=60), Provider("good", 10, 100, EN, quality_index=85)]
    excluded = allocate(week(100), provs, quality_floor=75)
    assert excluded.shares == {"cheap": 0.0, "good": 1.0}
    capped = allocate(week(100), provs, quality_floor=75, below_floor_max_share=0.25)
    assert capped.shares == pytest.approx({"cheap": 0.25, "good": 0.75})
    assert capped.cost == pytest.approx(25 * 5 + 75 * 10)


def test_infeasible_total_capacity_is_named():
    res = allocate(week(100), [Provider("A", 10, 30, EN), Provider("B", 12, 40, EN)])
    assert not res.feasible
    assert "total capacity 70 is below total demand 100" in res.message


def test_infeasible_min_shares_over_100_percent_is_named():
    res = allocate(week(100), [Provider("A", 10, 100, EN, min_share=0.6), Provider("B", 12, 100, EN, min_share=0.5)])
    assert not res.feasible and "minimum shares add up to 110%" in res.message


def test_infeasible_language_gap_is_named():
    res = allocate(week(50, 10), [Provider("A", 10, 100, EN)])
    assert not res.feasible and "no eligible provider covers es in w1" in res.message


def test_integer_amounts():
    # Whole FTE: A has room for 5.5 but can only take 5; B takes the other 6 -> 5 + 12 = 17.
    res = allocate([Segment("w1", "en", 11)], [Provider("A", 1, 5.5, EN), Provider("B", 2, 10, EN)], integer=True)
    assert res.feasible
    assert res.allocation == {("A", "w1", "en"): 5, ("B", "w1", "en"): 6}
    assert res.cost == pytest.approx(17)


def test_scenarios_side_by_side():
    segs = week(100)
    provs = [Provider("A", 10, 70, EN), Provider("B", 12, 100, EN)]
    out = compare_scenarios(
        segs,
        provs,
        [
            Scenario("base"),
            Scenario("A loses a site", capacity_factor={"A": 0.5}),
            Scenario("volume +30%", volume_factor=1.3),
            Scenario("both", volume_factor=1.3, capacity_factor={"A": 0.5, "B": 0.5}),
        ],
    )
    assert out["base"].cost == pytest.approx(70 * 10 + 30 * 12)
    assert out["A loses a site"].cost == pytest.approx(35 * 10 + 65 * 12)
    assert out["volume +30%"].cost == pytest.approx(70 * 10 + 60 * 12)
    assert not out["both"].feasible and "total capacity 85" in out["both"].message
