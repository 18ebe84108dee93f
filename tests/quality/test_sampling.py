"""Sampling plans: allocation by hand, reproducible draws, risk weights against the known inclusion
probability of weighted sampling, evaluator assignment, workload and coverage."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404

from concord.lake.schemas import TABLES
from concord.lake.store import Lake
from concord.lake.write import commit_batches
from concord.quality import sampling, sampling_services, services
from concord.quality.sampling import Risk, allocate
from concord.quality.services import RatingInput

START = dt.datetime(2026, 3, 9, tzinfo=dt.UTC)
END = START + dt.timedelta(days=7)


def _row(agent: str, n: int, *, provider="PA", contact_type="ORD", channel="chat", day=0, handle=300.0,
         csat=None, customer=None) -> dict:  # fmt: skip
    at = START + dt.timedelta(days=day, hours=9, minutes=n % 600)
    row = {f.name: (False if pa.types.is_boolean(f.type) else None) for f in TABLES["interactions"].schema}
    row.update(
        source="s", external_id=f"{agent}-{n}", provider=provider, agent=agent, program="SHARED",
        contact_type=contact_type, channel=channel, created_at=at, answered_at=at, updated_at=at,
        created_month=at.strftime("%Y-%m"), talk_seconds=handle, csat=csat, customer_key=customer or f"c-{agent}-{n}",
    )  # fmt: skip
    return row


def _lake(tmp_path, rows, name="lake") -> Lake:
    lake = Lake(str(tmp_path / name))
    commit_batches(lake, "interactions", pa.Table.from_pylist(rows, TABLES["interactions"].schema).to_batches())
    return lake


def test_allocation_by_largest_remainder_by_hand():
    # 4 of 10: quotas 2.4, 1.2, 0.4 -> floors 2, 1, 0; one left; remainders .4, .2, .4 tie -> first named
    assert allocate(4, {"a|chat": 6, "b|chat": 3, "c|email": 1}) == {"a|chat": 3, "b|chat": 1, "c|email": 0}
    # 5 of 6 over three strata of 2: 1 each, two left to the first two named
    assert allocate(5, {"x": 2, "y": 2, "z": 2}) == {"x": 2, "y": 2, "z": 1}
    assert allocate(10, {"x": 2, "y": 3}) == {"x": 2, "y": 3}  # fewer contacts than N: all of them


def test_a_draw_is_stratified_and_reproducible_whatever_the_row_order(tmp_path):
    rows = [_row("A1", i, contact_type="ORD", channel="chat") for i in range(6)]
    rows += [_row("A1", 10 + i, contact_type="RET", channel="chat") for i in range(3)]
    rows += [_row("A1", 20, contact_type="ORD", channel="email")]
    rows += [_row("A2", i) for i in range(2)]  # only two contacts
    rows += [
        _row("A1", 30, day=8),
        _row("A1", 31, provider="PB"),
        _row("ZZ", 1),
    ]  # next week, other provider, other agent
    args = dict(provider="PA", agents=["A1", "A2"], start=START, end=END, per_agent=4)
    first = sampling.draw(_lake(tmp_path, rows), seed=7, **args)
    again = sampling.draw(_lake(tmp_path, list(reversed(rows)), "reversed"), seed=7, **args)
    assert [d.external_id for d in first.drawn] == [d.external_id for d in again.drawn]
    assert first.contacts == 12 and first.per_agent_available == {"A1": 10, "A2": 2}
    strata = {}
    for d in first.drawn:
        strata[(d.agent, d.contact_type, d.channel)] = strata.get((d.agent, d.contact_type, d.channel), 0) + 1
    # A1: the allocation above (ORD chat 3, RET chat 1, ORD email 0); A2 has two, both drawn
    assert strata == {("A1", "ORD", "chat"): 3, ("A1", "RET", "chat"): 1, ("A2", "ORD", "chat"): 2}
    other_seeds = {tuple(d.external_id for d in sampling.draw(first_lake, seed=s, **args).drawn)
                   for s in range(5) for first_lake in [_lake(tmp_path, rows, f"l{s}")]}  # fmt: skip
    assert len(other_seeds) > 1  # the seed matters


def test_risk_weight_gives_the_weighted_sampling_inclusion_probability(tmp_path):
    # 300 agents x 10 contacts, one with CSAT 1. Drawing one contact with weights w (risky) and 1 (others),
    # Efraimidis-Spirakis picks the risky one with probability w / (w + 9): 21/30 = 0.7 for w = 20 (1 + 20),
    # 1/10 unweighted. 300 independent agents: standard error 0.026; allow 4 of them.
    rows = [_row(f"A{a}", i, csat=1 if i == 0 else 5) for a in range(300) for i in range(10)]
    lake = _lake(tmp_path, rows)
    agents = [f"A{a}" for a in range(300)]
    args = dict(provider="PA", agents=agents, start=START, end=END, per_agent=1, stratify=False, seed=3)
    weighted = sampling.draw(lake, risk=Risk(low_csat=20), **args).drawn
    plain = sampling.draw(lake, **args).drawn
    share = sum(d.external_id.endswith("-0") for d in weighted) / len(weighted)
    assert abs(share - 0.7) < 4 * (0.7 * 0.3 / 300) ** 0.5
    share = sum(d.external_id.endswith("-0") for d in plain) / len(plain)
    assert abs(share - 0.1) < 4 * (0.1 * 0.9 / 300) ** 0.5


def test_each_risk_flag_adds_its_weight(tmp_path):
    rows = [_row("A1", i, handle=100.0) for i in range(20)]
    rows[5]["csat"] = 2  # low CSAT
    rows[19]["talk_seconds"] = 1000.0  # p90 of nineteen 100s and one 1000 = 100 + 0.1 x 900 = 190: only this one
    rows[19]["customer_key"] = "k"
    rows[3]["customer_key"] = "k"  # customer k came back (contact 19 is later the same week)
    rows[7]["customer_key"] = "k2"
    rows.append(_row("A9", 1, day=10, customer="k2"))  # k2 came back 10 days later: not a repeat
    lake = _lake(tmp_path, rows)
    drawn = sampling.draw(lake, provider="PA", agents=["A1"], start=START, end=END, per_agent=50, seed=1,
                          risk=Risk(low_csat=2, long_handle=3, repeat=5))  # fmt: skip
    weights = {d.external_id: d.weight for d in drawn.drawn}
    assert weights["A1-5"] == 3.0 and weights["A1-19"] == 4.0 and weights["A1-3"] == 6.0
    assert weights["A1-7"] == 1.0 and sum(w == 1.0 for w in weights.values()) == 17


@pytest.fixture
def week_lake(world):
    rows = [_row(world.agent_a.employee_id, i, provider=world.partner_a.code, day=1 + i % 3) for i in range(9)]
    lake = Lake(settings.LAKE_URI)
    commit_batches(lake, "interactions", pa.Table.from_pylist(rows, TABLES["interactions"].schema).to_batches())
    return lake


def test_a_plan_assigns_evaluators_in_turn_and_reports_workload_and_coverage(world, qa, week_lake):
    graders = [world.users["partner_a_qa"], world.users["client_analyst"]]
    plan = sampling_services.plan_create(
        actor=world.users["partner_a_lead"], name="Week 11", provider=world.partner_a,
        week_start=dt.date(2026, 3, 11), per_agent=4, evaluators=graders, seed=42,
    )  # fmt: skip
    assert plan.week_start == dt.date(2026, 3, 9) and plan.due_on == dt.date(2026, 3, 22) and plan.seed == 42
    assert plan.lake_version == week_lake.version("interactions")
    drawn = list(plan.assignments.order_by("pk"))
    assert len(drawn) == 4
    # in turn, by username: client_analyst, partner_a_qa, client_analyst, partner_a_qa
    assert [a.evaluator.username for a in drawn] == ["client_analyst", "partner_a_qa"] * 2
    again = sampling_services.plan_create(
        actor=world.users["partner_a_lead"], name="Week 11 again", provider=world.partner_a,
        week_start=dt.date(2026, 3, 9), per_agent=4, evaluators=graders, seed=42,
    )  # fmt: skip
    assert [a.interaction_id for a in again.assignments.order_by("pk")] == [a.interaction_id for a in drawn]

    # partner A's grader completes one of theirs
    mine = next(a for a in drawn if a.evaluator.username == "partner_a_qa")
    from concord.quality.selectors import interaction_to_evaluate

    found = interaction_to_evaluate(graders[0], world.agent_a, mine.interaction_source, mine.interaction_id)
    evaluation = services.evaluation_start(actor=graders[0], interaction=found, form_version=qa.current)
    services.evaluation_save(
        actor=graders[0], evaluation=evaluation, complete=True,
        ratings={"greeting": RatingInput(1), "verify": RatingInput(1), "empathy": RatingInput(3),
                 "accuracy": RatingInput(5), "upsell": RatingInput(None, True)},
    )  # fmt: skip
    workload, coverage, _ = sampling_services.progress(plan, today=dt.date(2026, 3, 23))
    assert [(w.evaluator, w.assigned, w.done, w.overdue) for w in workload] == [
        ("client_analyst", 2, 0, 2), ("partner_a_qa", 2, 1, 1),
    ]  # fmt: skip
    by_agent = {c.agent.pk: c for c in coverage}
    assert (by_agent[world.agent_a.pk].sampled, by_agent[world.agent_a.pk].evaluated) == (4, 1)
    assert by_agent[world.agent_a.pk].percent == 25.0


def test_plans_are_refused_clearly_and_scoped(world, qa, week_lake):
    lead = world.users["partner_a_lead"]
    base = dict(name="P", provider=world.partner_a, week_start=dt.date(2026, 3, 9), per_agent=2)
    with pytest.raises(ValidationError, match="cannot evaluate"):
        sampling_services.plan_create(actor=lead, evaluators=[world.users["partner_b_qa"]], **base)
    with pytest.raises(ValidationError, match="from 1 to 50"):
        sampling_services.plan_create(actor=lead, evaluators=[lead], **{**base, "per_agent": 0})
    with pytest.raises(Http404):
        sampling_services.plan_create(actor=world.users["partner_b_lead"], evaluators=[lead], **base)
    plan = sampling_services.plan_create(actor=lead, evaluators=[lead], **base)
    assert not sampling_services.plans(world.users["partner_b_lead"]).exists()
    with pytest.raises(Http404):
        sampling_services.plan(world.users["partner_b_lead"], plan.pk)


def test_looking_up_repeats_only_where_they_could_matter_draws_what_full_weights_draw(tmp_path):
    # 40 contacts, every other one by a customer who comes back two days later (a repeat)
    rows = []
    for i in range(40):
        rows.append(_row("A1", i, day=i % 5, customer=f"k{i}", contact_type=("ORD", "RET")[i % 2]))
        if i % 4 < 2:
            rows.append(_row("B1", 100 + i, day=i % 5 + 2, customer=f"k{i}"))
    lake = _lake(tmp_path, rows)
    args = dict(provider="PA", agents=["A1"], start=START, end=END, seed=9, risk=Risk(repeat=6), stratify=False)
    full = sampling.draw(lake, per_agent=100, **args).drawn  # no bound: every contact's repeat looked up
    assert sum(d.weight == 7.0 for d in full) == 20
    expected = sorted(full, key=lambda d: (d.key, d.source, d.external_id))[:3]
    drawn = sampling.draw(lake, per_agent=3, **args).drawn
    assert sorted(d.external_id for d in drawn) == sorted(d.external_id for d in expected)
