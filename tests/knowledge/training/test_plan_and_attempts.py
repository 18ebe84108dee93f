"""Saving a plan, taking an assessment, the attempt rules and the certificate a pass awards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from concord.accounts.models import AuditEntry
from concord.knowledge.models import AgentCertification, Attempt, TrainingPlan
from concord.knowledge.training import marking, services

from .conftest import BANK, document

NOON = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


def _right(attempt, wrong: int = 0) -> dict:
    """Answers: all right except the first ``wrong`` questions."""
    out = {}
    for n, q in enumerate(attempt.questions):
        out[q["key"]] = (
            q["correct"] if n >= wrong else [c for c in range(len(q["choices"])) if c not in q["correct"]][:1]
        )
    return out


def test_the_same_plan_twice_changes_nothing_and_a_change_makes_v2(world, trained):
    admin = world.users["client_admin"]
    again, created = services.save_plan(user=admin, program=world.program_shared, document=document())
    assert (again.pk, created) == (trained.pk, False)
    v2, created = services.save_plan(user=admin, program=world.program_shared, document=document(nesting_days=7))
    assert created and v2.number == 2
    assert AuditEntry.objects.filter(object_type="knowledge.trainingplan").count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["curricula"][0]["modules"][0].update(article="nope"),
            "curricula[0].modules[0].article: no article",
        ),
        (lambda d: d["curricula"][0]["modules"][0].update(version=3), "modules[0].version: 'refunds' has no version 3"),
        (lambda d: d["curricula"][0]["modules"][1].update(tree="nope"), "modules[1].tree: no decision tree 'nope'"),
        (lambda d: d["assessments"][0]["questions"][0].update(correct=[0, 1]), "exactly one right answer"),
        (lambda d: d["assessments"][0].update(questions_per_attempt=9), "9 drawn but the bank holds 4"),
        (lambda d: d["gates"][0].update(contact_type="XX"), "gates[0].modules: no curriculum for contact type"),
        (lambda d: d["gates"][0].update(qa_floor_percent=120), "gates[0].qa_floor_percent: a percentage"),
    ],
)
def test_a_bad_plan_is_refused_naming_the_place(world, trained, change, message):
    doc = document()
    change(doc)
    with pytest.raises(ValidationError) as refused:
        services.save_plan(user=world.users["client_admin"], program=world.program_shared, document=doc)
    assert message in str(refused.value)
    assert TrainingPlan.objects.count() == 1


def test_only_the_client_defines_training(world, trained):
    with pytest.raises(PermissionDenied):
        services.save_plan(user=world.users["partner_a_lead"], program=world.program_shared, document=document())


def test_an_attempt_draws_and_stores_its_questions_reproducibly(world, trained):
    agent_user = world.users["partner_a_agent"]
    attempt = services.start_attempt(user=agent_user, program=world.program_shared, assessment="returns", now=NOON)
    assert len(attempt.questions) == 3
    assert [q["key"] for q in attempt.questions] == [q["key"] for q in marking.draw(BANK, 3, attempt.seed)]
    # a second click returns the open attempt, not a second draw
    again = services.start_attempt(user=agent_user, program=world.program_shared, assessment="returns", now=NOON)
    assert again.pk == attempt.pk and Attempt.objects.count() == 1


def test_a_fail_then_the_cool_down_then_the_last_attempt(world, trained):
    agent_user, program = world.users["partner_a_agent"], world.program_shared
    first = services.start_attempt(user=agent_user, program=program, assessment="returns", now=NOON)
    first = services.submit_attempt(user=agent_user, attempt=first, answers=_right(first, wrong=1), now=NOON)
    # 2 of 3 right = 66.67 % < 80 %
    assert (first.score_percent, first.passed) == (Decimal("66.67"), False)
    again = services.submit_attempt(user=agent_user, attempt=first, answers=_right(first), now=NOON)
    assert again.score_percent == Decimal("66.67")  # a marked attempt is not re-marked
    with pytest.raises(ValidationError, match="next attempt opens at 2026-03-11 13:00"):  # Madrid is UTC+1 in March
        services.start_attempt(user=agent_user, program=program, assessment="returns", now=NOON + dt.timedelta(hours=2))
    later = NOON + dt.timedelta(hours=25)
    second = services.start_attempt(user=agent_user, program=program, assessment="returns", now=later)
    services.submit_attempt(user=agent_user, attempt=second, answers=_right(second, wrong=3), now=later)
    with pytest.raises(ValidationError, match="All 2 attempts"):
        services.start_attempt(user=agent_user, program=program, assessment="returns", now=later + dt.timedelta(days=3))
    assert not AgentCertification.objects.exists()


def test_a_pass_certifies_for_the_valid_months(world, trained):
    agent_user = world.users["partner_a_agent"]
    attempt = services.start_attempt(user=agent_user, program=world.program_shared, assessment="returns", now=NOON)
    attempt = services.submit_attempt(user=agent_user, attempt=attempt, answers=_right(attempt), now=NOON)
    assert (attempt.score_percent, attempt.passed) == (Decimal("100.00"), True)
    award = AgentCertification.objects.get()
    assert (award.agent, award.certified_on, award.expires_on) == (
        world.agent_a,
        dt.date(2026, 3, 10),
        dt.date(2027, 3, 10),
    )


def test_another_agents_attempt_is_404_and_unchanged(world, trained):
    from tests.conftest import make_user

    from concord.accounts.access import LOGIN_SOURCE
    from concord.providers.models import AgentExternalId

    other = make_user("b_agent", "agent", world.partner_b)
    AgentExternalId.objects.create(
        agent=world.agent_b, provider=world.partner_b, source=LOGIN_SOURCE, external_id="b_agent"
    )
    mine = services.start_attempt(
        user=world.users["partner_a_agent"], program=world.program_shared, assessment="returns"
    )
    with pytest.raises(Http404):
        services.submit_attempt(user=other, attempt=mine, answers=_right(mine))
    mine.refresh_from_db()
    assert mine.submitted_at is None


def test_an_lms_result_is_marked_against_the_pass_mark_once(world, trained):
    lead = world.users["partner_a_lead"]
    at = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)
    kwargs = dict(user=lead, agent=world.agent_a, program=world.program_shared, assessment="returns", taken_at=at)
    failed, created = services.record_result(score_percent=Decimal("79.99"), **kwargs)
    assert created and failed.passed is False
    passed, _ = services.record_result(score_percent=Decimal("80"), **{**kwargs, "taken_at": at + dt.timedelta(days=1)})
    assert passed.passed is True
    same, created = services.record_result(
        score_percent=Decimal("80"), **{**kwargs, "taken_at": at + dt.timedelta(days=1)}
    )
    assert (same.pk, created) == (passed.pk, False)
    assert AgentCertification.objects.get().certified_on == dt.date(2026, 2, 2)
    with pytest.raises(Http404):  # partner A's lead cannot record for partner B's agent
        services.record_result(score_percent=Decimal(90), **{**kwargs, "agent": world.agent_b})
    assert Attempt.objects.count() == 2
