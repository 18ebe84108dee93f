"""Agreement between graders, measured the way reliability research does.

Pure numerics (numpy, scipy, the ``krippendorff`` library): no Django, so the CLI,
the calibration pages and the benchmark call the same functions.

- Krippendorff's alpha (nominal, ordinal, interval, ratio; missing ratings allowed)
  with a bootstrap 95% interval over units. The point estimate comes from the
  ``krippendorff`` library; the bootstrap needs per-unit coincidence matrices,
  which the library does not expose, so it is ours and vectorised (all resamples
  of one criterion are one matrix product). A test holds our coincidence-matrix
  alpha equal to the library's on the full sample, so the interval brackets the
  same statistic the library reports.
- Fleiss' kappa (nominal, every grader rated every item) and Cohen's kappa (two graders).
- The six Shrout & Fleiss (1979) intraclass correlations with F tests and 95% intervals
  (the interval formulas of McGraw & Wong 1996, as R's psych and pingouin use them).

Ratings come as a graders x items matrix of floats, NaN meaning "not rated".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import krippendorff
import numpy as np
from scipy import stats

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")

#: resamples per bootstrap block: bounds the (block x values x values) ordinal work array
_BLOCK = 250


class AgreementError(ValueError):
    """The ratings cannot give this statistic; the message says why, in a user's words."""


@dataclass(frozen=True)
class Alpha:
    value: float | None  # None when undefined (fewer than two distinct values among pairable ratings)
    level: Level
    graders: int
    items: int
    pairable_values: int  # ratings in items that at least two graders rated
    ci95: tuple[float, float] | None
    resamples: int


@dataclass(frozen=True)
class IccForm:
    name: str  # ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k
    value: float
    ci95: tuple[float, float]
    f: float
    df1: int
    df2: int
    p: float


ICC_FORMS = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")
ICC_DESCRIPTIONS = {
    "ICC1": "one-way random, single grader",
    "ICC2": "two-way random, absolute agreement, single grader",
    "ICC3": "two-way mixed, consistency, single grader",
    "ICC1k": "one-way random, mean of the graders",
    "ICC2k": "two-way random, absolute agreement, mean of the graders",
    "ICC3k": "two-way mixed, consistency, mean of the graders",
}


def as_matrix(ratings) -> np.ndarray:
    """Graders x items as float64, NaN for missing; refuses anything else."""
    matrix = np.asarray(ratings, dtype=float)
    if matrix.ndim != 2:
        raise AgreementError("ratings must be a table: one row per grader, one column per item")
    if np.isinf(matrix).any():
        raise AgreementError("ratings must be finite numbers")
    return matrix


# --- Krippendorff's alpha -------------------------------------------------------------------


