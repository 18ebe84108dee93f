"""Every change to a transition plan: keyword-only, the acting user, one transaction, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from concord import reporting
from concord.accounts import access, audit
from concord.accounts.models import User
from concord.accounts.roles import Cap
from concord.providers.models import ContactType, Program, Provider

from ..models_transition import Milestone, PlanComment, TransitionPlan
from . import progress, selectors
from .schedule import DEFAULT_MILESTONES, ScheduleError, default_due, phases


@dataclass(frozen=True)
class PlanInput:
    """One input schema for the page's form, the API and the demo."""

    title: str
    program: str  # program code
    provider: str  # code of the partner the work moves to
    start: dt.date
    months: int
    from_provider: str = ""
    contact_types: tuple[str, ...] = ()
    split_percent: tuple = (30, 20, 50)
    scorecard: int | None = None
    partner_owner: str = ""  # username of the partner's owner
    status: str = TransitionPlan.Status.ACTIVE
    #: milestone kind -> params, e.g. {"stabilisation_exit": {"line": 4, "weeks": 4}}
    targets: dict = field(default_factory=dict)


def _resolve(data: PlanInput) -> dict:
    errors: dict[str, str] = {}
    title = (data.title or "").strip()
    if not title or len(title) > 200:
        errors["title"] = "Give the plan a title of at most 200 characters."
    program = Program.objects.filter(code=data.program).first()
    if program is None:
        errors["program"] = f"No program with code {data.program!r}."
    provider = Provider.objects.filter(code=data.provider).first()
    if provider is None:
        errors["provider"] = f"No partner with code {data.provider!r}."
    source = Provider.objects.filter(code=data.from_provider).first() if data.from_provider else None
    if data.from_provider and source is None:
        errors["from_provider"] = f"No partner with code {data.from_provider!r}."
    elif source is not None and source == provider:
        errors["from_provider"] = "The work must move to another partner than the one it leaves."
    if not 2000 <= data.start.year <= 2100:  # calendar arithmetic far off overflows; no plan runs there
        errors["start"] = "Start a plan between the years 2000 and 2100."
        raise ValidationError(errors)
    try:
        split = tuple(Decimal(str(x)).quantize(Decimal("0.01")) for x in data.split_percent)  # as stored
        if len(split) != 3:
            raise InvalidOperation
        phases(data.start, int(data.months), split)
    except ScheduleError as exc:
        errors["months" if "month" in str(exc) else "split_percent"] = str(exc)
    except (InvalidOperation, ValueError, TypeError):
        errors["split_percent"] = "Give three percentages: preparation, transition and stabilisation."
        split = None
    contact_types = []
    if program is not None:
        for code in data.contact_types:
            found = ContactType.objects.filter(program=program, code=code).first()
            if found is None:
                errors["contact_types"] = f"Program {program.code} has no contact type {code!r}."
            contact_types.append(found)
    card = None
    if data.scorecard:
        from concord.performance.models import Scorecard

        card = Scorecard.objects.filter(pk=data.scorecard, program=program).first()
        if card is None:
            errors["scorecard"] = "Choose a scorecard of the plan's program."
    owner = None
    if data.partner_owner:
        owner = User.objects.filter(username=data.partner_owner, provider=provider, is_active=True).first()
        if owner is None:
            errors["partner_owner"] = f"{data.partner_owner!r} is not an active user of the receiving partner."
    if data.status not in TransitionPlan.Status.values:
        errors["status"] = f"Status must be one of {', '.join(TransitionPlan.Status.values)}."
    target_error = _check_targets(data.targets)
    if target_error:
        errors["targets"] = target_error
    line = (data.targets.get(Milestone.Kind.STABILISATION_EXIT) or {}).get("line") if not target_error else None
    if line and (card is None or not card.lines.filter(pk=line).exists()):
        errors["targets"] = "The stabilisation exit line must be a line of the plan's scorecard."
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "program": program,
        "provider": provider,
        "from_provider": source,
        "split": split,
        "contact_types": contact_types,
        "scorecard": card,
        "partner_owner": owner,
    }


