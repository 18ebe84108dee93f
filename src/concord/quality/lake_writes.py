"""Completed evaluations into the lake's ``evaluations`` table, so the QA score is a metric like the others.

Each completion or change of a completed evaluation is upserted by evaluation id (the newer
revision wins); the table's Delta versions keep every earlier state, so an SLA on the QA
score reproduces from the lake version it read.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

import pyarrow as pa
from django.conf import settings

from concord.lake.schemas import EVALUATIONS
from concord.lake.store import Lake
from concord.lake.write import CommitResult, commit_batches

from .models import Evaluation

log = logging.getLogger(__name__)


def evaluation_row(evaluation: Evaluation) -> dict:
    agent = evaluation.agent
    evaluated_at = evaluation.completed_at
    possible = _weights(evaluation)
    return {
        "evaluation_id": evaluation.pk,
        "revision": evaluation.revision,
        "provider": evaluation.provider.code,
        "site": agent.site.code if agent.site_id else None,
        "team": agent.team.code if agent.team_id else None,
        "agent": agent.employee_id,
        "program": evaluation.program or None,
        "contact_type": evaluation.contact_type or None,
        "channel": evaluation.channel or None,
        "interaction_source": evaluation.interaction_source,
        "interaction_id": evaluation.interaction_id,
        "interaction_at": evaluation.interaction_at,
        "evaluated_at": evaluated_at,
        "evaluator": evaluation.evaluator.username,
        "evaluator_side": evaluation.evaluator_side,
        "form": evaluation.form_version.form.name,
        "form_version": evaluation.form_version.number,
        "score_share": None if evaluation.score is None else float(evaluation.score) / 100.0,
        "critical_failed": evaluation.critical_failed,
        "earned_weight": possible[0],
        "possible_weight": possible[1],
        "updated_at": evaluation.updated_at or dt.datetime.now(dt.UTC),
        "evaluated_month": evaluated_at.astimezone(dt.UTC).strftime("%Y-%m"),
    }


def _weights(evaluation: Evaluation) -> tuple[float | None, float | None]:
    from . import scoring

    rules = {r.code: r for r in evaluation.form_version.rules()}
    ratings = {
        a.criterion.code: scoring.Rating(None if a.value is None else float(a.value), a.not_applicable)
        for a in evaluation.answers.select_related("criterion")
    }
    try:
        result = scoring.score(list(rules.values()), ratings)
    except scoring.RatingError:
        return None, None
    return result.earned, result.possible


def publish(evaluations: Iterable[Evaluation], lake: Lake | None = None) -> CommitResult | None:
    """Upsert the completed ones; drafts are not facts yet."""
    rows = [
        evaluation_row(e) for e in evaluations if e.status == Evaluation.Status.COMPLETED and e.completed_at is not None
    ]
    if not rows:
        return None
    table = pa.Table.from_pylist(rows, schema=EVALUATIONS.schema)
    return commit_batches(lake or Lake(settings.LAKE_URI), EVALUATIONS.name, table.to_batches())


def publish_after_commit(evaluation_id: int) -> None:
    """The saved evaluation into the lake. The record is already committed, so a lake that
    cannot be written (another writer's conflicting commit) is logged, not shown as a failed
    save; ``publish_all`` writes every completed evaluation again and changes nothing for rows
    already there."""
    try:
        publish([Evaluation.objects.select_related("agent__site", "agent__team", "provider").get(pk=evaluation_id)])
    except Exception:
        log.exception("evaluation %s saved but not yet in the lake; run publish_all to catch up", evaluation_id)


def publish_all(lake: Lake | None = None) -> CommitResult | None:
    qs = Evaluation.objects.filter(status=Evaluation.Status.COMPLETED).select_related(
        "agent__site", "agent__team", "provider", "evaluator", "form_version__form"
    )
    return publish(qs.iterator(chunk_size=2000), lake)
