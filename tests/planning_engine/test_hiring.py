"""Hiring plan against hand-computed numbers."""

from __future__ import annotations

import numpy as np
import pytest

from concord.planning.engine.hiring import plan_hiring, proficiency


def test_proficiency_curve():
    assert [proficiency(k, 2, [0.5, 0.8]) for k in range(6)] == [0, 0, 0.5, 0.8, 1, 1]


def test_hand_computed_plan():
    # 10 FTE needed for 4 weeks; 10 agents now; 10% weekly attrition; 1 training week, then
    # 50% proficiency for a week. Hire on the floor counts 0.9 (survives training) x 0.5.
    #   week 0 decides for week 1: 10 x 0.9 = 9, gap 1 -> ceil(1 / 0.45) = 3 hires
    #   week 1 for week 2: 8.1 + 3 x 0.81 x 1.0 = 10.53, no gap
    #   week 2 for week 3: 7.29 + 3 x 0.729 = 9.477, gap 0.523 -> ceil(1.162) = 2 hires
    #   week 3: week 4 is past the horizon
    plan = plan_hiring([10, 10, 10, 10], 10, 0.1, 1, [0.5], training_cost_per_hire=1000, cost_per_fte_week=500)
    assert plan.hires.tolist() == [3, 0, 2, 0]
    assert plan.effective_fte == pytest.approx([10, 9 + 3 * 0.9 * 0.5, 10.53, 9.477 + 2 * 0.45])
    assert plan.shortfall_fte == pytest.approx([0, 0, 0, 0])
    # roster: week0 10 + 3 = 13; week1 9 + 2.7 = 11.7; week2 8.1 + 2.43 + 2 = 12.53;
    # week3 7.29 + 2.187 + 1.8 = 11.277 -> leavers are 10% of each
    assert plan.headcount == pytest.approx([13, 11.7, 12.53, 11.277])
    assert plan.leavers.sum() == pytest.approx(4.8507)
    # each leaver: 1000 training + (1 training week + 0.5 ramp gap) x 500 = 1750
    assert plan.lost_fte_weeks_per_leaver == pytest.approx(1.5)
    assert plan.attrition_cost == pytest.approx(4.8507 * 1750)
    assert plan.hiring_cost == 5000


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
