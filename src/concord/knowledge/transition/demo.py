"""Demo step: warranty claims moving from Cora Services to Atlas CX, well into preparation.

The plan started 45 days ago and lasts five months. Atlas already takes part of the Tech Support
volume, so the parallel run shows as met from the lake; Atlas is the partner slow to acknowledge the
knowledge campaign of 20 days ago (``knowledge.demo``), so "articles acknowledged" is late, and its
owners have the notice in their inbox. Cora's lead sees the plan without Atlas's name or numbers.
"""

from __future__ import annotations

import datetime as dt

from concord.accounts.models import User

from ..models_transition import Milestone
from . import services

#: program, contact type, the partner the work moves to and the one it leaves, their owners (usernames)
PLAN = {
    "program": "TECH",
    "contact_type": "WARRANTY",
    "to": "ATLAS",
    "from": "CORA",
    "owner": "manager",
    "partner_owner": "atlas.lead",
}


def build_transition(ctx) -> None:
    card = ctx.made["scorecards"][PLAN["program"]]
    aht = card.lines.get(metric_key="aht")
    manager = User.objects.get(username=PLAN["owner"])
    data = services.PlanInput(
        title="Warranty claims: hand-over to the new partner",
        program=PLAN["program"],
        provider=PLAN["to"],
        from_provider=PLAN["from"],
        contact_types=(PLAN["contact_type"],),
        start=ctx.today - dt.timedelta(days=45),
        months=5,
        scorecard=card.pk,
        partner_owner=PLAN["partner_owner"],
        targets={
            Milestone.Kind.ARTICLES_ACKNOWLEDGED: {"target_percent": 90},
            Milestone.Kind.COHORT_CERTIFIED: {"count": 12},
            Milestone.Kind.PARALLEL_RUN: {"contacts": 50},
            Milestone.Kind.STABILISATION_EXIT: {"line": aht.pk, "weeks": 4},
        },
    )
    plan = services.create_plan(user=manager, data=data)
    services.comment(
        user=User.objects.get(username=PLAN["partner_owner"]),
        plan=plan,
        text="Trainers booked for the warranty curriculum; agents acknowledge the updated articles this week.",
    )
    sent = services.notify_slips(plan=plan, today=ctx.today)
    ctx.progress(f"1 transition plan, {sent} slip notice(s)")