#: milestone kind -> param -> (lowest, highest): what a target may say (a line is a scorecard line's id)
TARGET_RANGES = {
    Milestone.Kind.ARTICLES_ACKNOWLEDGED: {"target_percent": (1, 100)},
    Milestone.Kind.CURRICULUM_DELIVERED: {"count": (1, 100_000)},
    Milestone.Kind.COHORT_CERTIFIED: {"count": (1, 100_000)},
    Milestone.Kind.PARALLEL_RUN: {"contacts": (1, 10_000_000)},
    Milestone.Kind.STABILISATION_EXIT: {"weeks": (1, 52), "line": (1, 2**31 - 1)},
}


def _check_targets(targets) -> str:
    """One message naming the first target that is not a number in its range, or ""."""
    if not isinstance(targets, dict):
        return "Targets must map a milestone kind to its parameters."
    for kind, params in targets.items():
        allowed = TARGET_RANGES.get(kind)
        if allowed is None or not isinstance(params, dict):
            return f"targets.{kind}: no target to set (kinds: {', '.join(TARGET_RANGES)})."
        for key, value in params.items():
            if key not in allowed:
                return f"targets.{kind}.{key}: not a parameter of this milestone (use {', '.join(allowed)})."
            low, high = allowed[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                return f"targets.{kind}.{key}: give a number from {low} to {high}."
    return ""


def _apply(plan: TransitionPlan, data: PlanInput, found: dict) -> None:
    plan.title, plan.program, plan.provider = found["title"], found["program"], found["provider"]
    plan.from_provider, plan.scorecard, plan.partner_owner = (
        found["from_provider"],
        found["scorecard"],
        found["partner_owner"],
    )
    plan.start, plan.months, plan.status = data.start, int(data.months), data.status
    plan.preparation_percent, plan.transition_percent, plan.stabilisation_percent = found["split"]


def create_plan(*, user, data: PlanInput) -> TransitionPlan:
    if not selectors.can_edit(user):
        raise PermissionDenied("Only the client's knowledge editors create transition plans.")
    with transaction.atomic():
        found = _resolve(data)
        same = TransitionPlan.objects.filter(
            program=found["program"], provider=found["provider"], title=found["title"], start=data.start
        ).first()
        if same is not None:  # the same plan sent twice (a retried request): nothing changes
            return same
        plan = TransitionPlan(client_owner=user)
        _apply(plan, data, found)
        plan.save()
        plan.contact_types.set(found["contact_types"])
        by_name = {p.name: p for p in phases(plan.start, plan.months, found["split"])}
        for position, (kind, (phase, fraction)) in enumerate(DEFAULT_MILESTONES.items()):
            Milestone.objects.create(
                plan=plan,
                kind=kind,
                phase=phase,
                due=default_due(by_name[phase], fraction),
                params=data.targets.get(kind, {}),
                position=position,
            )
        audit.record(actor=user, action="create", instance=plan, before=None, after=_snapshot(plan))
    return plan


def update_plan(*, user, plan: TransitionPlan, data: PlanInput) -> TransitionPlan:
    """New dates, split, owners or targets; a milestone whose due date leaves its phase moves to its default."""
    _require_edit(user, plan)
    with transaction.atomic():
        plan = TransitionPlan.objects.select_for_update().get(pk=plan.pk)
        before = _snapshot(plan)
        found = _resolve(data)
        _apply(plan, data, found)
        plan.save()
        plan.contact_types.set(found["contact_types"])
        by_name = {p.name: p for p in phases(plan.start, plan.months, found["split"])}
        for milestone in plan.milestones.all():
            phase = by_name[milestone.phase]
            if not phase.contains(milestone.due):
                milestone.due = default_due(phase, DEFAULT_MILESTONES[milestone.kind][1])
            milestone.params = data.targets.get(milestone.kind, milestone.params)
            milestone.save(update_fields=["due", "params"])
        after = _snapshot(plan)
        if after != before:
            audit.record(actor=user, action="update", instance=plan, before=before, after=after)
    return plan


def set_due(*, user, milestone: Milestone, due: dt.date) -> Milestone:
    """Move a milestone's planned date, inside its phase."""
    _require_edit(user, milestone.plan)
    plan = milestone.plan
    phase = {p.name: p for p in phases(plan.start, plan.months, progress.split_of(plan))}[milestone.phase]
    if not phase.contains(due):
        raise ValidationError({"due": f"The {phase.name} phase runs from {phase.start} to {phase.last_day}."})
    if due == milestone.due:
        return milestone
    with transaction.atomic():
        before = audit.snapshot(milestone)
        milestone.due = due
        milestone.save(update_fields=["due"])
        audit.record(actor=user, action="update", instance=milestone, before=before, after=audit.snapshot(milestone))
    return milestone


def record_decision(*, user, milestone: Milestone, decided_on: dt.date, note: str) -> Milestone:
    """A decision milestone (go-live) met on ``decided_on``, with the note saying who decided what."""
    _require_edit(user, milestone.plan)
    if milestone.kind not in progress.DECISIONS:
        raise ValidationError("This milestone is met by the data, not by a decision.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what was decided and by whom."})
    if decided_on > reporting.today():
        raise ValidationError({"decided_on": "A decision cannot be dated after today."})
    if milestone.decided_on == decided_on and milestone.decision_note == note[:500]:
        return milestone
    with transaction.atomic():
        before = audit.snapshot(milestone)
        milestone.decided_on, milestone.decision_note, milestone.decided_by = decided_on, note[:500], user
        milestone.save(update_fields=["decided_on", "decision_note", "decided_by"])
        audit.record(actor=user, action="update", instance=milestone, before=before, after=audit.snapshot(milestone))
    return milestone


