"""Every change to QA forms and evaluations: keyword-only, the acting user, one transaction, audited."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from concord.accounts import access, audit
from concord.accounts.roles import Cap
from concord.providers.models import Agent

from . import lake_writes, scoring
from .lake_reads import Interaction
from .models import Answer, Criterion, Evaluation, FormVersion, QaForm, Section
from .scoring import Rating, RatingError, Rule

_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    label: str
    scale: str
    weight: float
    guidance: str = ""
    na_allowed: bool = False
    critical: bool = False
    max_points: int | None = None

    @property
    def rule(self) -> Rule:
        return scoring.rule_of(self)


@dataclass(frozen=True)
class SectionSpec:
    title: str
    criteria: tuple[CriterionSpec, ...]


@dataclass(frozen=True)
class RatingInput:
    """What a grader typed for one criterion."""

    value: float | None = None
    not_applicable: bool = False
    comment: str = ""


def check_sections(sections: list[SectionSpec]) -> None:
    """Refuse a form that cannot be scored, naming the section and criterion."""
    if not sections:
        raise ValidationError("A form needs at least one section.")
    seen: set[str] = set()
    for s_number, section in enumerate(sections, start=1):
        where = f"Section {s_number}"
        if not section.title.strip():
            raise ValidationError(f"{where}: give it a title.")
        if not section.criteria:
            raise ValidationError(f"{where} ({section.title}): add at least one criterion.")
        for c_number, criterion in enumerate(section.criteria, start=1):
            place = f"{where}, criterion {c_number}"
            if not criterion.label.strip():
                raise ValidationError(f"{place}: give it a question.")
            if not _CODE.match(criterion.code):
                raise ValidationError(f"{place}: code {criterion.code!r} must be lower-case letters, digits, - or _.")
            if criterion.code in seen:
                raise ValidationError(f"{place}: code {criterion.code!r} is used twice in the form.")
            seen.add(criterion.code)
            try:
                scoring.check_rule(criterion.rule)
            except RatingError as exc:
                raise ValidationError(f"{place}: {exc}") from None


def _content(version: FormVersion) -> list[SectionSpec]:
    return [
        SectionSpec(
            title=section.title,
            criteria=tuple(
                CriterionSpec(
                    code=c.code,
                    label=c.label,
                    scale=c.scale,
                    weight=float(c.weight),
                    guidance=c.guidance,
                    na_allowed=c.na_allowed,
                    critical=c.critical,
                    max_points=c.max_points,
                )
                for c in section.criteria.order_by("position")
            ),
        )
        for section in version.sections.order_by("position")
    ]


def _write_version(*, actor, form: QaForm, number: int, sections: list[SectionSpec], note: str) -> FormVersion:
    version = audit.create(actor=actor, instance=FormVersion(form=form, number=number, note=note, created_by=actor))
    for s_pos, spec in enumerate(sections):
        section = Section.objects.create(version=version, title=spec.title.strip(), position=s_pos)
        Criterion.objects.bulk_create(
            Criterion(
                version=version,
                section=section,
                code=c.code,
                label=c.label.strip(),
                guidance=c.guidance.strip(),
                scale=c.scale,
                max_points=c.max_points,
                weight=Decimal(str(c.weight)),
                na_allowed=c.na_allowed,
                critical=c.critical,
                position=c_pos,
            )
            for c_pos, c in enumerate(spec.criteria)
        )
    return version


def require_form_editor(actor) -> None:
    access.require(actor, Cap.EDIT_QA_FORMS)
    if actor.provider_id is not None:
        raise PermissionDenied("The QA form is the client's: one form for every team.")


@transaction.atomic
def form_create(*, actor, name: str, description: str = "", sections: list[SectionSpec]) -> QaForm:
    require_form_editor(actor)
    check_sections(sections)
    if QaForm.objects.filter(name=name.strip()).exists():
        raise ValidationError(f"A form named {name.strip()!r} exists already; revise it instead.", code="conflict")
    form = audit.create(actor=actor, instance=QaForm(name=name.strip(), description=description))
    _write_version(actor=actor, form=form, number=1, sections=sections, note="First version.")
    return form


@transaction.atomic
def form_revise(*, actor, form: QaForm, sections: list[SectionSpec], note: str = "") -> FormVersion:
    """A changed form is a new version; evaluations made on older versions keep theirs.

    The same content again makes no version (doing it twice changes nothing).
    """
    require_form_editor(actor)
    check_sections(sections)
    form = QaForm.objects.select_for_update().get(pk=form.pk)
    current = form.current
    if _content(current) == list(sections):
        return current
    return _write_version(actor=actor, form=form, number=current.number + 1, sections=sections, note=note.strip())


def agent_for_interaction(interaction: Interaction) -> Agent | None:
    """The roster agent the lake row names: their id in that source, or their employee id."""
    if not interaction.agent:
        return None
    qs = Agent.objects.filter(provider__code=interaction.provider)
    return (
        qs.filter(external_ids__source=interaction.source, external_ids__external_id=interaction.agent).first()
        or qs.filter(employee_id=interaction.agent).first()
    )


@transaction.atomic
def evaluation_start(*, actor, interaction: Interaction, form_version: FormVersion) -> Evaluation:
    """A draft evaluation of one interaction; starting the same one again returns the same draft."""
    agent = agent_for_interaction(interaction)
    if agent is None:
        raise ValidationError("This interaction names no agent on the roster; it cannot be evaluated.")
    access.require_for_provider(actor, Cap.EVALUATE, agent.provider_id)
    existing = Evaluation.objects.filter(
        evaluator=actor,
        interaction_source=interaction.source,
        interaction_id=interaction.external_id,
        form_version=form_version,
    ).first()
    if existing is not None:
        return existing
    return audit.create(
        actor=actor,
        instance=Evaluation(
            form_version=form_version,
            provider_id=agent.provider_id,
            agent=agent,
            interaction_source=interaction.source,
            interaction_id=interaction.external_id,
            interaction_at=interaction.created_at,
            program=interaction.program or "",
            contact_type=interaction.contact_type or "",
            channel=interaction.channel or "",
            evaluator=actor,
        ),
    )


def require_evaluator(actor, evaluation: Evaluation) -> None:
    """Only the evaluation's own grader changes it (and only while they may evaluate that provider)."""
    access.require_for_provider(actor, Cap.EVALUATE, evaluation.provider_id)
    if evaluation.evaluator_id != actor.pk:
        raise PermissionDenied("Only the grader who made this evaluation changes it.")


