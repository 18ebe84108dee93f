"""Milestone progress read from the data, and slippage against the plan: each date worked out by hand.

Plan: 2 Mar 2026 + 3 months (92 days), split 30/20/50: preparation 2-29 Mar, transition 30 Mar-16 Apr,
stabilisation 17 Apr-1 Jun (see test_transition_schedule). Reporting zone Europe/Madrid.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.knowledge import services as knowledge
from concord.knowledge.models import AgentCertification, ArticleVersion, TrainingPlan
from concord.knowledge.transition import progress, selectors, services
from concord.providers.models import Agent, Team

from .transition_helpers import make_plan

D = dt.date
UTC = dt.UTC


@pytest.fixture(autouse=True)
def _madrid(settings):
    settings.REPORTING_TIMEZONE = "Europe/Madrid"


def _row(report, kind):
    return next(m for m in report.milestones if m.milestone.kind == kind)


def test_default_milestones_sit_inside_their_phases(world):
    plan = make_plan(world)
    dues = {m.kind: (m.phase, m.due) for m in plan.milestones.all()}
    assert dues == {
        "articles_acknowledged": ("preparation", D(2026, 3, 18)),  # 28 days: 27 * 0.6 = 16.2 -> 16 days in
        "curriculum_delivered": ("preparation", D(2026, 3, 29)),
        "cohort_certified": ("transition", D(2026, 4, 3)),  # 17 * 0.25 = 4.25 -> 4
        "parallel_run": ("transition", D(2026, 4, 8)),
        "go_live": ("transition", D(2026, 4, 16)),
        "stabilisation_exit": ("stabilisation", D(2026, 6, 1)),
    }


def test_articles_acknowledged_is_met_on_the_local_day_of_the_acknowledgement_that_reached_the_target(world):
    # 4 agents of partner A x 2 articles asking for acknowledgement = 8 pairs; target 75% -> the 6th one counts
    agents = [world.agent_a] + [
        Agent.objects.create(provider=world.partner_a, site=world.site_a, team=world.team_a,
                             employee_id=f"PA-00{i}", display_name=f"A{i}", hire_date=D(2025, 1, 6))
        for i in (2, 3, 4)
    ]  # fmt: skip
    admin = world.users["client_admin"]
    versions = [
        knowledge.publish(user=admin, program=world.program_shared, data=knowledge.ArticleInput(
            slug=slug, title=slug, body="Steps.", requires_ack=True)).version
        for slug in ("refunds", "returns")
    ]  # fmt: skip
    ArticleVersion.objects.update(created_at=dt.datetime(2026, 3, 1, 8, tzinfo=UTC))
    versions = list(ArticleVersion.objects.order_by("pk"))
    times = [dt.datetime(2026, 3, d, 10, tzinfo=UTC) for d in (3, 4, 5, 6, 9)]
    times.append(dt.datetime(2026, 3, 16, 23, 30, tzinfo=UTC))  # the 6th: 17 March 00:30 in Madrid
    pairs = [(v, a) for a in agents for v in versions][:6]
    for (version, agent), at in zip(pairs, times, strict=True):
        knowledge.acknowledge(user=world.users["partner_a_lead"], version=version, agent=agent, at=at)
    plan = make_plan(world, targets={"articles_acknowledged": {"target_percent": 75}})
    row = _row(selectors.status(world.users["client_admin"], plan, today=D(2026, 3, 20)), "articles_acknowledged")
    assert row.progress.met_on == D(2026, 3, 17)
    assert row.progress.value == pytest.approx(75.0)  # 6 of 8
    assert (row.state, row.slip_days) == ("met", 0)  # due 18 March
    # at 80% the 7th acknowledgement is needed: still open on the 18th, two days late on the 20th
    later = make_plan(world, title="Second", targets={"articles_acknowledged": {"target_percent": 80}})
    row = _row(selectors.status(world.users["client_admin"], later, today=D(2026, 3, 20)), "articles_acknowledged")
    assert (row.progress.met_on, row.state, row.slip_days) == (None, "late", 2)
    assert "6 of 8 required acknowledgements over 2 article(s)" in row.progress.detail


def test_certifications_come_from_the_registered_source(world, monkeypatch):
    # a fake training source: one agent certified on 20 March, ten more on 8 April
    calls = []

    def certified_count(*, program, provider, as_of, since=None, certifications=None):
        calls.append((program.code, provider.code, since))
        return (as_of >= D(2026, 3, 20)) + 10 * (as_of >= D(2026, 4, 8))

    monkeypatch.setitem(progress.SOURCES, "certified_count", certified_count)
    plan = make_plan(world, targets={"cohort_certified": {"count": 11}})
    report = selectors.status(world.users["client_admin"], plan, today=D(2026, 4, 20))
    curriculum, cohort = _row(report, "curriculum_delivered"), _row(report, "cohort_certified")
    assert (curriculum.progress.met_on, curriculum.state, curriculum.slip_days) == (D(2026, 3, 20), "met", 0)
    assert (cohort.progress.met_on, cohort.state, cohort.slip_days) == (D(2026, 4, 8), "met late", 5)  # due 3 Apr
    # asked from the plan's start (2 March), and once over all time for the "before the start" note
    assert cohort.progress.value == 11 and set(calls) == {("SHARED", "PA", D(2026, 3, 2)), ("SHARED", "PA", None)}


def test_without_a_fake_the_milestone_reads_the_training_records(world, monkeypatch):
    # no agent of PA holds a certification in this world: the training selector counts 0, so the
    # cohort milestone is read (available) and not met, and it asked for PA on the plan's program
    from concord.knowledge.training import selectors as training

    calls = []
    real = training.certified_count

    def spy(**kwargs):
        calls.append((kwargs["program"].code, kwargs["provider"].code))
        return real(**kwargs)

    monkeypatch.delitem(progress.SOURCES, "certified_count", raising=False)
    monkeypatch.setattr(training, "certified_count", spy)
    plan = make_plan(world)
    row = _row(selectors.status(world.users["client_admin"], plan, today=D(2026, 3, 10)), "cohort_certified")
    assert row.progress.available and row.progress.value == 0 and row.progress.met_on is None
    assert set(calls) == {("SHARED", "PA")}


def test_acknowledgements_are_dated_from_the_pairs_the_share_counts(world):
    # A program-wide article (no contact type) for team PA-T1 only: PA-001, PA-002, PA-003 -> 3 pairs, 90%
    # needs all 3. PA-005 of team PA-T2 (not asked) acknowledges first, on 3 March; the team on 4, 5 and 9
    # March. Met on 9 March: counting PA-005 dated it 5 March, and the plan moving ORD left the article out.
    other = Team.objects.create(provider=world.partner_a, site=world.site_a, code="PA-T2", name="Other team")
    agents = [world.agent_a] + [
        Agent.objects.create(provider=world.partner_a, site=world.site_a, team=team, employee_id=code,
                             display_name=code, hire_date=D(2025, 1, 6))
        for code, team in (("PA-002", world.team_a), ("PA-003", world.team_a), ("PA-005", other))
    ]  # fmt: skip
    admin, lead = world.users["client_admin"], world.users["partner_a_lead"]
    knowledge.publish(user=admin, program=world.program_shared, data=knowledge.ArticleInput(
        slug="refunds", title="Refunds", body="Steps.", requires_ack=True, audience={"teams": ["PA-T1"]}))  # fmt: skip
    ArticleVersion.objects.update(created_at=dt.datetime(2026, 3, 1, 8, tzinfo=UTC))
    version = ArticleVersion.objects.get()
    for agent, day in zip([agents[3], *agents[:3]], (3, 4, 5, 9), strict=True):
        knowledge.acknowledge(user=lead, version=version, agent=agent, at=dt.datetime(2026, 3, day, 10, tzinfo=UTC))
    plan = make_plan(world, contact_types=("ORD",))
    row = _row(selectors.status(admin, plan, today=D(2026, 3, 20)), "articles_acknowledged")
    assert (row.progress.met_on, row.state, row.progress.value) == (D(2026, 3, 9), "met", pytest.approx(100.0))
    assert row.progress.detail == "3 of 3 required acknowledgements over 1 article(s)."
    # a plan begun after all three: the milestone is met on its first day, not before it, and says why
    later = make_plan(world, title="Later", start=D(2026, 3, 16), contact_types=("ORD",))
    row = _row(selectors.status(admin, later, today=D(2026, 3, 20)), "articles_acknowledged")
    assert row.progress.met_on == D(2026, 3, 16)
    assert row.progress.detail.endswith("Enough were given before the plan began: met on its first day, 2026-03-16.")


def _certify(world, code, key, on, until=None):
    agent = Agent.objects.filter(employee_id=code).first() or Agent.objects.create(
        provider=world.partner_a, site=world.site_a, team=world.team_a, employee_id=code, display_name=code,
        hire_date=D(2025, 1, 6))  # fmt: skip
    AgentCertification.objects.create(program=world.program_shared, certification=key, agent=agent,
                                       provider=world.partner_a, certified_on=on,
                                       expires_on=until or D(2027, 1, 1))  # fmt: skip


def test_certification_milestones_count_the_plans_cohort_only(world):
    # Partner A already serves the program: PA-001 holds the ORD gate's certification since June 2025 and
    # renews it on 20 March (a renewal, not a new cohort). Since the plan's start (2 March): PA-002 earned
    # another certification (no gate of ORD asks for it) on 5 March, PA-003 and PA-004 the ORD gate's on
    # 10 March and 6 April.
    TrainingPlan.objects.create(program=world.program_shared, number=1, digest="x", spec={
        "assessments": [], "curricula": [], "certifications": [{"key": "orders-cert"}, {"key": "other-cert"}],
        "gates": [{"contact_type": "ORD", "certification": "orders-cert"}]})  # fmt: skip
    _certify(world, world.agent_a.employee_id, "orders-cert", D(2025, 6, 1), until=D(2026, 6, 1))
    _certify(world, world.agent_a.employee_id, "orders-cert", D(2026, 3, 20), until=D(2027, 3, 20))
    _certify(world, "PA-002", "other-cert", D(2026, 3, 5))
    _certify(world, "PA-003", "orders-cert", D(2026, 3, 10))
    _certify(world, "PA-004", "orders-cert", D(2026, 4, 6))
    admin = world.users["client_admin"]
    plan = make_plan(world, contact_types=("ORD",), targets={"cohort_certified": {"count": 2}})
    # on the plan's first day nobody of its cohort is certified: the old certification does not meet it
    first_day = selectors.status(admin, plan, today=D(2026, 3, 2))
    assert (_row(first_day, "curriculum_delivered").progress.met_on, _row(first_day, "curriculum_delivered").state) \
        == (None, "open")  # fmt: skip
    assert _row(first_day, "curriculum_delivered").progress.value == 0
    report = selectors.status(admin, plan, today=D(2026, 4, 20))
    curriculum, cohort = _row(report, "curriculum_delivered"), _row(report, "cohort_certified")
    assert (curriculum.progress.met_on, curriculum.state) == (D(2026, 3, 10), "met")  # due 29 March
    assert (cohort.progress.met_on, cohort.state, cohort.slip_days) == (D(2026, 4, 6), "met late", 3)  # due 3 April
    assert cohort.progress.value == 2
    assert cohort.progress.detail == (
        "2 agent(s) of Partner A newly certified since the plan's start (2026-03-02) for orders-cert "
        "(the gate of ORD). 1 certified before it (or renewing) not counted."
    )
    # a plan naming no contact type: any certification of the program earned since its start (5, 10 March)
    whole = make_plan(world, title="Whole program", targets={"cohort_certified": {"count": 2}})
    report = selectors.status(admin, whole, today=D(2026, 4, 20))
    assert _row(report, "curriculum_delivered").progress.met_on == D(2026, 3, 5)
    assert (_row(report, "cohort_certified").progress.met_on, _row(report, "cohort_certified").progress.value) == (
        D(2026, 3, 10), 3)  # fmt: skip


def test_go_live_is_a_decision_recorded_with_a_note(world):
    plan = make_plan(world)
    go_live = plan.milestones.get(kind="go_live")
    admin = world.users["client_admin"]
    with pytest.raises(ValidationError, match="what was decided"):
        services.record_decision(user=admin, milestone=go_live, decided_on=D(2026, 4, 20), note=" ")
    with pytest.raises(PermissionDenied):
        services.record_decision(user=world.users["partner_a_lead"], milestone=go_live, decided_on=D(2026, 4, 20),
                                 note="We are ready")  # fmt: skip
    with pytest.raises(ValidationError, match="met by the data"):
        services.record_decision(user=admin, milestone=plan.milestones.get(kind="parallel_run"),
                                 decided_on=D(2026, 4, 1), note="ticked by hand")  # fmt: skip
    services.record_decision(user=admin, milestone=go_live, decided_on=D(2026, 4, 20), note="Go: steering 20 Apr")
    row = _row(selectors.status(admin, plan, today=D(2026, 5, 1)), "go_live")
    assert (row.progress.met_on, row.state, row.slip_days) == (D(2026, 4, 20), "met late", 4)  # due 16 Apr
    assert row.progress.detail == "Go: steering 20 Apr"


def test_a_due_date_moves_only_inside_its_phase(world):
    plan = make_plan(world)
    parallel = plan.milestones.get(kind="parallel_run")
    with pytest.raises(ValidationError, match="transition phase runs from 2026-03-30 to 2026-04-16"):
        services.set_due(user=world.users["client_admin"], milestone=parallel, due=D(2026, 4, 17))
    services.set_due(user=world.users["client_admin"], milestone=parallel, due=D(2026, 4, 16))
    parallel.refresh_from_db()
    assert parallel.due == D(2026, 4, 16)


def test_a_new_split_moves_the_milestones_that_left_their_phase(world):
    plan = make_plan(world)
    data = services.PlanInput(title=plan.title, program="SHARED", provider="PA", start=plan.start, months=3,
                              split_percent=(50, 20, 30))  # fmt: skip
    services.update_plan(user=world.users["client_admin"], plan=plan, data=data)
    # 92 days: 46 -> transition 17 Apr-4 May; 70% = 64.4 -> 64 -> stabilisation from 5 May
    dues = {m.kind: m.due for m in plan.milestones.all()}
    assert dues == {
        "articles_acknowledged": D(2026, 3, 18),  # still inside the (longer) preparation: kept
        "curriculum_delivered": D(2026, 3, 29),  # kept too
        "cohort_certified": D(2026, 4, 21),  # left the transition: back to its default, 4 of 17 days in
        "parallel_run": D(2026, 4, 26),
        "go_live": D(2026, 5, 4),
        "stabilisation_exit": D(2026, 6, 1),
    }