def comment(*, user, plan: TransitionPlan, text: str) -> PlanComment:
    """Both sides comment on a plan they see (a partner: the plans naming them)."""
    access.require(user, Cap.VIEW_ADOPTION)
    selectors.plan(user, plan.pk)  # someone else's plan: 404
    text = (text or "").strip()
    if not text or len(text) > 2000:
        raise ValidationError({"text": "Write a comment of 1 to 2000 characters."})
    with transaction.atomic():
        made = PlanComment.objects.create(plan=plan, author=user, text=text)
        audit.record(actor=user, action="create", instance=made, before=None, after=audit.snapshot(made))
    return made


def _require_edit(user, plan: TransitionPlan) -> None:
    selectors.plan(user, plan.pk)  # 404 before 403, like every read
    if not selectors.can_edit(user, plan):
        raise PermissionDenied("Only the client's admins and the plan's owner change it.")


def _snapshot(plan: TransitionPlan) -> dict:
    return audit.snapshot(plan) | {"contact_types": sorted(plan.contact_types.values_list("code", flat=True))}


def notify_slips(*, plan: TransitionPlan, today: dt.date | None = None) -> int:
    """Tell both owners once when a milestone falls behind its due date (again if its date moves and it slips
    again); read as the client's owner, who sees every number of the plan. Returns notices sent."""
    from concord.notifications.services import notify

    report = selectors.status(plan.client_owner, plan, today=today)
    sent = 0
    for row in report.late:
        m = row.milestone
        sent += len(
            notify(
                recipients=[plan.client_owner, plan.partner_owner],
                subject=f"Transition milestone late: {row.label} ({plan.title})",
                body=f"Due {m.due.isoformat()}, not met yet: {row.slip_days} day(s) late. {row.progress.detail}",
                url=reverse("knowledge:transition", args=[plan.pk]),
                kind="knowledge.transition_slipped",
                key=f"transition-{m.pk}-late-{m.due.isoformat()}",
                provider=plan.provider,
            )
        )
    return sent


def sweep(*, today: dt.date | None = None) -> int:
    """Slip notices for every active plan: the hourly knowledge task runs it."""
    return sum(notify_slips(plan=p, today=today) for p in TransitionPlan.objects.filter(status="active"))
