"""Completed evaluations land in the lake, and the QA score is a registry metric over them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from concord import metrics
from concord.lake.store import Lake
from concord.metrics import MetricRef, MetricRequest
from concord.quality import services
from concord.quality.services import RatingInput

from .conftest import interaction_of

GOOD = {
    "greeting": RatingInput(1),
    "verify": RatingInput(1),
    "empathy": RatingInput(4),
    "accuracy": RatingInput(7),
    "upsell": RatingInput(None, True),
}  # 82.5 % by hand (see test_scoring)


def _evaluate(user, agent, ratings, n, form, capture):
    evaluation = services.evaluation_start(actor=user, interaction=interaction_of(agent, n), form_version=form.current)
    with capture(execute=True):
        return services.evaluation_save(actor=user, evaluation=evaluation, ratings=ratings, complete=True)


def _qa_score(lake, *, versions=None, **request):
    today = dt.date.today()
    result = metrics.run(
        MetricRequest(
            metrics=request.pop("metrics", ["qa_score"]),
            start=today - dt.timedelta(days=1),
            end=today + dt.timedelta(days=1),
            versions=versions or {},
            **request,
        ),
        lake,
    )
    return result


def test_each_completion_and_change_lands_and_the_metric_averages_scored_evaluations(
    world, qa, django_capture_on_commit_callbacks
):
    lake = Lake(settings.LAKE_URI)
    grader, analyst = world.users["partner_a_qa"], world.users["client_analyst"]
    first = _evaluate(grader, world.agent_a, GOOD, 1, qa, django_capture_on_commit_callbacks)
    _evaluate(analyst, world.agent_b, {**GOOD, "verify": RatingInput(0)}, 2, qa, django_capture_on_commit_callbacks)
    rows = lake.read_arrow("evaluations").to_pylist()
    assert sorted((r["provider"], r["score_share"], r["evaluator_side"]) for r in rows) == [
        ("PA", 0.825, "partner"),
        ("PB", 0.0, "client"),
    ]
    version_before = lake.version("evaluations")
    # by hand: (82.5 + 0) / 2
    assert _qa_score(lake).rows[0].values["qa_score"].value == pytest.approx(41.25)

    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_save(actor=grader, evaluation=first, ratings={"empathy": RatingInput(5)})
    rows = {r["evaluation_id"]: r for r in lake.read_arrow("evaluations").to_pylist()}
    assert rows[first.pk]["revision"] == 2 and rows[first.pk]["score_share"] == pytest.approx(0.8875)
    assert _qa_score(lake).rows[0].values["qa_score"].value == pytest.approx((88.75 + 0) / 2)
    # an SLA that read the earlier lake version gets the earlier figure again
    pinned = _qa_score(lake, versions={"evaluations": version_before})
    assert pinned.rows[0].values["qa_score"].value == pytest.approx(41.25)


def test_by_provider_and_by_grader_side(world, qa, django_capture_on_commit_callbacks):
    lake = Lake(settings.LAKE_URI)
    _evaluate(world.users["partner_a_qa"], world.agent_a, GOOD, 1, qa, django_capture_on_commit_callbacks)
    _evaluate(world.users["client_analyst"], world.agent_a, {**GOOD, "greeting": RatingInput(0)}, 2, qa,
              django_capture_on_commit_callbacks)  # fmt: skip
    result = _qa_score(
        lake,
        metrics=["qa_score", MetricRef("qa_score", {"evaluator_side": "client"}, alias="client_graders")],
        group_by=["provider"],
    )
    (row,) = result.rows
    # client grader by hand: 5.6 of 8 = 70 %; both: (82.5 + 70) / 2
    assert row.dimensions == {"provider": "PA"}
    assert row.values["qa_score"].value == pytest.approx(76.25)
    assert row.values["client_graders"].value == pytest.approx(70.0)
    assert row.values["qa_score"].volume == 2


def test_all_na_evaluations_count_in_neither_mean_nor_volume(world, django_capture_on_commit_callbacks):
    from concord.quality.services import CriterionSpec, SectionSpec

    sections = [SectionSpec("Only", (CriterionSpec("x", "Optional", "yes_no", 1, na_allowed=True),))]
    form = services.form_create(actor=world.users["client_admin"], name="Tiny", sections=sections)
    _evaluate(world.users["client_admin"], world.agent_a, {"x": RatingInput(None, True)}, 1, form,
              django_capture_on_commit_callbacks)  # fmt: skip
    _evaluate(world.users["client_admin"], world.agent_a, {"x": RatingInput(1)}, 2, form,
              django_capture_on_commit_callbacks)  # fmt: skip
    value = _qa_score(Lake(settings.LAKE_URI)).rows[0].values["qa_score"]
    assert value.value == pytest.approx(100.0) and value.volume == 1


def test_drafts_are_not_facts(world, qa, django_capture_on_commit_callbacks):
    evaluation = services.evaluation_start(
        actor=world.users["partner_a_qa"], interaction=interaction_of(world.agent_a), form_version=qa.current
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_save(
            actor=world.users["partner_a_qa"], evaluation=evaluation, ratings={"greeting": RatingInput(1)}
        )
    assert Lake(settings.LAKE_URI).version("evaluations") is None