def _unit_coincidences(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values, and each pairable unit's coincidence matrix (units x V x V).

    o_ck(u) = (n_uc n_uk - [c = k] n_uc) / (m_u - 1), Krippendorff (2011), "Computing
    Krippendorff's Alpha-Reliability", section on coincidence matrices.
    """
    values = np.unique(matrix[~np.isnan(matrix)])
    if len(values) == 0:  # nobody rated anything (a criterion everyone marked N/A)
        return values, np.zeros((0, 0, 0))
    counts = np.stack([(matrix == v).sum(axis=0) for v in values], axis=1).astype(float)  # items x V
    m_u = counts.sum(axis=1)
    counts = counts[m_u >= 2]
    m_u = m_u[m_u >= 2]
    outer = counts[:, :, None] * counts[:, None, :]
    outer[:, np.arange(len(values)), np.arange(len(values))] -= counts
    return values, outer / (m_u - 1)[:, None, None]


def _alpha_from_coincidences(coincidence: np.ndarray, values: np.ndarray, level: Level) -> np.ndarray:
    """Alpha for a stack of coincidence matrices (B x V x V); NaN where expected disagreement is 0."""
    n_c = coincidence.sum(axis=2)  # B x V
    n = n_c.sum(axis=1)
    if level == "ordinal":
        # delta_ck = (sum_{g between c and k} n_g - (n_c + n_k)/2)^2 from each resample's own marginals
        cum = np.cumsum(n_c, axis=1)
        spread = cum[:, None, :] - cum[:, :, None] + (n_c[:, :, None] - n_c[:, None, :]) / 2
        delta = spread**2
    else:
        c, k = values[:, None], values[None, :]
        if level == "nominal":
            delta = (c != k).astype(float)
        elif level == "interval":
            delta = (c - k) ** 2
        else:  # ratio
            total = c + k
            with np.errstate(divide="ignore", invalid="ignore"):
                delta = np.where(total == 0, 0.0, ((c - k) / total) ** 2)
        delta = np.broadcast_to(delta, coincidence.shape)
    observed = (coincidence * delta).sum(axis=(1, 2))
    expected = np.einsum("bc,bck,bk->b", n_c, delta, n_c)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (n - 1) * observed / expected
    return np.where(expected > 0, alpha, np.nan)


def alpha_by_coincidences(ratings, level: Level) -> float | None:
    """Alpha through our own coincidence matrices: what the bootstrap resamples."""
    values, units = _unit_coincidences(as_matrix(ratings))
    if len(units) == 0 or len(values) < 2:
        return None
    value = _alpha_from_coincidences(units.sum(axis=0)[None], values, level)[0]
    return None if np.isnan(value) else float(value)


def _check_level(level: str) -> Level:
    if level not in LEVELS:
        raise AgreementError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    return level  # type: ignore[return-value]


def _check_ratio(matrix: np.ndarray, level: Level) -> None:
    if level == "ratio" and (matrix[~np.isnan(matrix)] < 0).any():
        raise AgreementError("ratio level needs ratings of zero or more (a ratio scale has a true zero)")


def krippendorff_alpha(
    ratings, level: Level, *, resamples: int = 1000, seed: int = 0, confidence: float = 0.95
) -> Alpha:
    """Alpha with a percentile bootstrap interval over units (items), seeded so it reproduces."""
    level = _check_level(level)
    matrix = as_matrix(ratings)
    _check_ratio(matrix, level)
    graders, items = matrix.shape
    values, units = _unit_coincidences(matrix)
    pairable = int(units.sum()) if len(units) else 0
    base = dict(level=level, graders=graders, items=items, pairable_values=pairable, resamples=resamples)
    if len(units) == 0 or len(values) < 2:
        # No pairable ratings, or every pairable rating the same: no disagreement to expect, alpha undefined.
        return Alpha(value=None, ci95=None, **base)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level, value_domain=values))
    if not np.isfinite(value):
        # The values differ across the table but every pairable unit agrees on one value: the expected
        # disagreement is 0 and alpha is undefined (0/0), not a number to show.
        return Alpha(value=None, ci95=None, **base)
    ci = _bootstrap_ci(units, values, level, resamples, seed, confidence) if resamples else None
    return Alpha(value=value, ci95=ci, **base)


def _bootstrap_ci(
    units: np.ndarray, values: np.ndarray, level: Level, resamples: int, seed: int, confidence: float
) -> tuple[float, float] | None:
    """Resample the pairable units with replacement; each resample's coincidences are counts @ units."""
    rng = np.random.default_rng(seed)
    n_units, v = units.shape[0], len(values)
    flat = units.reshape(n_units, v * v)
    estimates = []
    for start in range(0, resamples, _BLOCK):
        block = min(_BLOCK, resamples - start)
        draws = rng.integers(0, n_units, size=(block, n_units))
        offsets = (np.arange(block) * n_units)[:, None]
        weights = np.bincount((draws + offsets).ravel(), minlength=block * n_units).reshape(block, n_units)
        coincidence = (weights @ flat).reshape(block, v, v)
        estimates.append(_alpha_from_coincidences(coincidence, values, level))
    alphas = np.concatenate(estimates)
    alphas = alphas[~np.isnan(alphas)]
    if len(alphas) == 0:
        return None
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(alphas, [tail, 100 - tail])
    return float(low), float(high)


def alphas_by_criterion(
    ratings: np.ndarray, levels: list[Level], *, resamples: int = 1000, seed: int = 0
) -> list[Alpha]:
    """One alpha per criterion of a graders x items x criteria array (a calibration session)."""
    cube = np.asarray(ratings, dtype=float)
    if cube.ndim != 3 or cube.shape[2] != len(levels):
        raise AgreementError("ratings must be graders x items x criteria, with one level per criterion")
    return [
        krippendorff_alpha(cube[:, :, i], level, resamples=resamples, seed=seed + i) for i, level in enumerate(levels)
    ]


# --- kappas -----------------------------------------------------------------------------------


def _complete(matrix: np.ndarray, statistic: str) -> None:
    if np.isnan(matrix).any():
        raise AgreementError(f"{statistic} needs every grader to rate every item; some ratings are missing")


def fleiss_kappa(ratings) -> float | None:
    """Fleiss (1971) kappa for nominal ratings, every grader rating every item; None if undefined."""
    matrix = as_matrix(ratings)
    _complete(matrix, "Fleiss' kappa")
    graders, items = matrix.shape
    if graders < 2 or items < 1:
        raise AgreementError("Fleiss' kappa needs at least two graders and one item")
    values = np.unique(matrix)
    counts = np.stack([(matrix == v).sum(axis=0) for v in values], axis=1).astype(float)  # items x categories
    agreement = ((counts**2).sum(axis=1) - graders) / (graders * (graders - 1))
    shares = counts.sum(axis=0) / (items * graders)
    chance = float((shares**2).sum())
    if chance >= 1.0:
        return None  # one category only: agreement by chance is certain, kappa is undefined
    return float((agreement.mean() - chance) / (1 - chance))


def cohen_kappa(ratings) -> float | None:
    """Cohen (1960) kappa for two graders' nominal ratings of the same items; None if undefined."""
    matrix = as_matrix(ratings)
    if matrix.shape[0] != 2:
        raise AgreementError("Cohen's kappa is for exactly two graders")
    _complete(matrix, "Cohen's kappa")
    first, second = matrix
    values = np.unique(matrix)
    observed = float((first == second).mean())
    chance = float(sum((first == v).mean() * (second == v).mean() for v in values))
    if chance >= 1.0:
        return None
    return (observed - chance) / (1 - chance)


# --- intraclass correlations -----------------------------------------------------------------


def icc(ratings, *, confidence: float = 0.95) -> dict[str, IccForm]:
    """The six Shrout & Fleiss ICCs of an items x graders table with no missing cell."""
    table = np.asarray(ratings, dtype=float)
    if table.ndim != 2:
        raise AgreementError("ICC needs a table: one row per item, one column per grader")
    if np.isnan(table).any():
        raise AgreementError("ICC needs every grader to rate every item; some ratings are missing")
    n, k = table.shape
    if n < 2 or k < 2:
        raise AgreementError("ICC needs at least two items and two graders")
    grand = table.mean()
    ss_rows = k * ((table.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((table.mean(axis=0) - grand) ** 2).sum()
    ss_total = ((table - grand) ** 2).sum()
    ss_error = ss_total - ss_rows - ss_cols
    df_rows, df_cols, df_error, df_within = n - 1, k - 1, (n - 1) * (k - 1), n * (k - 1)
    msr, msc = ss_rows / df_rows, ss_cols / df_cols
    mse, msw = ss_error / df_error, (ss_cols + ss_error) / df_within
    if msr == 0 or mse == 0 or msw == 0:
        raise AgreementError("ICC is undefined when items or graders do not vary at all")

    values = {
        "ICC1": (msr - msw) / (msr + (k - 1) * msw),
        "ICC2": (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n),
        "ICC3": (msr - mse) / (msr + (k - 1) * mse),
        "ICC1k": (msr - msw) / msr,
        "ICC2k": (msr - mse) / (msr + (msc - mse) / n),
        "ICC3k": (msr - mse) / msr,
    }
    q = 1 - (1 - confidence) / 2
    f1, f3 = msr / msw, msr / mse

    def f_bounds(f: float, d1: float, d2: float) -> tuple[float, float]:
        return f / stats.f.ppf(q, d1, d2), f * stats.f.ppf(q, d2, d1)

    f1_low, f1_high = f_bounds(f1, df_rows, df_within)
    f3_low, f3_high = f_bounds(f3, df_rows, df_error)
    single = lambda f_: (f_ - 1) / (f_ + k - 1)  # noqa: E731 - the same transform, four times
    average = lambda f_: 1 - 1 / f_  # noqa: E731
    ci = {
        "ICC1": (single(f1_low), single(f1_high)),
        "ICC3": (single(f3_low), single(f3_high)),
        "ICC1k": (average(f1_low), average(f1_high)),
        "ICC3k": (average(f3_low), average(f3_high)),
    }
    # ICC2: Satterthwaite's approximate degrees of freedom (Shrout & Fleiss eq. 7, McGraw & Wong)
    r2, fj = values["ICC2"], msc / mse
    vn = df_error * (k * r2 * fj + n * (1 + (k - 1) * r2) - k * r2) ** 2
    vd = df_rows * k**2 * r2**2 * fj**2 + (n * (1 + (k - 1) * r2) - k * r2) ** 2
    v = vn / vd
    f_up, f_down = stats.f.ppf(q, n - 1, v), stats.f.ppf(q, v, n - 1)
    low2 = n * (msr - f_up * mse) / (f_up * (k * msc + (k * n - k - n) * mse) + n * msr)
    high2 = n * (f_down * msr - mse) / (k * msc + (k * n - k - n) * mse + n * f_down * msr)
    ci["ICC2"] = (low2, high2)
    ci["ICC2k"] = (low2 * k / (1 + low2 * (k - 1)), high2 * k / (1 + high2 * (k - 1)))

    tests = {
        "ICC1": (f1, df_rows, df_within),
        "ICC1k": (f1, df_rows, df_within),
        **{name: (f3, df_rows, df_error) for name in ("ICC2", "ICC3", "ICC2k", "ICC3k")},
    }
    forms = {}
    for name in ICC_FORMS:
        f, d1, d2 = tests[name]
        forms[name] = IccForm(
            name=name,
            value=float(values[name]),
            ci95=(float(ci[name][0]), float(ci[name][1])),
            f=float(f),
            df1=int(d1),
            df2=int(d2),
            p=float(stats.f.sf(f, d1, d2)),
        )
    return forms


# --- a whole calibration session ---------------------------------------------------------------


@dataclass(frozen=True)
class CriterionAgreement:
    alpha: Alpha
    fleiss_kappa: float | None  # nominal criteria rated by everyone on every item
    cohen_kappa: float | None  # the same, when there are exactly two graders


@dataclass(frozen=True)
class SessionAgreement:
    criteria: list[CriterionAgreement]
    #: ICC on each grader's total per item, over the items every grader scored (None below 2 x 2)
    icc: dict[str, IccForm] | None
    icc_items: int


def session_agreement(
    ratings, levels: list[Level], totals=None, *, resamples: int = 1000, seed: int = 0
) -> SessionAgreement:
    """Per-criterion alpha (and kappas for nominal criteria) plus ICC on total scores.

    ``ratings`` is graders x items x criteria (NaN: not rated, or N/A); ``totals`` is graders x
    items (the evaluation scores), defaulting to the sum over criteria (missing if any is).
    """
    cube = np.asarray(ratings, dtype=float)
    alphas = alphas_by_criterion(cube, levels, resamples=resamples, seed=seed)
    criteria = []
    for i, (alpha, level) in enumerate(zip(alphas, levels, strict=True)):
        matrix = cube[:, :, i]
        fleiss = cohen = None
        if level == "nominal" and not np.isnan(matrix).any() and matrix.shape[0] >= 2:
            fleiss = fleiss_kappa(matrix)
            cohen = cohen_kappa(matrix) if matrix.shape[0] == 2 else None
        criteria.append(CriterionAgreement(alpha=alpha, fleiss_kappa=fleiss, cohen_kappa=cohen))
    # a grader who left a criterion unrated has no comparable total for that item
    scores = cube.sum(axis=2) if totals is None else np.asarray(totals, dtype=float)
    complete = scores[:, ~np.isnan(scores).any(axis=0)]  # ICC needs every grader on every item it uses
    forms = None
    if complete.shape[0] >= 2 and complete.shape[1] >= 2:
        try:
            forms = icc(complete.T)
        except AgreementError:
            forms = None  # no variation at all: nothing to correlate
    return SessionAgreement(criteria=criteria, icc=forms, icc_items=complete.shape[1])
