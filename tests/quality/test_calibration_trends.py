"""Calibration health across sessions: pooled grader gaps, the harshness-adjusted QA score and weak
criteria, checked against hand computations on the fixture form (weights 1, 2, 2, 3, 2; see conftest)."""

from __future__ import annotations

import pytest

from concord.quality import calibration_services as cal
from concord.quality import services
from concord.quality.calibration_trends import bias_of, trends
from concord.quality.services import RatingInput

from .conftest import interaction_of

NA = RatingInput(None, True)
# the key: 1 + 2 + 2 x 0.5 + 3 x 0.6 = 5.8 of 8 = 72.5 %; the lenient grader: 1 + 2 + 2 + 2.7 = 7.7 of 8 = 96.25 %
KEY = {"greeting": RatingInput(1), "verify": RatingInput(1), "empathy": RatingInput(3), "accuracy": RatingInput(6),
       "upsell": NA}  # fmt: skip
LENIENT = {**KEY, "empathy": RatingInput(5), "accuracy": RatingInput(9)}


def _closed_session(world, qa, title, first):
    analyst, grader = world.users["client_analyst"], world.users["partner_a_qa"]
    session = cal.session_create(
        actor=analyst, title=title, provider=world.partner_a, form_version=qa.current,
        participants=[analyst, grader], key_grader=analyst,
        interactions=[interaction_of(world.agent_a, n) for n in range(first, first + 3)],
    )  # fmt: skip
    for person, ratings in ((analyst, KEY), (grader, LENIENT)):
        for item in session.items.all():
            cal.calibration_score(actor=person, session=session, item=item, ratings=ratings)
        cal.calibration_submit(actor=person, session=session)
    return cal.session_close(actor=analyst, session=session)


def test_a_lenient_grader_is_flagged_across_sessions_and_the_adjusted_score_takes_it_out(world, qa):
    _closed_session(world, qa, "January", 1)
    _closed_session(world, qa, "February", 4)
    grader, analyst = world.users["partner_a_qa"], world.users["client_analyst"]
    for user, ratings, n in ((grader, {**KEY, "empathy": RatingInput(4), "accuracy": RatingInput(7)}, 20),
                             (analyst, KEY, 21)):  # fmt: skip
        evaluation = services.evaluation_start(
            actor=user, interaction=interaction_of(world.agent_a, n), form_version=qa.current
        )
        services.evaluation_save(actor=user, evaluation=evaluation, ratings=ratings, complete=True)

    found = trends(world.users["client_admin"])
    (bias,) = found.graders  # the key is the reference, not a graded grader
    # 6 items, each 96.25 - 72.5 = +23.75 points above the key
    assert (bias.grader, bias.items, bias.sessions, bias.flag) == ("partner_a_qa", 6, 2, "lenient")
    assert (
        bias.mean_gap == pytest.approx(23.75) and "above the reference on 6 of 6 items in 2 session(s)" in bias.evidence
    )
    (health,) = [h for h in found.providers if h.provider == world.partner_a]
    # raw: partner grader 82.5 (empathy 4, accuracy 7), client key 72.5 -> 77.5;
    # adjusted: 82.5 - 23.75 = 58.75 and 72.5 (the key is not offset) -> 65.625
    assert health.evaluations == 2
    assert health.raw_score == pytest.approx(77.5) and health.adjusted_score == pytest.approx(65.625)
    # empathy: (3, 5) on each of 3 items. Do = 6 d / 6 = d; De = 3 x 3 x 2 d / (6 x 5) = 0.6 d; alpha = 1 - 1/0.6
    by_code = {c.code: c for c in health.criteria}
    assert by_code["empathy"].recent == [pytest.approx(-2 / 3), pytest.approx(-2 / 3)]
    assert by_code["empathy"].needs_work and by_code["accuracy"].needs_work
    assert "greeting" not in by_code  # no variation: alpha undefined, nothing to flag
    assert [p.mean_alpha for p in health.points] == [pytest.approx(-2 / 3)] * 2
    # another partner's lead sees none of it
    other = trends(world.users["partner_b_lead"])
    assert not other.graders and all(h.provider != world.partner_a for h in other.providers)


def test_bias_rule_needs_enough_consistent_evidence():
    import numpy as np

    assert bias_of(np.array([6.0, 7.0]), 1, "a").flag is None  # two items: too few
    assert bias_of(np.array([6.0, -7.0, 8.0]), 1, "a").flag is None  # mean 2.3 < 5 points
    noisy = bias_of(np.array([30.0, -20.0, 25.0, -15.0]), 2, "a")  # mean 5 but p far from 0.05
    assert noisy.flag is None and noisy.p > 0.05
    harsh = bias_of(np.array([-8.0, -6.0, -7.0, -9.0]), 2, "a")
    assert harsh.flag == "harsh" and "below the reference on 4 of 4 items" in harsh.evidence
