"""Forms and evaluations through the services: versions, scoring, access, idempotence."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from concord.accounts.models import AuditEntry
from concord.quality import selectors, services
from concord.quality.models import Evaluation, FormVersion
from concord.quality.services import CriterionSpec, RatingInput, SectionSpec

from .conftest import SECTIONS, interaction_of

GOOD = {
    "greeting": RatingInput(1),
    "verify": RatingInput(1),
    "empathy": RatingInput(4),
    "accuracy": RatingInput(7, comment="Missed the refund window"),
    "upsell": RatingInput(None, True),
}


def _evaluate(user, agent, ratings=GOOD, n=1, form=None):
    version = (form or _form()).current
    evaluation = services.evaluation_start(actor=user, interaction=interaction_of(agent, n), form_version=version)
    return services.evaluation_save(actor=user, evaluation=evaluation, ratings=ratings, complete=True)


def _form():
    from concord.quality.models import QaForm

    return QaForm.objects.get()


def test_a_completed_evaluation_is_scored_by_hand_computation(world, qa):
    evaluation = _evaluate(world.users["partner_a_qa"], world.agent_a)
    # greeting 1x1 + verify 2x1 + empathy 2x0.75 + accuracy 3x0.7 = 6.6 of 8 (upsell N/A)
    assert float(evaluation.score) == 82.5
    assert evaluation.status == "completed" and evaluation.revision == 1
    assert evaluation.answers.get(criterion__code="accuracy").comment == "Missed the refund window"


def test_critical_fail_scores_zero(world, qa):
    evaluation = _evaluate(world.users["client_analyst"], world.agent_b, {**GOOD, "verify": RatingInput(0)})
    assert float(evaluation.score) == 0 and evaluation.critical_failed


def test_a_form_change_makes_a_new_version_and_old_evaluations_keep_theirs(world, qa):
    grader = world.users["partner_a_qa"]
    before = _evaluate(grader, world.agent_a, n=1)
    # mid-period the client doubles accuracy's weight and drops the upsell question
    revised = [
        SECTIONS[0],
        SectionSpec(
            "Resolution",
            (
                CriterionSpec("empathy", "Shows empathy", "one_to_five", 2),
                CriterionSpec("accuracy", "Gives an accurate answer", "points", 6, max_points=10),
            ),
        ),
    ]
    version = services.form_revise(actor=world.users["client_admin"], form=qa, sections=revised, note="Accuracy x2")
    assert version.number == 2
    after = _evaluate(grader, world.agent_a, {k: v for k, v in GOOD.items() if k != "upsell"}, n=2)
    before.refresh_from_db()
    assert before.form_version.number == 1 and float(before.score) == 82.5
    # v2 by hand: 1 + 2 + 2x0.75 + 6x0.7 = 8.7 of 11
    assert after.form_version == version and float(after.score) == pytest.approx(79.09, abs=0.005)
    # the same content again makes no third version
    again = services.form_revise(actor=world.users["client_admin"], form=qa, sections=revised)
    assert again == version and FormVersion.objects.count() == 2


def test_all_na_evaluation_has_no_score(world, qa):
    sections = [SectionSpec("Only", (CriterionSpec("x", "Optional thing", "yes_no", 1, na_allowed=True),))]
    form = services.form_create(actor=world.users["client_admin"], name="Tiny", sections=sections)
    evaluation = _evaluate(world.users["client_analyst"], world.agent_a, {"x": RatingInput(None, True)}, form=form)
    assert evaluation.status == "completed" and evaluation.score is None


def test_completing_needs_every_criterion_and_names_the_missing_one(world, qa):
    grader = world.users["partner_a_qa"]
    interaction = interaction_of(world.agent_a)
    evaluation = services.evaluation_start(actor=grader, interaction=interaction, form_version=qa.current)
    partial = {"greeting": RatingInput(1)}
    with pytest.raises(ValidationError, match="Verifies identity"):
        services.evaluation_save(actor=grader, evaluation=evaluation, ratings=partial, complete=True)
    evaluation.refresh_from_db()
    assert evaluation.status == "draft" and evaluation.answers.count() == 0
    services.evaluation_save(actor=grader, evaluation=evaluation, ratings=partial)  # a draft may be partial
    assert evaluation.answers.count() == 1


def test_bad_answers_are_refused_and_change_nothing(world, qa):
    grader = world.users["partner_a_qa"]
    evaluation = _evaluate(grader, world.agent_a)
    for bad, message in (
        ({"empathy": RatingInput(9)}, "off the scale"),
        ({"greeting": RatingInput(None, True)}, "N/A is not allowed"),
        ({"nonsense": RatingInput(1)}, "no criterion nonsense"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.evaluation_save(actor=grader, evaluation=evaluation, ratings=bad)
    evaluation.refresh_from_db()
    assert float(evaluation.score) == 82.5 and evaluation.revision == 1


def test_the_same_save_twice_changes_nothing(world, qa):
    grader = world.users["partner_a_qa"]
    evaluation = _evaluate(grader, world.agent_a)
    audits = AuditEntry.objects.count()
    again = services.evaluation_save(actor=grader, evaluation=evaluation, ratings=GOOD, complete=True)
    assert again.revision == 1 and AuditEntry.objects.count() == audits
    # and starting the same interaction again returns the same evaluation
    same = services.evaluation_start(actor=grader, interaction=interaction_of(world.agent_a), form_version=qa.current)
    assert same.pk == evaluation.pk and Evaluation.objects.count() == 1


def test_changing_a_completed_evaluation_rescores_and_counts_a_revision(world, qa):
    grader = world.users["partner_a_qa"]
    evaluation = _evaluate(grader, world.agent_a)
    changed = services.evaluation_save(actor=grader, evaluation=evaluation, ratings={"empathy": RatingInput(5)})
    # 6.6 + 2x0.25 = 7.1 of 8
    assert float(changed.score) == 88.75 and changed.revision == 2


def test_partner_qa_evaluates_only_its_own_agents(world, qa):
    grader = world.users["partner_a_qa"]
    with pytest.raises(Http404):
        services.evaluation_start(actor=grader, interaction=interaction_of(world.agent_b), form_version=qa.current)
    assert Evaluation.objects.count() == 0
    with pytest.raises(Http404):
        selectors.evaluable_agent(grader, world.agent_b.pk)


def test_client_qa_evaluates_everyone(world, qa):
    analyst = world.users["client_analyst"]
    _evaluate(analyst, world.agent_a, n=1)
    _evaluate(analyst, world.agent_b, n=2)
    assert Evaluation.objects.filter(evaluator=analyst).count() == 2


def test_roles_without_evaluate_and_other_graders_cannot_change_an_evaluation(world, qa):
    evaluation = _evaluate(world.users["partner_a_qa"], world.agent_a)
    for persona in ("client_viewer", "partner_a_agent", "client_analyst"):
        with pytest.raises(PermissionDenied):
            services.evaluation_save(
                actor=world.users[persona], evaluation=evaluation, ratings={"empathy": RatingInput(1)}
            )
    with pytest.raises(Http404):  # the other partner does not learn it exists
        services.evaluation_save(
            actor=world.users["partner_b_qa"], evaluation=evaluation, ratings={"empathy": RatingInput(1)}
        )
    evaluation.refresh_from_db()
    assert float(evaluation.score) == 82.5 and evaluation.revision == 1


def test_an_agent_sees_only_their_own_evaluations(world, qa):
    from concord.providers.models import Agent

    colleague = Agent.objects.create(
        provider=world.partner_a, employee_id="PA-002", display_name="Colleague", hire_date=world.agent_a.hire_date
    )
    grader = world.users["partner_a_qa"]
    own = _evaluate(grader, world.agent_a, n=1)
    theirs = _evaluate(grader, colleague, n=2)
    agent_user = world.users["partner_a_agent"]
    assert list(selectors.evaluations(agent_user)) == [own]
    with pytest.raises(Http404):
        selectors.evaluation(agent_user, theirs.pk)
    assert selectors.evaluation(agent_user, own.pk) == own
    # partner B's lead sees none of partner A's
    assert not selectors.evaluations(world.users["partner_b_lead"]).exists()
    assert set(selectors.evaluations(world.users["client_viewer"])) == {own, theirs}


def test_only_the_client_edits_the_form(world, qa):
    with pytest.raises(PermissionDenied):
        services.form_revise(actor=world.users["partner_a_lead"], form=qa, sections=SECTIONS[:1])
    assert FormVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ([], "at least one section"),
        ([SectionSpec("Empty", ())], "Section 1 \\(Empty\\): add at least one criterion"),
        (
            [SectionSpec("S", (CriterionSpec("a", "A", "yes_no", 1), CriterionSpec("a", "B", "yes_no", 1)))],
            "criterion 2: code 'a' is used twice",
        ),
        ([SectionSpec("S", (CriterionSpec("a", "A", "points", 1),))], "criterion 1: A: a points criterion needs"),
        ([SectionSpec("S", (CriterionSpec("Bad Code", "A", "yes_no", 1),))], "must be lower-case"),
    ],
)
def test_forms_that_cannot_be_scored_are_refused_with_where(world, sections, message):
    with pytest.raises(ValidationError, match=message):
        services.form_create(actor=world.users["client_admin"], name="Broken", sections=sections)
