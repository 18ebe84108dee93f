"""The training demo step on a small world: both programs get a plan, agents a history in every state."""

from __future__ import annotations

import datetime as dt
import random

from concord.demo.context import DemoContext
from concord.knowledge.demo import build_knowledge
from concord.knowledge.models import TrainingPlan
from concord.knowledge.training import selectors
from concord.knowledge.training.demo import build_training
from concord.providers.models import Agent, ContactType, Program


def test_demo_training_on_a_small_world(world):
    programs = {}
    for code, types in (("RETAIL", ("ORDER", "RETURN", "BILLING")), ("TECH", ("TROUBLE", "SETUP", "WARRANTY"))):
        programs[code] = Program.objects.create(code=code, name=code.title())
        programs[code].providers.set([world.partner_a, world.partner_b])
        for t in types:
            ContactType.objects.create(program=programs[code], code=t, name=t.title(), channel="chat")
    today = dt.date(2026, 6, 15)
    for n in range(40):  # hired over two years, the last ones this month
        Agent.objects.create(provider=world.partner_a if n % 2 else world.partner_b, employee_id=f"D-{n}",
                             display_name=f"Demo {n}", hire_date=today - dt.timedelta(days=18 * n + 3))  # fmt: skip
    ctx = DemoContext(seed=5, scale=0.1, today=today, rng=random.Random(5))
    ctx.actor = world.users["client_admin"]
    ctx.made["programs"] = programs
    build_knowledge(ctx)
    build_training(ctx)

    assert TrainingPlan.objects.count() == 2
    admin = world.users["client_admin"]
    states = {r.state for r in selectors.certification_states(admin, program=programs["TECH"], as_of=today)}
    assert states == {"certified", "expiring_soon", "expired", "not_certified"}
    rows = selectors.readiness(admin, program=programs["RETAIL"], contact_type="ORDER", as_of=today)
    ready = [r for r in rows if r.ready]
    assert 0 < len(ready) < len(rows)
    # the newest hire (3 days in) is missing the nesting period, the pass and part of the shadowing
    newest = next(r for r in rows if r.agent.employee_id == "D-0")
    assert "Nesting: 3 of 14 days since hire." in newest.missing
