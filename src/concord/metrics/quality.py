"""The QA score: one metric over the evaluations table, like every other metric.

Each completed evaluation's score (DOMAIN.md: weighted criterion scores, a failed
critical criterion scores 0) is in the lake as a share; the QA score of a group is the
mean over its scored evaluations. An evaluation with every criterion N/A has no score
and counts in neither the mean nor the volume.
"""

from __future__ import annotations

from .registry import HIGHER, Metric, Param, register


def _scored(t, p):
    scored = t.score_share.notnull()
    side = p.get("evaluator_side")
    return scored if not side else scored & (t.evaluator_side == side)


register(
    Metric(
        key="qa_score",
        label="QA score",
        description="Mean score of completed QA evaluations (0-100 %); a failed critical criterion scores 0.",
        unit="percent",
        direction=HIGHER,
        category="quality",
        source="evaluations",
        columns=("score_share", "evaluator_side"),
        numerator=lambda t, p: t.score_share.sum(where=_scored(t, p)),
        denominator=lambda t, p: t.count(where=_scored(t, p)),
        volume=lambda t, p: t.count(where=_scored(t, p)),
        scale=100.0,
        min_volume=5,
        params=(
            Param("evaluator_side", str, "", "Only evaluations by the client's or the partner's graders; empty: all."),
        ),
    )
)
