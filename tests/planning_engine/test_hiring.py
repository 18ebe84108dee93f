"""Hiring plan against hand-computed numbers."""

from __future__ import annotations

import numpy as np
import pytest

from concord.planning.engine.hiring import plan_hiring, proficiency


def test_proficiency_curve():
    assert [proficiency(k, 2, [0.5, 0.8]) for k in range(6)] == [0, 0, 0.5, 0.8, 1, 1]


def test_hand_computed_plan_with_attrition_and_ramp():
    # 10 FTE needed for 5 weeks; 10 agents now; 10% weekly attrition; 1 training week, then
    # 50% proficiency for a week, then full. Lead time = 1 + 1 = 2 weeks, so week w is
    # covered by hires in week w - 2, which survive 0.9^2 = 0.81 to week w at full speed.
    # Incumbents: 10, 9, 8.1, 7.29, 6.561.
    #   week 2 (hire in week 0): gap 10 - 8.1 = 1.9 -> ceil(1.9 / 0.81 = 2.35) = 3 hires;
    #     they add 0, 3 x 0.9 x 0.5 = 1.35, 2.43, 2.187, 1.9683 -> effective 10, 10.35, 10.53, 9.477, 8.5293
    #   week 3 (hire in week 1): gap 0.523 -> ceil(0.523 / 0.81 = 0.65) = 1 hire;
    #     adds 0, 0.45, 0.81, 0.729 from week 1 -> 10, 10.35, 10.98, 10.287, 9.2583
    #   week 4 (hire in week 2): gap 0.7417 -> ceil(0.92) = 1 hire; adds 0, 0.45, 0.81 from week 2
    #     -> 10, 10.35, 10.98, 10.737, 10.0683
    plan = plan_hiring([10] * 5, 10, 0.1, 1, [0.5], training_cost_per_hire=1000, cost_per_fte_week=500)
    assert plan.hires.tolist() == [3, 1, 1, 0, 0]
    assert plan.effective_fte == pytest.approx([10, 10.35, 10.98, 10.737, 10.0683])
    assert plan.shortfall_fte == pytest.approx([0] * 5)
    # roster: 10 + 3 = 13; 9 + 2.7 + 1 = 12.7; 8.1 + 2.43 + 0.9 + 1 = 12.43;
    # 7.29 + 2.187 + 0.81 + 0.9 = 11.187; 6.561 + 1.9683 + 0.729 + 0.81 = 10.0683 -> leavers 10% of each
    assert plan.headcount == pytest.approx([13, 12.7, 12.43, 11.187, 10.0683])
    assert plan.leavers.sum() == pytest.approx(5.93853)
    # each leaver: 1000 training + (1 training week + 0.5 ramp gap) x 500 = 1750
    assert plan.lost_fte_weeks_per_leaver == pytest.approx(1.5)
    assert plan.attrition_cost == pytest.approx(5.93853 * 1750)
    assert plan.hiring_cost == 5000


def test_hires_cover_the_gap_once_ramped_not_at_first_week_proficiency():
    # A 49-FTE gap, no roster, no attrition, no training, 50% in the first week: 49 people
    # cover it from week 1 on (49 x 1.0); sizing at first-week speed would hire 98.
    plan = plan_hiring([49] * 4, 0, 0.0, 0, [0.5])
    assert plan.hires.tolist() == [49, 0, 0, 0]
    # week 0 is inside the 1-week lead time: 49 x 0.5 = 24.5 on the floor, 24.5 short
    assert plan.effective_fte == pytest.approx([24.5, 49, 49, 49])
    assert plan.shortfall_fte == pytest.approx([24.5, 0, 0, 0])


def test_a_gap_mid_horizon_is_hired_for_ahead_by_training_and_ramp():
    # 5 FTE for weeks 0-3, 8 from week 4; 5 on the roster, no attrition; 1 training week then
    # 50% and 75%: lead time 1 + 2 = 3, so the 3-FTE gap of week 4 is hired in week 1:
    # 3 hires, worth 0 (week 1, training), 1.5 (week 2), 2.25 (week 3), 3 (weeks 4, 5).
    # Sizing at first-floor-week speed would have hired ceil(3 / 0.5) = 6.
    plan = plan_hiring([5, 5, 5, 5, 8, 8], 5, 0.0, 1, [0.5, 0.75])
    assert plan.hires.tolist() == [0, 3, 0, 0, 0, 0]
    assert plan.effective_fte == pytest.approx([5, 5, 6.5, 7.25, 8, 8])
    assert plan.shortfall_fte == pytest.approx([0] * 6)


def test_a_gap_past_the_last_hiring_week_is_left_as_shortfall():
    # lead time 2 (training 2, no ramp): week 3's gap is hired in week 1; nothing can be hired
    # for a gap in week 1 (it would have been week -1)
    plan = plan_hiring([4, 6, 4, 6], 4, 0.0, 2)
    assert plan.hires.tolist() == [0, 2, 0, 0]
    assert plan.shortfall_fte == pytest.approx([0, 2, 0, 0])


def test_no_attrition_no_training_hires_exactly_the_growth():
    plan = plan_hiring([5, 7, 7, 10], 5, 0.0, 0)
    assert plan.hires.tolist() == [0, 2, 0, 3]
    assert plan.attrition_cost == 0


def test_weeks_inside_the_training_lead_time_show_a_shortfall():
    plan = plan_hiring([12, 12, 12], 10, 0.0, 2)
    assert plan.hires.tolist() == [2, 0, 0]
    assert plan.shortfall_fte.tolist() == [2, 2, 0]


def test_bad_input():
    with pytest.raises(ValueError, match="attrition"):
        plan_hiring([1], 1, 1.0, 1)
    with pytest.raises(ValueError, match="ramp"):
        plan_hiring([1], 1, 0.1, 1, [0])
    with pytest.raises(ValueError, match="required_fte"):
        plan_hiring(np.array([-1.0]), 1, 0.1, 1)
