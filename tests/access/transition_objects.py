"""Transition plans for the access matrix: partner A's plan (program SHARED) and partner B's (program BONLY).

The matrix decides who may see an object from its fields; a plan names a program served by several
partners (and a scorecard), but it is the business of its partner only. So each route is given a
reference holding just the object's id and its partner (``provider_id``), which is what the plan's own
access rule reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Ref:
    pk: int
    provider_id: int


def _made(w):
    from concord.knowledge.models import TransitionPlan
    from concord.knowledge.transition import services

    if not TransitionPlan.objects.exists():
        for program, provider in (("SHARED", "PA"), ("BONLY", "PB")):
            data = services.PlanInput(title=f"{program} to {provider}", program=program, provider=provider,
                                      start=dt.date(2026, 3, 2), months=3)  # fmt: skip
            services.create_plan(user=w.users["client_admin"], data=data)
    return TransitionPlan.objects.get(provider=w.partner_a), TransitionPlan.objects.get(provider=w.partner_b)


def _transition_plans(w):
    return tuple(Ref(p.pk, p.provider_id) for p in _made(w))


def _go_lives(w):
    return tuple(Ref(p.milestones.get(kind="go_live").pk, p.provider_id) for p in _made(w))


def _transition_plan_post(w, obj=None):
    from concord.knowledge.models import TransitionPlan

    plan = TransitionPlan.objects.get(pk=obj.pk)
    return {"title": f"{plan.title} (edited)", "program": plan.program.code, "provider": plan.provider.code,
            "start": "2026-03-02", "months": 4, "preparation_percent": 30, "transition_percent": 20,
            "stabilisation_percent": 50, "status": "active", "ack_target_percent": 90, "cohort_size": 10,
            "parallel_contacts": 50, "exit_weeks": 4}  # fmt: skip


def _new_plan_post(w, obj=None):
    return {"title": "New plan", "program": "SHARED", "provider": "PA", "start": "2026-03-02", "months": 3,
            "preparation_percent": 30, "transition_percent": 20, "stabilisation_percent": 50, "status": "active",
            "ack_target_percent": 90, "cohort_size": 10, "parallel_contacts": 50, "exit_weeks": 4}  # fmt: skip


def _new_plan_api_post(w, obj=None):
    return {"title": "New plan", "program": "SHARED", "provider": "PA", "start": "2026-03-02", "months": 3}


def _decision_post(w, obj=None):
    return {"decided_on": "2026-04-16", "note": "Go, said the steering group"}
