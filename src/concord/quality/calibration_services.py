"""Calibration sessions: set one up, score blind, submit, close. Every change audited."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from concord.accounts import access, audit
from concord.accounts.roles import Cap

from . import scoring
from .lake_reads import Interaction
from .models import CalibrationItem, CalibrationScore, CalibrationSession, CalibrationSubmission, FormVersion
from .scoring import Rating, RatingError
from .services import RatingInput, agent_for_interaction


@transaction.atomic
def session_create(
    *,
    actor,
    title: str,
    provider,
    form_version: FormVersion,
    participants: list,
    interactions: list[Interaction],
    key_grader=None,
) -> CalibrationSession:
    """Client graders and the partner's graders on the partner's interactions."""
    access.require_for_provider(actor, Cap.EVALUATE, provider.pk)
    if not title.strip():
        raise ValidationError("Give the session a title.")
    if len(participants) < 2:
        raise ValidationError("A calibration needs at least two graders.")
    for person in participants:
        if not access.can(person, Cap.EVALUATE) or person.provider_id not in (None, provider.pk):
            raise ValidationError(f"{person.username} cannot grade {provider.name}'s interactions.")
    if key_grader is not None and key_grader not in participants:
        raise ValidationError("The expert key must be one of the graders.")
    if not interactions:
        raise ValidationError("Choose at least one interaction.")
    session = audit.create(
        actor=actor,
        instance=CalibrationSession(
            title=title.strip(), provider=provider, form_version=form_version, key_grader=key_grader, created_by=actor
        ),
    )
    session.participants.set(participants)
    for position, interaction in enumerate(interactions):
        agent = agent_for_interaction(interaction)
        if agent is None or agent.provider_id != provider.pk:
            raise ValidationError(f"Interaction {interaction.external_id} is not one of {provider.name}'s agents'.")
        CalibrationItem.objects.create(
            session=session,
            agent=agent,
            interaction_source=interaction.source,
            interaction_id=interaction.external_id,
            interaction_at=interaction.created_at,
            channel=interaction.channel or "",
            position=position,
        )
    return session


def require_grader(actor, session: CalibrationSession) -> None:
    access.require_for_provider(actor, Cap.EVALUATE, session.provider_id)
    if not session.participants.filter(pk=actor.pk).exists():
        raise PermissionDenied("You are not a grader in this calibration session.")
    if session.status != CalibrationSession.Status.OPEN:
        raise ValidationError("This session is closed; scores can no longer change.")
    if CalibrationSubmission.objects.filter(session=session, grader=actor).exists():
        raise ValidationError("You have submitted your scores; they can no longer change.")


@transaction.atomic
def calibration_score(
    *, actor, session: CalibrationSession, item: CalibrationItem, ratings: Mapping[str, RatingInput]
) -> list[CalibrationScore]:
    """A grader's answers for one item (a partial answer is kept until they submit)."""
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    require_grader(actor, session)
    if item.session_id != session.pk:
        raise ValidationError("That item is not in this session.")
    criteria = {c.code: c for c in session.form_version.criteria_in_order()}
    unknown = sorted(set(ratings) - set(criteria))
    if unknown:
        raise ValidationError(f"This form has no criterion {', '.join(unknown)}.")
    saved = []
    for code, given in ratings.items():
        if given.value is not None or given.not_applicable:
            try:
                scoring.check_rating(criteria[code].rule, Rating(given.value, given.not_applicable))
            except RatingError as exc:
                raise ValidationError(str(exc)) from None
        score, _ = CalibrationScore.objects.update_or_create(
            item=item,
            grader=actor,
            criterion=criteria[code],
            defaults={
                "value": None if given.value is None else Decimal(str(given.value)),
                "not_applicable": given.not_applicable,
                "comment": given.comment.strip(),
            },
        )
        saved.append(score)
    audit.record(
        actor=actor, action="update", instance=item, before=None,
        after={code: [g.value, g.not_applicable] for code, g in ratings.items()},
    )  # fmt: skip
    return saved


@transaction.atomic
def calibration_submit(*, actor, session: CalibrationSession) -> CalibrationSubmission:
    """Hand in: every item needs every criterion rated (or N/A). Submitting twice changes nothing."""
    existing = CalibrationSubmission.objects.filter(session=session, grader=actor).first()
    if existing is not None and session.participants.filter(pk=actor.pk).exists():
        return existing
    require_grader(actor, session)
    rules = session.form_version.rules()
    for item in session.items.all():
        given = {
            s.criterion.code: Rating(None if s.value is None else float(s.value), s.not_applicable)
            for s in item.scores.filter(grader=actor).select_related("criterion")
        }
        try:
            scoring.score(rules, given)
        except RatingError as exc:
            raise ValidationError(f"Item {item.position + 1}: {exc}.") from None
    return audit.create(actor=actor, instance=CalibrationSubmission(session=session, grader=actor))


@transaction.atomic
def session_close(*, actor, session: CalibrationSession) -> CalibrationSession:
    """Closing reveals every score to every participant. Closing twice changes nothing."""
    access.require_for_provider(actor, Cap.EVALUATE, session.provider_id)
    if actor.pk != session.created_by_id and actor.provider_id is not None:
        raise PermissionDenied("Only whoever set the session up, or the client's QA, closes it.")
    if session.status == CalibrationSession.Status.CLOSED:
        return session
    before = audit.snapshot(session)
    session.status = CalibrationSession.Status.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at"])
    audit.record(actor=actor, action="update", instance=session, before=before, after=audit.snapshot(session))
    return session
