"""The demo step: a scorecard per program, a contract per partner, three months of SLA results."""

from __future__ import annotations

import datetime as dt
import random

from concord.contracts.models import Contract, SLAResult
from concord.demo.context import DemoContext
from concord.performance.demo import build_scorecards_and_contracts
from concord.performance.models import Scorecard


def test_demo_step_on_a_small_world(world, lake_uri):
    # given the organisation the earlier steps made (two programs, an internal team, two partners)
    ctx = DemoContext(seed=1, scale=0.1, today=dt.date(2026, 6, 15), rng=random.Random(1))
    ctx.actor = world.users["client_admin"]
    ctx.made["programs"] = {"SHARED": world.program_shared, "BONLY": world.program_b_only}
    ctx.made["providers"] = {p.code: {"provider": p} for p in (world.internal, world.partner_a, world.partner_b)}
    # when the step runs
    build_scorecards_and_contracts(ctx)
    # then every program has a card covering every category, and only partners have contracts
    assert Scorecard.objects.count() == 2
    card = Scorecard.objects.get(program=world.program_shared)
    assert {line.category for line in card.lines.all()} == {"efficiency", "customer", "quality", "people"}
    assert sorted(Contract.objects.values_list("provider__code", flat=True)) == ["PA", "PB"]
    # and March to May are computed for each SLA (four each), with the lake version recorded
    assert SLAResult.objects.count() == 2 * 4 * 3
    assert set(SLAResult.objects.values_list("lake_version", flat=True)) == {0}
