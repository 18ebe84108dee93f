"""Credit math by hand: pool allocations over 100 %, the cap, rounding and earn-back."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from concord.contracts.credits import at_risk_amount, earned_back, month_credits


def test_at_risk_is_a_share_of_the_fee():
    assert at_risk_amount(D("100000"), D("12")) == D("12000.00")
    with pytest.raises(ValueError):
        at_risk_amount(D("100"), D("120"))


def test_each_missed_sla_costs_its_allocation_of_the_at_risk_amount():
    # given 12,000 at risk and a 250 % pool: SL 100 %, AHT 50 %, CSAT 100 %
    alloc = {"sl": D("100"), "aht": D("50"), "csat": D("100")}
    # when only AHT is missed: 12,000 x 50 % = 6,000, under the cap
    result = month_credits(D("12000"), alloc, ["aht"])
    assert result.per_sla == {"aht": D("6000.00")} and result.total == D("6000.00") and not result.capped


def test_pool_over_100_percent_is_capped_at_the_at_risk_amount():
    alloc = {"sl": D("100"), "aht": D("50"), "csat": D("100")}
    # when SL and AHT are missed: 12,000 + 6,000 = 18,000 uncapped, capped to 12,000
    result = month_credits(D("12000"), alloc, ["sl", "aht"])
    assert result.uncapped_total == D("18000.00") and result.capped
    assert result.total == D("12000.00")
    # then each credit is scaled by 12/18: 8,000 and 4,000
    assert result.per_sla == {"sl": D("8000.00"), "aht": D("4000.00")}
    # all three missed: 30,000 -> 12,000 split 100:50:100 = 4,800 / 2,400 / 4,800
    result = month_credits(D("12000"), alloc, ["sl", "aht", "csat"])
    assert result.per_sla == {"sl": D("4800.00"), "aht": D("2400.00"), "csat": D("4800.00")}


def test_capped_shares_that_do_not_divide_evenly_still_sum_to_the_cap():
    # given 100.00 at risk, three misses of 100 % each: 33.333... each
    result = month_credits(D("100"), {"a": D(100), "b": D(100), "c": D(100)}, ["a", "b", "c"])
    assert result.total == D("100.00")
    assert sorted(result.per_sla.values()) == [D("33.33"), D("33.33"), D("33.34")]


def test_nothing_missed_costs_nothing():
    result = month_credits(D("12000"), {"sl": D(100)}, [])
    assert result.total == D("0.00") and result.per_sla == {}


def test_earn_back_needs_n_following_months_met():
    # missed in Jan; Feb and Mar met -> Jan earned back with N=2; Apr missed, May met, June not yet known
    history = [True, False, False, True, False]
    assert earned_back(history, 2) == [True, False, False, False, False]
    # N=1: Apr is earned back by May
    assert earned_back(history, 1) == [True, False, False, True, False]
    # a month without a measurement breaks the run
    assert earned_back([True, None, False], 2) == [False, False, False]
    # no earn-back in the contract
    assert earned_back(history, 0) == [False] * 5
