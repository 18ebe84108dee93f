"""Calibration results by hand, and the blind rule through the services and selectors."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from concord.quality import calibration_selectors as cal_sel
from concord.quality import calibration_services as cal
from concord.quality.calibration import session_result
from concord.quality.models import CalibrationScore
from concord.quality.scoring import Rule
from concord.quality.services import RatingInput

from .conftest import interaction_of

YES_NO = Rule("greet", "Greets", "yes_no", 1)
FIVE = Rule("empathy", "Empathy", "one_to_five", 1)


def test_alignment_against_the_key_by_hand():
    # key: item 1 (yes, 5), item 2 (no, 3); grader ana: item 1 (yes, 4), item 2 (no, 3)
    ratings = np.array([[[1, 5], [0, 3]], [[1, 4], [0, 3]]], float)
    result = session_result(["key", "ana"], [YES_NO, FIVE], ratings, key_grader="key", resamples=50)
    (ana,) = result.graders
    # closeness: 1, 1 - 1/4, 1, 1 with equal weights -> 0.9375
    assert ana.alignment == pytest.approx(93.75)
    assert result.criteria[1].mean_deviation == {"ana": pytest.approx(-0.5)}
    # totals by hand: key (100, 25), ana (87.5, 25): gap -6.25 on one item, too few to flag
    assert ana.mean_gap == pytest.approx(-6.25) and ana.flag is None


def test_a_consistently_harsh_grader_is_flagged_with_evidence_and_a_weak_criterion_too():
    rng = np.random.default_rng(4)
    truth = rng.integers(2, 6, size=12).astype(float)
    graders = ["key", "ana", "ben", "cy"]
    empathy = np.stack([truth, truth, truth, np.clip(truth - 2, 1, 5)])  # cy always 2 steps lower
    greet = rng.integers(0, 2, size=(4, 12)).astype(float)  # pure noise: alpha near 0
    ratings = np.stack([greet, empathy], axis=2)
    result = session_result(graders, [YES_NO, FIVE], ratings, key_grader="key", resamples=200)
    flags = {g.grader: g.flag for g in result.graders}
    assert flags == {"ana": None, "ben": None, "cy": "harsh"}
    cy = next(g for g in result.graders if g.grader == "cy")
    assert "below the key on" in cy.evidence and "t-test p" in cy.evidence
    assert result.criteria[0].needs_work and result.criteria[0].alpha.value < 0.667
    assert result.icc is not None and set(result.icc) == {"ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"}


def test_without_a_key_graders_are_compared_with_the_median_of_the_others():
    ratings = np.array([[[3]], [[4]], [[5]]], float)
    result = session_result(["a", "b", "c"], [FIVE], ratings, resamples=10)
    assert result.reference == "group median"
    # a vs median(4, 5) = 4.5; b vs median(3, 5) = 4; c vs median(3, 4) = 3.5
    assert result.criteria[0].mean_deviation == {"a": -1.5, "b": 0.0, "c": 1.5}


@pytest.fixture
def session(world, qa):
    """Partner A's session: the client analyst (key) and partner A's QA, two of agent A's contacts."""
    users = world.users
    return cal.session_create(
        actor=users["client_analyst"],
        title="March calibration",
        provider=world.partner_a,
        form_version=qa.current,
        participants=[users["client_analyst"], users["partner_a_qa"]],
        key_grader=users["client_analyst"],
        interactions=[interaction_of(world.agent_a, 1), interaction_of(world.agent_a, 2)],
    )


FULL = {
    "greeting": RatingInput(1),
    "verify": RatingInput(1),
    "empathy": RatingInput(4),
    "accuracy": RatingInput(7),
    "upsell": RatingInput(None, True),
}


def _score_all(user, session, ratings=FULL):
    for item in session.items.all():
        cal.calibration_score(actor=user, session=session, item=item, ratings=ratings)


