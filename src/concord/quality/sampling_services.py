"""Sampling plans: draw one (service) and read them with evaluator workload and per-agent coverage (selectors)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from concord import periods, reporting
from concord.accounts import access, audit
from concord.accounts.access import LOGIN_SOURCE
from concord.accounts.roles import Cap
from concord.providers.models import Agent, AgentExternalId

from . import sampling
from .models import Evaluation
from .selectors import lake
from .work_models import SampleAssignment, SamplingPlan


def _lake_names(provider) -> dict[str, Agent]:
    """Every name the lake may use for the provider's active agents: employee id and source ids."""
    agents = {
        a.pk: a
        for a in Agent.objects.filter(provider=provider, role=Agent.Role.AGENT, exit_date__isnull=True).order_by("pk")
    }
    names = {a.employee_id: a for a in agents.values()}
    ids = AgentExternalId.objects.filter(agent_id__in=agents).exclude(source=LOGIN_SOURCE)
    for agent_id, external_id in ids.values_list("agent_id", "external_id"):
        names.setdefault(external_id, agents[agent_id])
    return names


@transaction.atomic
def plan_create(
    *,
    actor,
    name: str,
    provider,
    week_start: dt.date,
    per_agent: int,
    evaluators: list,
    due_on: dt.date | None = None,
    stratify: bool = True,
    risk: sampling.Risk = sampling.NO_RISK,
    seed: int | None = None,
) -> SamplingPlan:
    """Draw the week's sample for every active agent of ``provider`` and share it out over ``evaluators``.

    The seed (given, or chosen here) and the lake version drawn from are stored: drawing again with
    them gives the same contacts.
    """
    access.require_for_provider(actor, Cap.EVALUATE, provider.pk)
    if not name.strip():
        raise ValidationError("Give the plan a name.")
    if not 1 <= per_agent <= 50:
        raise ValidationError("Evaluations per agent: from 1 to 50.")
    if not evaluators:
        raise ValidationError("Choose at least one evaluator.")
    for person in evaluators:
        if not access.can(person, Cap.EVALUATE) or person.provider_id not in (None, provider.pk):
            raise ValidationError(f"{person.username} cannot evaluate {provider.name}'s agents.")
    for weight in (risk.low_csat, risk.long_handle, risk.repeat):
        if not 0 <= weight <= 20:
            raise ValidationError("A risk weight is from 0 (off) to 20.")
    week = periods.start_of(week_start, "week")
    due_on = due_on or week + dt.timedelta(days=13)  # the Sunday after the week that follows
    if due_on < week + dt.timedelta(days=7):
        raise ValidationError("The due date falls after the sampled week.")
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    start, end = periods.utc_bounds(week, "week", settings.REPORTING_TIMEZONE)
    names = _lake_names(provider)
    result = sampling.draw(
        lake(), provider=provider.code, agents=list(names), start=start, end=end, per_agent=per_agent, seed=seed,
        stratify=stratify, risk=risk,
    )  # fmt: skip
    plan = audit.create(
        actor=actor,
        instance=SamplingPlan(
            name=name.strip(), provider=provider, week_start=week, per_agent=per_agent, stratify=stratify,
            risk_low_csat=risk.low_csat, risk_long_handle=risk.long_handle, risk_repeat=risk.repeat, seed=seed,
            lake_version=result.version, due_on=due_on, created_by=actor,
        ),
    )  # fmt: skip
    people = sorted(evaluators, key=lambda u: u.username)
    plan.evaluators.set(people)
    SampleAssignment.objects.bulk_create(
        SampleAssignment(
            plan=plan,
            provider=provider,
            agent=names[d.agent],
            evaluator=people[i % len(people)],
            interaction_source=d.source,
            interaction_id=d.external_id,
            interaction_at=d.created_at,
            contact_type=d.contact_type or "",
            channel=d.channel,
            weight=d.weight,
            due_on=due_on,
        )
        for i, d in enumerate(result.drawn)
    )
    return plan


def plans(user) -> QuerySet[SamplingPlan]:
    access.require(user, Cap.VIEW_QUALITY)
    return access.scope(user, SamplingPlan.objects.select_related("provider", "created_by"))


def plan(user, plan_id: int) -> SamplingPlan:
    access.require(user, Cap.VIEW_QUALITY)
    return access.get_visible_or_404(user, SamplingPlan.objects.select_related("provider"), pk=plan_id)


@dataclass(frozen=True)
class Workload:
    evaluator: str
    assigned: int
    done: int
    overdue: int


@dataclass(frozen=True)
class Coverage:
    agent: Agent
    target: int
    sampled: int
    evaluated: int  # of the sampled contacts, completed by anyone

    @property
    def percent(self) -> float:
        return 100.0 * self.evaluated / self.target if self.target else 0.0


def progress(p: SamplingPlan, *, today: dt.date | None = None) -> tuple[list[Workload], list[Coverage], set]:
    """Per evaluator: assigned, done, overdue; per agent (every active one, a sampled one who left too):
    sampled and evaluated against the plan's N."""
    today = today or reporting.today()
    assignments = list(p.assignments.select_related("agent", "evaluator"))
    done_keys = set(
        Evaluation.objects.filter(
            provider=p.provider, status=Evaluation.Status.COMPLETED,
            interaction_id__in=[a.interaction_id for a in assignments],
        ).values_list("interaction_source", "interaction_id")
    )  # fmt: skip
    load: dict[str, Counter] = defaultdict(Counter)
    agents: dict[int, Counter] = defaultdict(Counter)
    roster = Agent.objects.filter(provider=p.provider, role=Agent.Role.AGENT, exit_date__isnull=True)
    who = {a.pk: a for a in roster}
    for pk in who:
        agents[pk].update(sampled=0)
    for a in assignments:
        done = (a.interaction_source, a.interaction_id) in done_keys
        load[a.evaluator.username].update(assigned=1, done=int(done), overdue=int(not done and a.due_on < today))
        agents[a.agent_id].update(sampled=1, evaluated=int(done))
        who[a.agent_id] = a.agent
    workload = [Workload(name, c["assigned"], c["done"], c["overdue"]) for name, c in sorted(load.items())]
    coverage = [
        Coverage(who[pk], p.per_agent, c["sampled"], c["evaluated"])
        for pk, c in sorted(agents.items(), key=lambda kv: who[kv[0]].display_name)
    ]
    return workload, coverage, done_keys
