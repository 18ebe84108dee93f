"""Disputes of evaluations: raised by the evaluated side, decided by a reviewer; every step audited.

A score changes only through a dispute's outcome: while a dispute is open its evaluation cannot be
edited (``services.evaluation_save`` refuses), and accepting or partly accepting sets the disputed
criterion's new rating, rescores the evaluation as a new revision and writes it to the lake again.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from concord.accounts import access, audit
from concord.accounts.roles import Cap

from . import lake_writes, scoring
from .models import Answer, Evaluation
from .scoring import Rating, RatingError
from .services import RatingInput
from .work_models import Dispute

Outcome = Dispute.Outcome


def _rating_of(value, na: bool) -> Rating:
    return Rating(None if value is None else float(value), na)


def _same(a: Rating, b: Rating) -> bool:
    return a.not_applicable == b.not_applicable and (a.not_applicable or a.value == b.value)


def _check(criterion, given: RatingInput, what: str) -> Rating:
    rating = Rating(given.value, given.not_applicable)
    if rating.value is None and not rating.not_applicable:
        raise ValidationError(f"{what}: give a rating for {criterion.label} (or N/A).")
    try:
        scoring.check_rating(criterion.rule, rating)
    except RatingError as exc:
        raise ValidationError(f"{what}: {exc}") from None
    return rating


@transaction.atomic
def dispute_raise(
    *, actor, evaluation: Evaluation, criterion_code: str, reason: str, proposed: RatingInput | None = None
) -> Dispute:
    """Dispute one criterion of a completed evaluation: the agent their own, a lead their agents'.

    Raising the same criterion again while its dispute is open returns that dispute.
    """
    access.require(actor, Cap.DISPUTE_EVALUATIONS)
    qs = Evaluation.objects.select_related("form_version", "evaluator")
    evaluation = access.get_person_record_or_404(actor, qs, pk=evaluation.pk)  # an agent: their own only
    if evaluation.status != Evaluation.Status.COMPLETED:
        raise ValidationError("Only a completed evaluation can be disputed.")
    criterion = evaluation.form_version.criteria.filter(code=criterion_code).first()
    if criterion is None:
        raise ValidationError(f"This evaluation's form has no criterion {criterion_code!r}.")
    existing = Dispute.objects.filter(evaluation=evaluation, criterion=criterion, outcome=Outcome.OPEN).first()
    if existing is not None:
        return existing
    if not reason.strip():
        raise ValidationError("Say why you dispute it.")
    answer = Answer.objects.filter(evaluation=evaluation, criterion=criterion).first()
    original = _rating_of(answer.value, answer.not_applicable) if answer else Rating(None, False)
    wanted = None
    if proposed is not None and (proposed.value is not None or proposed.not_applicable):
        wanted = _check(criterion, proposed, "Proposed rating")
        if _same(wanted, original):
            raise ValidationError("The proposed rating is the one given; propose another or leave it empty.")
    dispute = audit.create(
        actor=actor,
        instance=Dispute(
            evaluation=evaluation,
            provider_id=evaluation.provider_id,
            criterion=criterion,
            raised_by=actor,
            reason=reason.strip(),
            original_value=None if original.value is None else Decimal(str(original.value)),
            original_na=original.not_applicable,
            proposed_value=None if wanted is None or wanted.value is None else Decimal(str(wanted.value)),
            proposed_na=bool(wanted and wanted.not_applicable),
            score_before=evaluation.score,
        ),
    )
    return dispute


def require_reviewer(actor, dispute: Dispute) -> None:
    """A grader of that provider who neither made the evaluation nor raised the dispute; a partner's
    reviewer decides only on its own graders' evaluations, never over the client's."""
    access.require_for_provider(actor, Cap.EVALUATE, dispute.provider_id)
    evaluation = dispute.evaluation
    if actor.pk in (evaluation.evaluator_id, dispute.raised_by_id):
        raise PermissionDenied("Someone who neither made the evaluation nor raised the dispute decides it.")
    if actor.provider_id is not None and evaluation.evaluator.provider_id is None:
        raise PermissionDenied("The client's grading is reviewed by the client's QA.")


def may_review(actor, dispute: Dispute) -> bool:
    try:
        require_reviewer(actor, dispute)
    except (PermissionDenied, Http404):  # not theirs to decide
        return False
    return True


@transaction.atomic
def dispute_decide(*, actor, dispute: Dispute, outcome: str, note: str, rating: RatingInput | None = None) -> Dispute:
    """Accept (the proposed or a given rating), partly accept (a rating between) or reject (no change).

    Deciding the same way again changes nothing; a decided dispute is not decided again.
    """
    dispute = (
        Dispute.objects.select_for_update().select_related("evaluation__evaluator", "criterion").get(pk=dispute.pk)
    )
    require_reviewer(actor, dispute)
    if outcome not in (Outcome.ACCEPTED, Outcome.PARTLY, Outcome.REJECTED):
        raise ValidationError("Decide: accepted, partly_accepted or rejected.")
    if not dispute.is_open:
        if dispute.outcome == outcome:
            return dispute
        raise ValidationError(f"This dispute was decided already ({dispute.get_outcome_display().lower()}).")
    if not note.strip():
        raise ValidationError("Say why: the agent reads it.")
    criterion = dispute.criterion
    original = _rating_of(dispute.original_value, dispute.original_na)
    new = None
    if outcome == Outcome.REJECTED:
        if rating is not None and (rating.value is not None or rating.not_applicable):
            raise ValidationError("A rejected dispute changes no rating; leave the new rating empty.")
    else:
        proposed = _rating_of(dispute.proposed_value, dispute.proposed_na)
        given = rating if rating is not None and (rating.value is not None or rating.not_applicable) else None
        if given is None and outcome == Outcome.ACCEPTED and (proposed.value is not None or proposed.not_applicable):
            given = RatingInput(proposed.value, proposed.not_applicable)
        if given is None:
            raise ValidationError("Give the criterion's new rating.")
        new = _check(criterion, given, "New rating")
        if _same(new, original):
            raise ValidationError("The new rating is the one given before; to keep it, reject the dispute.")
        if outcome == Outcome.PARTLY and dispute.proposed_value is not None and _same(new, proposed):
            raise ValidationError("That is the rating asked for: accept the dispute instead.")
    before = audit.snapshot(dispute)
    evaluation = dispute.evaluation
    if new is not None:
        _apply(actor, evaluation, criterion, new, dispute.pk)
        evaluation.refresh_from_db()
        dispute.new_value = None if new.value is None else Decimal(str(new.value))
        dispute.new_na = new.not_applicable
    dispute.outcome = outcome
    dispute.reviewer = actor
    dispute.decided_at = timezone.now()
    dispute.decision_note = note.strip()
    dispute.score_after = evaluation.score
    dispute.save()
    audit.record(actor=actor, action="update", instance=dispute, before=before, after=audit.snapshot(dispute))
    return dispute


def _apply(actor, evaluation: Evaluation, criterion, new: Rating, dispute_id: int) -> None:
    """The disputed criterion's new rating: the evaluation rescored as a new revision, then into the lake."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    before = audit.snapshot(evaluation)
    answer = Answer.objects.filter(evaluation=evaluation, criterion=criterion).first() or Answer(
        evaluation=evaluation, criterion=criterion
    )
    answer.value = None if new.value is None else Decimal(str(new.value))
    answer.not_applicable = new.not_applicable
    answer.comment = (answer.comment + f" [changed by dispute {dispute_id}]").strip()
    answer.save()
    rules = evaluation.form_version.rules()
    ratings = {
        a.criterion.code: _rating_of(a.value, a.not_applicable)
        for a in Answer.objects.filter(evaluation=evaluation).select_related("criterion")
    }
    result = scoring.score(rules, ratings)
    evaluation.score = None if result.score is None else Decimal(f"{result.score:.2f}")
    evaluation.critical_failed = result.critical_failed
    evaluation.revision += 1
    evaluation.save()
    audit.record(actor=actor, action="update", instance=evaluation, before=before, after=audit.snapshot(evaluation))
    transaction.on_commit(lambda: lake_writes.publish_after_commit(evaluation.pk))
