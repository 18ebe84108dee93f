"""The demo step: a scorecard per program, a contract per partner, three months of SLA results."""

from __future__ import annotations

import datetime as dt
import random

from concord.contracts.demo import build_month_close
from concord.contracts.models import Contract, SLAResult, Statement
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
    # and March to June are computed for each SLA (four each), with the lake version recorded
    assert SLAResult.objects.count() == 2 * 4 * 4
    assert set(SLAResult.objects.values_list("lake_version", flat=True)) == {0}
    # the past months are closed and signed by each partner's lead (a step run once the logins exist)
    build_month_close(ctx)
    assert sorted(Statement.objects.values_list("contract__provider__code", "period", "status")) == [
        (code, dt.date(2026, m, 1), "accepted") for code in ("PA", "PB") for m in (3, 4, 5)
    ]


def test_the_demo_disputes_one_line_and_resolves_it_by_a_restatement(world, lake_uri, contract_a):
    from concord.contracts import services
    from concord.contracts.demo import close_and_sign

    may = dt.date(2026, 5, 1)
    services.compute_month(actor=world.users["client_admin"], contract=contract_a, period=may)
    ctx = DemoContext(seed=1, scale=0.1, today=dt.date(2026, 6, 15), rng=random.Random(1))
    ctx.actor = world.users["client_admin"]
    summary = close_and_sign(ctx, {"PA": contract_a}, [may], dispute_code="PA")
    assert summary == "1 month(s) closed and signed; a dispute on AHT of PA May 2026 resolved by a restatement"
    # AHT's 500.00 half waived: 250.00; the billed statement keeps 1,000.00 net
    statement = Statement.objects.get()
    assert (statement.status, statement.totals["net"]) == ("accepted", "1000.00")
    assert statement.restatements.get().after["totals"]["net"] == "750.00"
    # the partner's evidence is attached, checked as a CSV
    (attachment,) = statement.disputes.get().attachments.all()
    assert (attachment.name, attachment.content_type) == ("queue-log-2026-05-14.csv", "text/csv")
