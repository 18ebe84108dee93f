"""Calibration health across sessions, per provider, and what it says about the QA score.

- **Trend**: per closed session, the mean Krippendorff alpha over criteria, ICC(2,1) on totals and
  the mean grader alignment with the reference (key or group median).
- **Graders harsh or lenient**: every item a grader scored in the closed sessions, their total
  minus the reference total, pooled; flagged when the mean gap is at least ``FLAG_POINTS`` and a
  one-sample t-test says p < 0.05 (the same rule as within one session, on more evidence).
- **Harshness-adjusted QA score**: each completed evaluation's score minus its grader's pooled mean
  gap (clipped to 0-100); a grader never calibrated is taken as they are. Shown beside the raw mean
  so a provider graded by lenient graders does not look better than it is.
- **Criteria needing work**: a criterion whose alpha is under 0.667 in each of the provider's last
  (up to) three sessions where it could be computed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import stats

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.providers.models import Provider

from .calibration import ALPHA_FLOOR, FLAG_P, FLAG_POINTS
from .calibration_selectors import compute
from .models import CalibrationSession, Evaluation

RECENT = 3


@dataclass(frozen=True)
class SessionPoint:
    session: CalibrationSession
    mean_alpha: float | None
    icc21: float | None
    mean_alignment: float | None
    items: int
    graders: int


@dataclass(frozen=True)
class GraderBias:
    grader: str
    items: int
    sessions: int
    mean_gap: float | None  # score points (of 100), grader minus reference
    p: float | None
    flag: str | None
    evidence: str


@dataclass(frozen=True)
class CriterionHealth:
    code: str
    label: str
    recent: list[float]  # alpha in the last sessions where defined, oldest first
    needs_work: bool


@dataclass(frozen=True)
class ProviderHealth:
    provider: object
    points: list[SessionPoint]
    criteria: list[CriterionHealth]
    evaluations: int
    raw_score: float | None
    adjusted_score: float | None


@dataclass(frozen=True)
class Trends:
    providers: list[ProviderHealth]
    graders: list[GraderBias]


def _mean(values) -> float | None:
    kept = [v for v in values if v is not None and not np.isnan(v)]
    return float(np.mean(kept)) if kept else None


def bias_of(gaps: np.ndarray, sessions: int, grader: str) -> GraderBias:
    """One grader's pooled gaps: the flag and the evidence behind it."""
    n = len(gaps)
    mean = float(gaps.mean()) if n else None
    p = None
    if n >= 2:
        p = float(stats.ttest_1samp(gaps, 0.0).pvalue) if gaps.std() > 0 else (0.0 if mean else 1.0)
    flag = None
    if n >= 3 and mean is not None and abs(mean) >= FLAG_POINTS and p is not None and p < FLAG_P:
        flag = "harsh" if mean < 0 else "lenient"
    if mean is None:
        evidence = "no calibrated items"
    else:
        side = sum(gaps < 0) if mean < 0 else sum(gaps > 0)
        evidence = (
            f"{'below' if mean < 0 else 'above'} the reference on {side} of {n} items in {sessions} session(s), "
            f"by {abs(mean):.1f} points on average"
            + ("" if p is None else " (t-test p < 0.001)" if p < 0.001 else f" (t-test p = {p:.3f})")
        )
    return GraderBias(grader, n, sessions, mean, p, flag, evidence)


def trends(user, *, resamples: int = 0) -> Trends:
    access.require(user, Cap.VIEW_QUALITY)
    sessions = access.scope(
        user,
        CalibrationSession.objects.filter(status=CalibrationSession.Status.CLOSED)
        .select_related("provider", "form_version", "key_grader")
        .order_by("closed_at", "pk"),
    )
    by_provider: dict[int, list[SessionPoint]] = defaultdict(list)
    alphas: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    labels: dict[str, str] = {}
    gaps: dict[str, list[float]] = defaultdict(list)
    grader_sessions: dict[str, int] = defaultdict(int)
    providers = {}
    for s in sessions:
        result = compute(s, resamples=resamples)
        providers[s.provider_id] = s.provider
        values = [c.alpha.value for c in result.criteria]
        for c in result.criteria:
            labels[c.rule.code] = c.rule.label
            if c.alpha.value is not None and not np.isnan(c.alpha.value):
                alphas[s.provider_id][c.rule.code].append(c.alpha.value)
        by_provider[s.provider_id].append(
            SessionPoint(
                session=s,
                mean_alpha=_mean(values),
                icc21=result.icc["ICC2"].value if result.icc else None,
                mean_alignment=_mean([g.alignment for g in result.graders]),
                items=result.totals.shape[1],
                graders=result.totals.shape[0],
            )
        )
        for g in result.graders:  # per-item gaps: grader total - reference total
            grader_sessions[g.grader] += 1
            gaps[g.grader].extend(g.gaps)
    graders = sorted(
        (bias_of(np.array(v, float), grader_sessions[name], name) for name, v in gaps.items()),
        key=lambda b: (b.flag is None, b.grader),
    )
    offsets = {b.grader: b.mean_gap for b in graders if b.mean_gap is not None}
    health = []
    visible = access.scope(user, Evaluation.objects.filter(status=Evaluation.Status.COMPLETED, score__isnull=False))
    scored = defaultdict(list)
    for provider_id, score, grader in visible.values_list("provider_id", "score", "evaluator__username"):
        scored[provider_id].append((float(score), offsets.get(grader, 0.0)))
    for provider in Provider.objects.filter(pk__in={*providers, *scored}).order_by("name"):
        rows = scored.get(provider.pk, [])
        raw = _mean([r for r, _ in rows])
        adjusted = _mean([min(100.0, max(0.0, r - off)) for r, off in rows])
        criteria = []
        for code, series in sorted(alphas[provider.pk].items()):
            recent = series[-RECENT:]
            criteria.append(CriterionHealth(code, labels[code], recent, all(a < ALPHA_FLOOR for a in recent)))
        health.append(ProviderHealth(provider, by_provider.get(provider.pk, []), criteria, len(rows), raw, adjusted))
    return Trends(health, graders)
