"""Disputes: raised by the evaluated side, decided by a reviewer; the score changes only through the outcome.

Scores are checked against hand computations on the fixture form (weights greeting 1, verify 2,
empathy 2 (1-5), accuracy 3 (0-10 points), upsell 2 (N/A here): 8 weight points in play).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from concord.accounts.models import AuditEntry
from concord.lake.store import Lake
from concord.quality import dispute_selectors, services
from concord.quality.dispute_services import dispute_decide, dispute_raise
from concord.quality.models import Dispute
from concord.quality.services import RatingInput

from .conftest import interaction_of

GOOD = {
    "greeting": RatingInput(1),
    "verify": RatingInput(1),
    "empathy": RatingInput(4),
    "accuracy": RatingInput(7),
    "upsell": RatingInput(None, True),
}  # 1 + 2 + 2 x 0.75 + 3 x 0.7 = 6.6 of 8 = 82.5 %


def _evaluate(user, agent, form, n=1, ratings=GOOD):
    evaluation = services.evaluation_start(actor=user, interaction=interaction_of(agent, n), form_version=form.current)
    return services.evaluation_save(actor=user, evaluation=evaluation, ratings=ratings, complete=True)


NINE = RatingInput(9)


def _raise(world, evaluation, proposed=NINE):
    return dispute_raise(
        actor=world.users["partner_a_agent"], evaluation=evaluation, criterion_code="accuracy",
        reason="I gave the refund window; see line 4.", proposed=proposed,
    )  # fmt: skip


def test_accepting_sets_the_asked_rating_rescores_and_lands_in_the_lake(world, qa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = _evaluate(world.users["partner_a_qa"], world.agent_a, qa)
    dispute = _raise(world, evaluation)
    assert dispute.is_open and float(dispute.original_value) == 7 and float(dispute.proposed_value) == 9
    assert _raise(world, evaluation).pk == dispute.pk  # raising it again changes nothing
    assert Dispute.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        decided = dispute_decide(
            actor=world.users["client_analyst"], dispute=dispute, outcome="accepted", note="Line 4 has it."
        )
    evaluation.refresh_from_db()
    # accuracy 9 of 10: 1 + 2 + 1.5 + 2.7 = 7.2 of 8 = 90 %
    assert float(evaluation.score) == 90.0 and evaluation.revision == 2
    assert (float(decided.score_before), float(decided.score_after)) == (82.5, 90.0)
    assert float(evaluation.answers.get(criterion__code="accuracy").value) == 9
    rows = {r["evaluation_id"]: r for r in Lake(settings.LAKE_URI).read_arrow("evaluations").to_pylist()}
    assert rows[evaluation.pk]["revision"] == 2 and rows[evaluation.pk]["score_share"] == pytest.approx(0.9)
    # full history: raised and decided, each audited
    assert AuditEntry.objects.filter(object_type__endswith="dispute", object_id=str(dispute.pk)).count() == 2
    # deciding the same way again changes nothing; another way is refused
    assert dispute_decide(actor=world.users["client_analyst"], dispute=dispute, outcome="accepted", note="x").pk
    with pytest.raises(ValidationError, match="decided already"):
        dispute_decide(actor=world.users["client_analyst"], dispute=dispute, outcome="rejected", note="x")
    evaluation.refresh_from_db()
    assert evaluation.revision == 2


def test_partly_accepting_takes_a_rating_between_and_rejecting_changes_nothing(world, qa):
    evaluation = _evaluate(world.users["partner_a_qa"], world.agent_a, qa)
    dispute = _raise(world, evaluation, proposed=RatingInput(10))
    with pytest.raises(ValidationError, match="accept the dispute instead"):
        dispute_decide(
            actor=world.users["client_analyst"], dispute=dispute, outcome="partly_accepted", note="n",
            rating=RatingInput(10),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="Give the criterion's new rating"):
        dispute_decide(actor=world.users["client_analyst"], dispute=dispute, outcome="partly_accepted", note="n")
    with pytest.raises(ValidationError, match="0 to 10"):
        dispute_decide(
            actor=world.users["client_analyst"], dispute=dispute, outcome="partly_accepted", note="n",
            rating=RatingInput(12),
        )  # fmt: skip
    dispute_decide(
        actor=world.users["client_analyst"], dispute=dispute, outcome="partly_accepted", note="One step missed.",
        rating=RatingInput(8),
    )  # fmt: skip
    evaluation.refresh_from_db()
    # accuracy 8: 1 + 2 + 1.5 + 2.4 = 6.9 of 8 = 86.25 %
    assert float(evaluation.score) == 86.25

    second = _raise(world, evaluation, proposed=None)
    with pytest.raises(ValidationError, match="Say why"):
        dispute_decide(actor=world.users["client_analyst"], dispute=second, outcome="rejected", note=" ")
    dispute_decide(actor=world.users["client_analyst"], dispute=second, outcome="rejected", note="Correct as is.")
    evaluation.refresh_from_db()
    second.refresh_from_db()
    assert float(evaluation.score) == 86.25 and evaluation.revision == 2
    assert second.outcome == "rejected" and float(second.score_after) == 86.25


def test_while_a_dispute_is_open_the_grader_cannot_change_the_score(world, qa):
    grader = world.users["partner_a_qa"]
    evaluation = _evaluate(grader, world.agent_a, qa)
    _raise(world, evaluation)
    with pytest.raises(ValidationError, match="only through the dispute's outcome"):
        services.evaluation_save(actor=grader, evaluation=evaluation, ratings={"empathy": RatingInput(5)})
    evaluation.refresh_from_db()
    assert float(evaluation.score) == 82.5 and evaluation.revision == 1


def test_who_may_raise_and_who_may_decide(world, qa):
    partner_graded = _evaluate(world.users["partner_a_qa"], world.agent_a, qa, n=1)
    client_graded = _evaluate(world.users["client_analyst"], world.agent_a, qa, n=2)
    other_partner = _evaluate(world.users["partner_b_qa"], world.agent_b, qa, n=3)
    with pytest.raises(Http404):  # an agent disputes only their own evaluations
        _raise(world, other_partner)
    with pytest.raises(Http404):  # a lead only their own agents'
        dispute_raise(actor=world.users["partner_a_lead"], evaluation=other_partner, criterion_code="accuracy",
                      reason="r")  # fmt: skip
    with pytest.raises(PermissionDenied):  # graders and the client do not raise disputes
        dispute_raise(actor=world.users["client_admin"], evaluation=partner_graded, criterion_code="accuracy",
                      reason="r")  # fmt: skip
    with pytest.raises(ValidationError, match="no criterion 'tone'"):
        dispute_raise(actor=world.users["partner_a_lead"], evaluation=partner_graded, criterion_code="tone",
                      reason="r")  # fmt: skip
    with pytest.raises(ValidationError, match="the one given"):
        _raise(world, partner_graded, proposed=RatingInput(7))
    on_partner = dispute_raise(actor=world.users["partner_a_lead"], evaluation=partner_graded,
                               criterion_code="empathy", reason="Warm tone", proposed=RatingInput(5))  # fmt: skip
    on_client = _raise(world, client_graded)
    with pytest.raises(PermissionDenied, match="neither made"):  # not the grader of the evaluation
        dispute_decide(actor=world.users["partner_a_qa"], dispute=on_partner, outcome="rejected", note="n")
    with pytest.raises(PermissionDenied, match="neither made"):  # nor who raised it
        dispute_decide(actor=world.users["partner_a_lead"], dispute=on_partner, outcome="rejected", note="n")
    with pytest.raises(PermissionDenied, match="client's QA"):  # a partner never overturns the client's grading
        dispute_decide(actor=world.users["partner_a_qa"], dispute=on_client, outcome="accepted", note="n")
    with pytest.raises(Http404):  # another partner's dispute
        dispute_decide(actor=world.users["partner_b_qa"], dispute=on_partner, outcome="rejected", note="n")
    # the client's QA reviews a partner grader's evaluation
    dispute_decide(actor=world.users["client_analyst"], dispute=on_partner, outcome="accepted", note="Agreed.")
    partner_graded.refresh_from_db()
    # empathy 5: 1 + 2 + 2 + 2.1 = 7.1 of 8 = 88.75 %
    assert float(partner_graded.score) == 88.75


def test_dispute_rates_and_outcomes_by_evaluator_and_by_provider(world, qa):
    a_qa, analyst = world.users["partner_a_qa"], world.users["client_analyst"]
    first = _evaluate(a_qa, world.agent_a, qa, n=1)
    _evaluate(a_qa, world.agent_a, qa, n=2)
    _evaluate(a_qa, world.agent_a, qa, n=3)
    by_client = _evaluate(analyst, world.agent_a, qa, n=4)
    _evaluate(analyst, world.agent_b, qa, n=5)
    d1 = _raise(world, first)
    dispute_decide(actor=analyst, dispute=d1, outcome="accepted", note="ok")
    _raise(world, first, proposed=None)  # the same evaluation, a second dispute (another criterion? no: same,
    # but the first is decided, so a new one may open): one disputed evaluation, two disputes
    d3 = _raise(world, by_client)
    dispute_decide(actor=world.users["client_admin"], dispute=d3, outcome="rejected", note="no")

    by_evaluator = {r.name: r for r in dispute_selectors.rates(world.users["client_admin"], by="evaluator")}
    a = by_evaluator["partner_a_qa"]
    # partner_a_qa: 3 completed, 1 disputed (33.3 %), 2 disputes: 1 accepted, 1 open; overturned 1 of 1 decided
    assert (a.evaluations, a.disputed, a.disputes, a.accepted, a.open, a.rejected) == (3, 1, 2, 1, 1, 0)
    assert a.rate == pytest.approx(100 / 3) and a.overturned == 100.0
    c = by_evaluator["client_analyst"]
    # client_analyst: 2 completed, 1 disputed (50 %), rejected: overturned 0 of 1
    assert (c.evaluations, c.disputed, c.rejected) == (2, 1, 1) and c.rate == 50.0 and c.overturned == 0.0
    by_provider = {r.name: r for r in dispute_selectors.rates(world.users["client_admin"], by="provider")}
    pa, pb = by_provider[world.partner_a.name], by_provider[world.partner_b.name]
    # partner A: 4 completed, 2 disputed; partner B: 1 completed, none disputed
    assert (pa.evaluations, pa.disputed, pa.disputes) == (4, 2, 3) and pa.rate == 50.0
    assert (pb.evaluations, pb.disputed, pb.rate, pb.overturned) == (1, 0, 0.0, None)
    # a partner's lead sees its own provider's only
    names = {r.name for r in dispute_selectors.rates(world.users["partner_b_lead"], by="provider")}
    assert names == {world.partner_b.name}
    # the agent sees the disputes of their own evaluations, all of which are agent A's
    assert dispute_selectors.disputes(world.users["partner_a_agent"]).count() == 3


@pytest.mark.parametrize(
    ("accuracy", "decided_as", "new_accuracy"),
    [
        (7, "partly_accepted", 8),  # asks 9: a point between is part of the ask
        (9, "accepted", 10),  # asks the top, 10: nothing lies between, so the demo accepts it
    ],
)
def test_the_demos_partly_accepted_dispute_is_decidable_whatever_the_grade(world, qa, accuracy, decided_as,
                                                                          new_accuracy):  # fmt: skip
    # CI's production recipe built the demo on 2 Dec 2026 and stopped: the strict grader's first evaluation had
    # a points criterion one below the top, the demo asked for the top and then "partly" accepted the top
    from concord.quality.demo_followups import demo_dispute

    ratings = {**GOOD, "greeting": RatingInput(1), "verify": RatingInput(1), "empathy": RatingInput(5),
               "accuracy": RatingInput(accuracy)}  # fmt: skip
    evaluation = _evaluate(world.users["partner_a_qa"], world.agent_a, qa, ratings=ratings)
    people = {"analyst": world.users["client_analyst"]}
    made = demo_dispute(
        people, world.users["partner_a_agent"], evaluation, "Scored harder than the key.", "partly_accepted",
        world.users["client_analyst"], "Reviewed against the key's notes.",
    )  # fmt: skip
    made.refresh_from_db()
    assert made.outcome == decided_as
    assert float(evaluation.answers.get(criterion__code="accuracy").value) == new_accuracy