def test_scores_stay_blind_until_the_grader_submits_or_the_session_closes(world, session):
    analyst, partner_qa = world.users["client_analyst"], world.users["partner_a_qa"]
    _score_all(analyst, session)
    _score_all(partner_qa, session, {**FULL, "empathy": RatingInput(2)})
    # before submitting, each sees only their own scores, and no results
    assert {s.grader for s in cal_sel.visible_scores(partner_qa, session)} == {partner_qa}
    with pytest.raises(PermissionDenied, match="once you have submitted"):
        cal_sel.results(partner_qa, session)
    with pytest.raises(PermissionDenied):  # not a participant: nothing until it closes
        cal_sel.results(world.users["client_admin"], session)
    cal.calibration_submit(actor=partner_qa, session=session)
    assert {s.grader for s in cal_sel.visible_scores(partner_qa, session)} == {partner_qa, analyst}
    # the analyst has not submitted: still blind
    assert {s.grader for s in cal_sel.visible_scores(analyst, session)} == {analyst}
    # once submitted, scores cannot change
    with pytest.raises(ValidationError, match="submitted"):
        cal.calibration_score(actor=partner_qa, session=session, item=session.items.first(), ratings=FULL)
    cal.session_close(actor=analyst, session=session)
    result = cal_sel.results(world.users["client_admin"], session, resamples=50)
    (qa_grader,) = result.graders
    # empathy 2 vs key 4 on both items: (2-4)/4 off on a weight of 2 of 8 -> alignment 1 - 0.5*2/8 = 87.5 %
    assert qa_grader.grader == "partner_a_qa" and qa_grader.alignment == pytest.approx(87.5)


def test_only_participants_score_and_other_partners_cannot_see_the_session(world, session):
    before = CalibrationScore.objects.count()
    with pytest.raises(PermissionDenied, match="not a grader"):
        cal.calibration_score(
            actor=world.users["partner_a_lead"], session=session, item=session.items.first(), ratings=FULL
        )
    with pytest.raises(Http404):
        cal.calibration_score(
            actor=world.users["partner_b_lead"], session=session, item=session.items.first(), ratings=FULL
        )
    with pytest.raises(Http404):
        cal_sel.session(world.users["partner_b_lead"], session.pk)
    assert CalibrationScore.objects.count() == before


def test_submitting_needs_every_item_scored_and_twice_changes_nothing(world, session):
    grader = world.users["partner_a_qa"]
    cal.calibration_score(actor=grader, session=session, item=session.items.first(), ratings=FULL)
    with pytest.raises(ValidationError, match="Item 2"):
        cal.calibration_submit(actor=grader, session=session)
    _score_all(grader, session)
    first = cal.calibration_submit(actor=grader, session=session)
    assert cal.calibration_submit(actor=grader, session=session) == first


def test_a_session_takes_only_graders_who_may_grade_that_partner(world, qa):
    with pytest.raises(ValidationError, match="partner_b_qa cannot grade"):
        cal.session_create(
            actor=world.users["client_analyst"], title="Mixed", provider=world.partner_a, form_version=qa.current,
            participants=[world.users["client_analyst"], world.users["partner_b_qa"]],
            interactions=[interaction_of(world.agent_a)],
        )  # fmt: skip


def test_the_api_is_blind_too(world, session, login):
    analyst, partner_qa = world.users["client_analyst"], world.users["partner_a_qa"]
    _score_all(analyst, session)
    client = login(partner_qa)
    response = client.post(
        f"/api/quality/calibrations/{session.pk}/scores/",
        {"item": 1, "ratings": {"greeting": {"value": 0}, "empathy": {"value": 2}}},
        content_type="application/json",
    )
    assert response.status_code == 200
    detail = client.get(f"/api/quality/calibrations/{session.pk}/").json()
    assert detail["blind"] and {s["grader"] for s in detail["scores"]} == {"partner_a_qa"}
    assert client.get(f"/api/quality/calibrations/{session.pk}/results/").status_code == 403
    # a lead of the same partner who is not a grader may look but not score
    lead = login(world.users["partner_a_lead"])
    refused = lead.post(
        f"/api/quality/calibrations/{session.pk}/scores/",
        {"item": 1, "ratings": {"greeting": {"value": 1}}},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert not CalibrationScore.objects.filter(grader=world.users["partner_a_lead"]).exists()


def test_the_page_shows_results_after_closing(world, session, login):
    _score_all(world.users["client_analyst"], session)
    _score_all(world.users["partner_a_qa"], session, {**FULL, "empathy": RatingInput(2)})
    page = login(world.users["client_viewer"]).get(f"/quality/calibration/{session.pk}/").content.decode()
    assert "Blind: results show when the session closes" in page
    cal.session_close(actor=world.users["client_analyst"], session=session)
    page = login(world.users["client_viewer"]).get(f"/quality/calibration/{session.pk}/").content.decode()
    assert "87.5 %" in page and "Krippendorff" in page
