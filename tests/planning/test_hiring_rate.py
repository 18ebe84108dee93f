"""Attrition is a rate (exits / average headcount, annualised): DOMAIN.md "Attrition and hiring" (#10.4)."""

from __future__ import annotations

import pytest

from concord.planning import selectors
from concord.planning.engine.allocation import AllocationResult


def _terms(name: str, headcount: int, attrition: float | None) -> selectors.ProviderTerms:
    return selectors.ProviderTerms(
        provider_id=1, name=name, rate=950.0, capacity=200.0, languages=frozenset({"en"}), quality_index=80.0,
        min_share=0.0, max_share=1.0, headcount=headcount, annual_attrition=attrition,
    )  # fmt: skip


def test_weekly_leavers_are_headcount_times_the_annual_rate_over_52():
    # Atlas: 0.86 a year -> 0.86 / 52 = 1.654% a week (the old compounding said 3.7%)
    assert selectors.weekly_attrition(0.86) == pytest.approx(0.016538, abs=1e-6)
    # a bad month annualised at 1.2 stays 1.2 / 52 = 2.308% a week: a rate above 100% is not capped
    assert selectors.weekly_attrition(1.2) == pytest.approx(0.023077, abs=1e-6)
    assert selectors.weekly_attrition(None) == 0.0


def test_the_hiring_plan_expects_the_hand_computed_leavers():
    # given 100 agents carrying 100 FTE at 0.86 a year, and no training (hires work at once)
    allocation = AllocationResult(True, "optimal", 0.0, {("ATLAS", "all day", "en"): 100.0}, {"ATLAS": 1.0})
    (plan,) = selectors.hiring_plans(
        allocation, [_terms("ATLAS", 100, 0.86)], weeks=2, training_weeks=0, ramp=(), training_cost=0
    )
    # then week 1 loses 100 x 0.86 / 52 = 1.654 people
    assert plan["plan"].leavers[0] == pytest.approx(100 * 0.86 / 52)


def test_a_provider_with_no_work_carries_no_attrition_cost():
    allocation = AllocationResult(True, "optimal", 0.0, {("ATLAS", "all day", "en"): 100.0}, {"ATLAS": 1.0})
    plans = selectors.hiring_plans(
        allocation, [_terms("ATLAS", 100, 0.86), _terms("CORA", 80, 0.5)], weeks=4, training_weeks=2,
        ramp=(0.5,), training_cost=2000,
    )  # fmt: skip
    cora = plans[1]
    assert cora["required_fte"] == 0
    assert cora["leavers"] == 0 and cora["plan"].attrition_cost == 0 and cora["total_hires"] == 0
    assert cora["note"] == "No work allocated: no hires, and no attrition cost."


def test_a_provider_with_a_small_share_carries_attrition_only_for_the_agents_the_work_needs():
    # given Cora with 300 agents at 52% a year (1% a week) and 10 FTE of our work; training longer than
    # the plan, so nobody is hired within it and the leavers are the starting agents' only
    allocation = AllocationResult(True, "optimal", 0.0, {("CORA", "all day", "en"): 10.0}, {"CORA": 1.0})
    (cora,) = selectors.hiring_plans(
        allocation, [_terms("CORA", 300, 0.52)], weeks=4, training_weeks=8, ramp=(), training_cost=1000
    )
    # by hand: 10 agents on this work, 0.1 leave in week 0, then 1% of 9.9, 9.801, 9.70299
    leavers = 0.01 * (10 + 9.9 + 9.801 + 9.70299)
    assert cora["agents_on_work"] == 10 and cora["leavers"] == pytest.approx(leavers)
    # each leaver: training 1,000 plus 8 lost weeks at 950 per FTE-week = 8,600
    assert cora["plan"].attrition_cost == pytest.approx(leavers * 8600)  # 3,388.74, not 101,662 for 300 agents
    # a roster smaller than the work: all of it is on the work
    (small,) = selectors.hiring_plans(
        allocation, [_terms("CORA", 6, 0.52)], weeks=4, training_weeks=8, ramp=(), training_cost=1000
    )
    assert small["agents_on_work"] == 6 and small["leavers"] == pytest.approx(0.01 * 6 * (1 + 0.99 + 0.99**2 + 0.99**3))
