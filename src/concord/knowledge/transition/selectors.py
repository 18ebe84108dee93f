"""Reads of transition plans, always for one user.

The client's people see every plan; a partner's people see the plans naming them: as the partner the
work moves to (everything, with the numbers read from their own data), or as the one it leaves (the
schedule and its milestones' dates, never the other partner's name or numbers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from concord import reporting
from concord.accounts import access
from concord.accounts.roles import Cap, Role

from ..models_transition import Milestone, TransitionPlan
from . import progress as progress_
from .schedule import Phase, phase_on, phases, slippage_days


def plans(user) -> QuerySet[TransitionPlan]:
    access.require(user, Cap.VIEW_ADOPTION)
    qs = TransitionPlan.objects.select_related("program", "provider", "from_provider", "client_owner", "partner_owner")
    confined = access.provider_scope(user)
    return qs if confined is None else qs.filter(Q(provider_id=confined) | Q(from_provider_id=confined))


def plan(user, pk: int) -> TransitionPlan:
    found = plans(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such transition plan.")
    return found


def plans_of_provider(user, code: str) -> list[TransitionPlan]:
    return list(plans(user).filter(Q(provider__code=code) | Q(from_provider__code=code)))


def can_edit(user, plan: TransitionPlan | None = None) -> bool:
    """The client's admins edit every plan; a client knowledge editor the plans they own (and new ones)."""
    if access.provider_scope(user) is not None or not access.can(user, Cap.EDIT_KNOWLEDGE):
        return False
    return plan is None or user.role == Role.CLIENT_ADMIN or plan.client_owner_id == user.pk


def is_redacted(user, plan: TransitionPlan) -> bool:
    """The partner the work leaves: it sees the schedule, not the partner it goes to nor their numbers."""
    confined = access.provider_scope(user)
    return confined is not None and confined != plan.provider_id


@dataclass(frozen=True)
class MilestoneStatus:
    milestone: Milestone
    phase: Phase
    progress: progress_.Progress
    slip_days: int
    state: str  # met | met late | late | open | unknown

    @property
    def label(self) -> str:
        return self.milestone.get_kind_display()

    @property
    def is_decision(self) -> bool:
        return self.milestone.kind in progress_.DECISIONS

    def as_json(self) -> dict:
        p = self.progress
        return {
            "id": self.milestone.pk, "kind": self.milestone.kind, "label": self.label, "phase": self.phase.name,
            "due": self.milestone.due.isoformat(), "met_on": p.met_on.isoformat() if p.met_on else None,
            "state": self.state, "slip_days": self.slip_days, "value": p.value, "target": p.target, "unit": p.unit,
            "detail": p.detail, "source_available": p.available,
        }  # fmt: skip


@dataclass
class PlanStatus:
    plan: TransitionPlan
    today: dt.date
    phases: list[Phase]
    milestones: list[MilestoneStatus]
    redacted: bool
    comments: list = field(default_factory=list)

    @property
    def current_phase(self) -> str:
        return phase_on(self.phases, self.today)

    @property
    def end(self) -> dt.date:
        return self.phases[-1].end

    @property
    def met_count(self) -> int:
        return sum(m.progress.met_on is not None for m in self.milestones)

    @property
    def late(self) -> list[MilestoneStatus]:
        return [m for m in self.milestones if m.state == "late"]

    def as_json(self) -> dict:
        plan = self.plan
        return {
            "id": plan.pk, "title": plan.title, "program": plan.program.code, "status": plan.status,
            "provider": None if self.redacted else plan.provider.code,
            "from_provider": plan.from_provider.code if plan.from_provider_id else None,
            "start": plan.start.isoformat(), "months": plan.months, "end": self.end.isoformat(),
            "today": self.today.isoformat(), "current_phase": self.current_phase,
            "phases": [{"name": p.name, "start": p.start.isoformat(), "last_day": p.last_day.isoformat(),
                        "days": p.days} for p in self.phases],
            "split_percent": [float(x) for x in progress_.split_of(plan)],
            "milestones": [m.as_json() for m in self.milestones],
            "late": len(self.late), "max_slip_days": max((m.slip_days for m in self.milestones), default=0),
        }  # fmt: skip


def _state(progress: progress_.Progress, due: dt.date, today: dt.date) -> str:
    if progress.met_on is not None:
        return "met late" if progress.met_on > due else "met"
    if not progress.available:  # nothing to read it from: neither on time nor late, and said so
        return "unknown"
    return "late" if today > due else "open"


def status(user, plan: TransitionPlan, *, today: dt.date | None = None) -> PlanStatus:
    """The plan's phases and every milestone's progress and slippage on ``today`` (the reporting zone's)."""
    today = today or reporting.today()
    plan_phases = phases(plan.start, plan.months, progress_.split_of(plan))
    by_name = {p.name: p for p in plan_phases}
    redacted = is_redacted(user, plan)
    reading = progress_.Reading(user=user, plan=plan, today=today)
    rows = []
    for milestone in plan.milestones.all():
        if redacted:  # the dates of the plan, none of the other partner's numbers
            found = progress_.Progress(available=False, detail="Read from the receiving partner's data.")
        else:
            found = reading.progress(milestone)
        if found.met_on is not None and found.met_on > today:
            found = progress_.Progress(**{**found.__dict__, "met_on": None})  # a decision dated ahead of today
        state = "not shown" if redacted else _state(found, milestone.due, today)
        slip = 0 if state in ("not shown", "unknown") else slippage_days(milestone.due, found.met_on, today)
        rows.append(MilestoneStatus(milestone, by_name[milestone.phase], found, slip, state))
    comments = list(plan.comments.select_related("author"))
    return PlanStatus(plan, today, plan_phases, rows, redacted, comments)
