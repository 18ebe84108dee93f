"""The readiness gate, what each agent still misses, certification states and the certified count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from concord.knowledge import services as kb
from concord.knowledge import tree_services
from concord.knowledge.models import AgentCertification
from concord.knowledge.training import selectors, services

from .conftest import document

AS_OF = dt.date(2026, 3, 20)


def _missing(world, user="client_admin", **kwargs):
    rows = selectors.readiness(
        world.users[user], program=world.program_shared, contact_type="ORD", as_of=kwargs.pop("as_of", AS_OF), **kwargs
    )
    return {r.agent.employee_id: r.missing for r in rows}


def _certify(world, agent, start, end):
    return AgentCertification.objects.create(
        program=world.program_shared, certification="returns-cert", agent=agent, provider=agent.provider,
        certified_on=start, expires_on=end,
    )  # fmt: skip


def test_an_untrained_agent_misses_every_part_of_the_gate(world, trained):
    missing = _missing(world)["PA-001"]
    assert missing == [
        "Module not done: acknowledge article 'refunds' v2 or later.",
        "Module not done: walk decision tree 'payment' to an outcome.",
        "Module not done: pass assessment 'returns'.",
        "Module not done: Shadow a senior agent (8.00 h shadowing/nesting recorded by a trainer or lead).",
        "Not certified: 'Returns desk'.",
    ]  # hired 2025-01-06: 438 days, past the 14-day nesting period


def test_each_record_clears_its_line_until_the_agent_is_ready(world, trained):
    from concord import reporting

    lead, agent_user, program = world.users["partner_a_lead"], world.users["partner_a_agent"], world.program_shared
    today = reporting.today()  # the acknowledgement and the walk happen now, so readiness is asked for today
    version = trained.program.articles.get(slug="refunds").current
    kb.acknowledge(user=agent_user, version=version)
    walk = tree_services.start_walk(user=agent_user, version=program.decision_trees.get(slug="payment").current)
    tree_services.answer(user=agent_user, walk=walk, at_node="q", choice=1)
    passed_at = dt.datetime.combine(today - dt.timedelta(days=10), dt.time(12), tzinfo=reporting.zone())
    services.record_result(user=lead, agent=world.agent_a, program=program, assessment="returns",
                           score_percent=Decimal(90), taken_at=passed_at)  # fmt: skip
    services.record_shadowing(user=lead, agent=world.agent_a, program=program, module="shadow",
                              on=today - dt.timedelta(days=3), hours=Decimal("5"))  # fmt: skip
    assert _missing(world, as_of=today)["PA-001"] == [
        "Module not done: Shadow a senior agent (8.00 h shadowing/nesting recorded by a trainer or lead).",
    ]  # 5 of 8 hours; the pass 10 days ago certified the agent
    services.record_shadowing(user=lead, agent=world.agent_a, program=program, module="shadow",
                              on=today - dt.timedelta(days=2), hours=Decimal("3"))  # fmt: skip
    assert _missing(world, as_of=today)["PA-001"] == []
    ready = selectors.ready_agents(user=world.users["client_admin"], program=program, contact_type="ORD", as_of=today)
    assert [a.employee_id for a in ready] == ["PA-001"]
    # 11 days ago: no acknowledgement, walk, pass, certificate nor shadowing yet
    assert len(_missing(world, as_of=today - dt.timedelta(days=11))["PA-001"]) == 5


def test_nesting_counts_days_since_the_recorded_start(world, trained):
    services.save_plan(user=world.users["client_admin"], program=world.program_shared,
                       document=document(nesting_from="nesting_start"))  # fmt: skip
    assert "Nesting start not recorded." in _missing(world)["PA-001"]
    services.record_nesting_start(user=world.users["partner_a_lead"], agent=world.agent_a,
                                  program=world.program_shared, started_on=dt.date(2026, 3, 11))  # fmt: skip
    assert "Nesting: 9 of 14 days since nesting start." in _missing(world)["PA-001"]  # 11 -> 20 March


def test_qa_floor_reads_the_mean_of_completed_evaluations_in_the_window(world, trained):
    from concord.quality.models import Evaluation, FormVersion, QaForm

    services.save_plan(user=world.users["client_admin"], program=world.program_shared,
                       document=document(qa_floor_percent=85, qa_window_days=30))  # fmt: skip
    assert "No completed QA evaluation in the last 30 days." in _missing(world)["PA-001"]
    version = FormVersion.objects.create(form=QaForm.objects.create(name="QA"), number=1)
    for n, (score, day) in enumerate([(90, 18), (78, 10), (50, 1)]):
        Evaluation.objects.create(
            form_version=version, provider=world.partner_a, agent=world.agent_a, interaction_source="s",
            interaction_id=str(n), interaction_at=dt.datetime(2026, 2 if day == 1 else 3, day, 10, tzinfo=dt.UTC),
            evaluator=world.users["client_admin"], status="completed", score=Decimal(score),
        )  # fmt: skip
    # the window is 19 Feb - 20 Mar: 1 Feb is out; (90 + 78) / 2 = 84 % < 85 %
    assert "QA score 84.0% is below the 85% floor (last 30 days, 2 evaluations)." in _missing(world)["PA-001"]


def test_a_partner_sees_only_its_agents_and_the_client_sees_all(world, trained):
    assert set(_missing(world)) == {"INT-001", "PA-001", "PB-001"}
    assert set(_missing(world, "partner_a_lead")) == {"PA-001"}


def test_certification_states_on_the_roster(world, trained):
    _certify(world, world.agent_a, dt.date(2025, 4, 1), dt.date(2026, 4, 1))  # 12 days left: expiring soon
    _certify(world, world.agent_b, dt.date(2025, 1, 1), dt.date(2026, 1, 1))  # expired
    rows = selectors.certification_states(world.users["client_admin"], program=world.program_shared, as_of=AS_OF)
    assert {r.agent.employee_id: (r.state, r.expires_on) for r in rows} == {
        "INT-001": ("not_certified", None),
        "PA-001": ("expiring_soon", dt.date(2026, 4, 1)),
        "PB-001": ("expired", dt.date(2026, 1, 1)),
    }
    assert "Certification 'Returns desk' expired on 2026-01-01." in _missing(world)["PB-001"]
    # an expiring certification still counts as certified at the gate
    assert not [m for m in _missing(world)["PA-001"] if "ertif" in m]


def test_certified_count_on_a_day(world, trained):
    _certify(world, world.agent_a, dt.date(2025, 6, 1), dt.date(2026, 6, 1))
    _certify(world, world.agent_b, dt.date(2025, 6, 1), dt.date(2026, 6, 1))
    count = selectors.certified_count
    assert count(program=world.program_shared, provider=world.partner_a, as_of=dt.date(2025, 5, 31)) == 0
    assert count(program=world.program_shared, provider=world.partner_a, as_of=dt.date(2025, 6, 1)) == 1
    assert count(program=world.program_shared, provider=world.partner_a, as_of=dt.date(2026, 5, 31)) == 1
    assert count(program=world.program_shared, provider=world.partner_a, as_of=dt.date(2026, 6, 1)) == 0
    world.agent_a.exit_date = dt.date(2026, 1, 15)
    world.agent_a.save()
    assert count(program=world.program_shared, provider=world.partner_a, as_of=dt.date(2026, 1, 14)) == 1
    assert count(program=world.program_shared, provider=world.partner_a, as_of=dt.date(2026, 1, 15)) == 0
    assert count(program=world.program_b_only, provider=world.partner_b, as_of=dt.date(2026, 1, 1)) == 0


def test_certified_trend_counts_holders_at_each_month_end(world, trained):
    _certify(world, world.agent_a, dt.date(2025, 6, 1), dt.date(2026, 1, 1))
    rows = selectors.certified_trend(world.users["partner_a_lead"], program=world.program_shared, as_of=AS_OF)
    assert {r["provider"] for r in rows} == {"Partner A"}  # a partner sees its own line only
    assert [(r["day"], r["certified"]) for r in rows] == [
        ("2025-04-30", 0), ("2025-05-31", 0), ("2025-06-30", 1), ("2025-07-31", 1), ("2025-08-31", 1),
        ("2025-09-30", 1), ("2025-10-31", 1), ("2025-11-30", 1), ("2025-12-31", 1), ("2026-01-31", 0),
        ("2026-02-28", 0), ("2026-03-20", 0),
    ]  # fmt: skip


def test_ready_agents_takes_a_contact_type_or_its_code(world, trained):
    by_object = selectors.ready_agents(user=world.users["client_admin"], program=world.program_shared,
                                       contact_type=world.contact_type_shared, as_of=AS_OF)  # fmt: skip
    assert (
        by_object
        == []
        == selectors.ready_agents(
            user=world.users["client_admin"], program=world.program_shared, contact_type="ORD", as_of=AS_OF
        )
    )
