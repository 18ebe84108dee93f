"""Calibration results: how each grader compares with the key (or the group), and how far all agree.

Pure (numpy, scipy): takes the ratings of one session as a graders x items x criteria array
(NaN: not rated or N/A) plus the form's rules, and returns per-criterion and overall figures:

- deviation of each grader from the reference: the expert key when the session has one, else
  the median of the other graders (so a grader is never compared with themselves);
- alignment, 1 - |grader - reference| / the criterion's range, weighted up to the form as the
  form weights its criteria (100 % = scored exactly as the reference);
- Krippendorff's alpha per criterion at the level its scale calls for, with a bootstrap 95%
  interval; Fleiss' kappa for yes/no criteria (Cohen's for two graders); the six ICCs on total
  scores (ICC(2,1) shown by default);
- graders flagged harsh or lenient when their total scores sit below or above the reference
  consistently (mean gap of at least ``FLAG_POINTS`` and a one-sample t-test p < 0.05), with the
  evidence; criteria flagged when alpha is under 0.667 (Krippendorff's lowest acceptable level).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from .agreement import Alpha, IccForm, session_agreement
from .scoring import SCALE_LEVELS, Rating, RatingError, Rule, score

ALPHA_FLOOR = 0.667  # Krippendorff (2004): data with alpha below this are not to be relied on
FLAG_POINTS = 5.0  # a grader this many score points (of 100) off the reference, consistently
FLAG_P = 0.05


@dataclass(frozen=True)
class CriterionResult:
    rule: Rule
    alpha: Alpha
    fleiss_kappa: float | None
    cohen_kappa: float | None
    mean_deviation: dict[str, float | None]  # grader -> mean (grader - reference), in the scale's own units
    needs_work: bool  # alpha under the floor


@dataclass(frozen=True)
class GraderResult:
    grader: str
    items_scored: int
    mean_score: float | None  # mean total score, percent
    mean_gap: float | None  # mean (grader total - reference total), score points
    alignment: float | None  # percent
    flag: str | None  # "harsh" or "lenient"
    evidence: str
    gaps: tuple[float, ...] = ()  # per item scored by both: grader total - reference total, score points


@dataclass(frozen=True)
class SessionResult:
    reference: str  # "key" or "group median"
    criteria: list[CriterionResult]
    graders: list[GraderResult]
    icc: dict[str, IccForm] | None
    icc_items: int
    totals: np.ndarray  # graders x items, percent (NaN: not scored)


def totals(ratings: np.ndarray, rules: list[Rule], na: np.ndarray) -> np.ndarray:
    """Each grader's score of each item, as the form scores an evaluation (N/A re-weighted)."""
    graders, items, _ = ratings.shape
    out = np.full((graders, items), np.nan)
    for g in range(graders):
        for i in range(items):
            answered = {
                rule.code: Rating(None, True) if na[g, i, c] else Rating(None if np.isnan(v) else float(v))
                for c, (rule, v) in enumerate(zip(rules, ratings[g, i], strict=True))
            }
            try:
                result = score(rules, answered)
            except RatingError:
                continue  # not every criterion rated: no total for this item
            out[g, i] = np.nan if result.score is None else result.score
    return out


def _reference(values: np.ndarray, key_index: int | None) -> np.ndarray:
    """Per grader and item, what they are compared with: the key, or the median of the others."""
    graders = values.shape[0]
    if key_index is not None:
        return np.broadcast_to(values[key_index], values.shape)
    ref = np.full(values.shape, np.nan)
    for g in range(graders):
        others = np.delete(values, g, axis=0)
        with np.errstate(all="ignore"), _quiet():
            ref[g] = np.nanmedian(others, axis=0)
    return ref


class _quiet:
    """nanmedian warns on all-NaN columns (an item nobody else scored); that is expected here."""

    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        return self._catch.__exit__(*exc)


def session_result(
    graders: list[str],
    rules: list[Rule],
    ratings,
    na=None,
    *,
    key_grader: str | None = None,
    resamples: int = 1000,
    seed: int = 0,
) -> SessionResult:
    cube = np.asarray(ratings, dtype=float)
    na = np.zeros(cube.shape, bool) if na is None else np.asarray(na, bool)
    key_index = graders.index(key_grader) if key_grader in graders else None
    scores = totals(cube, rules, na)
    agreement = session_agreement(cube, [SCALE_LEVELS[r.scale] for r in rules], scores, resamples=resamples, seed=seed)
    ref_cube = _reference(cube, key_index)
    ref_totals = _reference(scores, key_index)
    peers = [g for g in range(len(graders)) if g != key_index]

    criteria = []
    for c, (rule, result) in enumerate(zip(rules, agreement.criteria, strict=True)):
        gaps = cube[:, :, c] - ref_cube[:, :, c]
        mean_dev = {}
        for g in peers:
            row = gaps[g][~np.isnan(gaps[g])]
            mean_dev[graders[g]] = float(row.mean()) if len(row) else None
        alpha = result.alpha
        criteria.append(
            CriterionResult(
                rule=rule,
                alpha=alpha,
                fleiss_kappa=result.fleiss_kappa,
                cohen_kappa=result.cohen_kappa,
                mean_deviation=mean_dev,
                needs_work=alpha.value is not None and alpha.value < ALPHA_FLOOR,
            )
        )

    spans = np.array([r.highest - r.lowest for r in rules])
    weights = np.array([r.weight for r in rules])
    reference_name = "key" if key_index is not None else "group median"
    grader_results = []
    for g in peers:
        closeness = 1 - np.abs(cube[g] - ref_cube[g]) / spans  # items x criteria
        w = np.where(np.isnan(closeness), 0.0, weights)
        alignment = float(100 * np.nansum(closeness * w) / w.sum()) if w.sum() else None
        gap = scores[g] - ref_totals[g]
        gap = gap[~np.isnan(gap)]
        mean_gap = float(gap.mean()) if len(gap) else None
        flag, evidence = None, f"{len(gap)} item(s) compared with the {reference_name}"
        if len(gap) >= 3 and mean_gap is not None and abs(mean_gap) >= FLAG_POINTS:
            below = int((gap < 0).sum())
            above = int((gap > 0).sum())
            p = float(stats.ttest_1samp(gap, 0.0).pvalue) if gap.std() > 0 else 0.0
            if p < FLAG_P:
                flag = "harsh" if mean_gap < 0 else "lenient"
                evidence = (
                    f"{'below' if flag == 'harsh' else 'above'} the {reference_name} on "
                    f"{below if flag == 'harsh' else above} of {len(gap)} items, by {abs(mean_gap):.1f} points "
                    f"on average (t-test p = {p:.3f})"
                )
        own = scores[g][~np.isnan(scores[g])]
        grader_results.append(
            GraderResult(
                grader=graders[g],
                items_scored=len(own),
                mean_score=float(own.mean()) if len(own) else None,
                mean_gap=mean_gap,
                alignment=alignment,
                flag=flag,
                evidence=evidence,
                gaps=tuple(float(x) for x in gap),
            )
        )
    return SessionResult(
        reference=reference_name,
        criteria=criteria,
        graders=grader_results,
        icc=agreement.icc,
        icc_items=agreement.icc_items,
        totals=scores,
    )