@transaction.atomic
def evaluation_save(
    *,
    actor,
    evaluation: Evaluation,
    ratings: Mapping[str, RatingInput],
    comment: str | None = None,
    complete: bool = False,
) -> Evaluation:
    """Save a grader's answers; ``complete`` scores it (every criterion rated or N/A).

    A draft may be partly rated; each rating given must fit its criterion. Saving the same
    answers again changes nothing and adds no revision.
    """
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    require_evaluator(actor, evaluation)
    if evaluation.disputes.filter(outcome="open").exists():
        raise ValidationError("This evaluation is disputed: its score changes only through the dispute's outcome.")
    criteria = {c.code: c for c in evaluation.form_version.criteria_in_order()}
    unknown = sorted(set(ratings) - set(criteria))
    if unknown:
        raise ValidationError(f"This form has no criterion {', '.join(unknown)}.")
    for code, given in ratings.items():
        if given.value is None and not given.not_applicable:
            continue  # a draft may leave a criterion open
        try:
            scoring.check_rating(criteria[code].rule, Rating(given.value, given.not_applicable))
        except RatingError as exc:
            raise ValidationError(str(exc)) from None

    before = _state(evaluation)
    existing = {a.criterion.code: a for a in evaluation.answers.select_related("criterion")}
    for code, given in ratings.items():
        answer = existing.get(code) or Answer(evaluation=evaluation, criterion=criteria[code])
        answer.value = None if given.value is None else Decimal(str(given.value))
        answer.not_applicable = given.not_applicable
        answer.comment = given.comment.strip()
        answer.save()
        existing[code] = answer
    if comment is not None:
        evaluation.comment = comment.strip()
    if complete or evaluation.status == Evaluation.Status.COMPLETED:
        answered = {
            code: Rating(None if a.value is None else float(a.value), a.not_applicable) for code, a in existing.items()
        }
        try:
            result = scoring.score([c.rule for c in criteria.values()], answered)
        except RatingError as exc:
            raise ValidationError(f"Cannot complete: {exc}.") from None
        evaluation.score = None if result.score is None else Decimal(f"{result.score:.2f}")
        evaluation.critical_failed = result.critical_failed
        evaluation.status = Evaluation.Status.COMPLETED
    after = _state(evaluation)
    if after == before:
        return evaluation
    if evaluation.status == Evaluation.Status.COMPLETED:
        evaluation.revision += 1
        evaluation.completed_at = evaluation.completed_at or timezone.now()
    evaluation.save()
    audit.record(actor=actor, action="update", instance=evaluation, before=before, after=_state(evaluation))
    if evaluation.status == Evaluation.Status.COMPLETED:
        # the lake row follows the committed record; a rolled-back save leaves the lake alone
        transaction.on_commit(lambda: lake_writes.publish_after_commit(evaluation.pk))
    return evaluation


def _state(evaluation: Evaluation) -> dict:
    """What an evaluation says: its answers, comment, status and score (for audit and change detection)."""
    answers = {
        a.criterion.code: [None if a.value is None else str(a.value), a.not_applicable, a.comment]
        for a in Answer.objects.filter(evaluation=evaluation).select_related("criterion")
    }
    return {
        "status": evaluation.status,
        "score": None if evaluation.score is None else str(evaluation.score),
        "critical_failed": evaluation.critical_failed,
        "comment": evaluation.comment,
        "answers": answers,
    }
