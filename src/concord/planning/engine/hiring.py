"""Hiring plan against attrition, training time and the proficiency ramp.

Model (weekly, expected values):
- Everyone on the roster, trainees included, leaves at the weekly rate ``attrition``
  (an annual attrition rate / 52: exits / average headcount is a hazard, DOMAIN.md):
  H present in a week lose H x attrition that week, so H (1 - attrition)^k remain k weeks on.
- A hire made in week h trains for ``training_weeks`` (proficiency 0), then works at
  ``ramp[0]``, ``ramp[1]``, ... in the weeks after training, and at 1.0 afterwards.
- Effective FTE in a week = sum over the roster of headcount x proficiency.

Hires are sized to cover the gap once ramped. The lead time is ``training_weeks +
len(ramp)`` weeks: a hire made in week t is fully proficient from week t + lead on. Week
by week, in order, the plan hires in week t = w - lead just enough whole people for week
w to reach its required FTE at full proficiency, counting the survivors of every earlier
cohort at their proficiency in week w (a cohort hired s weeks before w contributes
H (1 - attrition)^s x proficiency(s)) and the hire's own survival to week w,
(1 - attrition)^lead. Cohorts still in the ramp add what they are worth in the weeks
between, so nothing is hired twice for the same gap. Weeks inside the first lead time
(w < lead) cannot be covered by a fully ramped hire; hires made in week 0 for week lead
help them partly and the rest is reported as shortfall. Weeks whose hiring week would
fall past the horizon are not planned for.
Cost of attrition, per leaver: the replacement's training cost (training restarted) plus
the productive time lost while the replacement trains and ramps,
``training_weeks + sum(1 - ramp)`` FTE-weeks at ``cost_per_fte_week``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class HiringPlan:
    hires: np.ndarray  # whole people to start training each week
    headcount: np.ndarray  # expected people on the roster (incl. trainees)
    effective_fte: np.ndarray
    required_fte: np.ndarray
    shortfall_fte: np.ndarray  # max(required - effective, 0)
    leavers: np.ndarray  # expected leavers per week
    hiring_cost: float  # hires x training cost
    attrition_cost: float  # leavers x (training cost + lost FTE-weeks x cost)
    lost_fte_weeks_per_leaver: float


def proficiency(weeks_since_hire: int, training_weeks: int, ramp: Sequence[float]) -> float:
    if weeks_since_hire < training_weeks:
        return 0.0
    k = weeks_since_hire - training_weeks
    return float(ramp[k]) if k < len(ramp) else 1.0


def plan_hiring(
    required_fte: Sequence[float],
    current_headcount: float,
    attrition: float,
    training_weeks: int,
    ramp: Sequence[float] = (),
    *,
    training_cost_per_hire: float = 0.0,
    cost_per_fte_week: float = 0.0,
) -> HiringPlan:
    """Hires per week so that effective FTE meets ``required_fte`` (see module docstring).

    ``current_headcount`` are fully proficient agents at week 0; ``attrition`` is weekly.
    """
    req = np.asarray(required_fte, dtype=float)
    if req.ndim != 1 or np.any(req < 0) or not np.all(np.isfinite(req)):
        raise ValueError("required_fte must be a list of numbers >= 0")
    if not 0 <= attrition < 1:
        raise ValueError("attrition must be a weekly rate in [0, 1)")
    if training_weeks < 0 or current_headcount < 0:
        raise ValueError("training_weeks and current_headcount must be >= 0")
    if any(not 0 < r <= 1 for r in ramp):
        raise ValueError("ramp proficiencies must be in (0, 1]")
    weeks = req.size
    keep = 1.0 - attrition
    survive = keep ** np.arange(weeks)
    prof = np.array([proficiency(k, training_weeks, ramp) for k in range(weeks)])
    effective = current_headcount * survive
    headcount = current_headcount * survive
    hires = np.zeros(weeks, dtype=np.int64)
    lead = training_weeks + len(ramp)
    full_survival = keep**lead
    for w in range(lead, weeks):
        t = w - lead
        gap = req[w] - effective[w]
        if gap > 1e-9:
            h = math.ceil(gap / full_survival - 1e-9)
            hires[t] += h
            k = np.arange(weeks - t)
            effective[t:] += h * survive[: weeks - t] * prof[k]
            headcount[t:] += h * survive[: weeks - t]
    leavers = attrition * headcount
    lost = training_weeks + float(sum(1.0 - r for r in ramp))
    return HiringPlan(
        hires=hires,
        headcount=headcount,
        effective_fte=effective,
        required_fte=req,
        shortfall_fte=np.maximum(req - effective, 0.0),
        leavers=leavers,
        hiring_cost=float(hires.sum() * training_cost_per_hire),
        attrition_cost=float(leavers.sum() * (training_cost_per_hire + lost * cost_per_fte_week)),
        lost_fte_weeks_per_leaver=lost,
    )
