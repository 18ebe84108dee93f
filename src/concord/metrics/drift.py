"""Drift detection on daily numerator/denominator series: a weighted CUSUM (pure, no Django).

Method, and why
---------------
Each day ``t`` gives ``y_t = numerator_t / denominator_t``: a proportion (FCR, CSAT top-2-box,
transfer rate) or a mean per unit (AHT: seconds over handled contacts). Volume changes by the day
of the week, so one day's value is worth more on a Monday than on a Sunday. We therefore use the
likelihood-ratio CUSUM of Page (1954) for a shift in the mean of a normal variable whose variance is
``s^2 / n_t`` — the weighted CUSUM for varying sample sizes of Hawkins & Olwell (1998, *Cumulative
Sum Charts and Charting for Quality Improvement*, ch. 6), which is the normal limit of the binomial /
Bernoulli CUSUM (Reynolds & Stoumbos 1999, *J. Quality Technology* 31:87) used for outcome rates and
of the risk-adjusted CUSUM of Steiner et al. (2000, *Biostatistics* 1:441) when the "risk" is the
day of the week. In standard units:

    x_t = (y_t - mu_{weekday(t)}) / sigma          the day's deviation in baseline sigmas
    r_t = n_t * mean_baseline(1 / n)              information of the day against an average day
    S_t = max(0, S_{t-1} + r_t * (x_t - k))       upward;  the downward side mirrors it
    alarm when S_t > h, then the side restarts at 0

With ``r_t = 1`` this is the textbook tabular CUSUM, so published run lengths apply: k = 0.5,
h = 5 gives an in-control ARL of about 930 days on one side and an ARL of 10.4 days for a shift of one
sigma, 4.0 days for two (Montgomery, *Introduction to Statistical Quality Control*, table 9.3 for the
two-sided scheme, ARL0 465; Siegmund 1985). k = 0.5 is the optimal reference for a one-sigma shift.

Baseline, estimated from the data (the first ``baseline_days`` calendar days):
- mean: pooled, or per weekday when an F test on the baseline finds a weekday effect (p < 0.01), so a
  steady weekend dip is not read as drift and no noise is added where there is no such effect;
- unit variance ``s^2``: Pearson's ``sum n_t (y_t - mu)^2 / (days - parameters)``, so over-dispersed
  series (days that differ more than binomial noise says) get wider limits; for a proportion it is
  never below the binomial ``p (1 - p)``;
- sigma, the daily value's baseline standard deviation: ``sigma^2 = s^2 * mean_baseline(1 / n_t)``,
  the variance of one day's value around its (weekday) mean, averaged over the baseline days.

Days whose denominator is below ``min_volume`` (or missing) neither move the CUSUM nor count in the
baseline: a quiet Sunday with three surveys says too little to alarm on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np
from scipy import stats

Direction = Literal["up", "down", "both"]
DIRECTIONS: tuple[str, ...] = ("up", "down", "both")
METHOD = "weighted CUSUM (Page 1954; Hawkins & Olwell 1998) on the daily rate, weekday-aware baseline"

#: reference value: half the shift, in sigmas, the chart is tuned to catch (one sigma)
K = 0.5
#: decision interval per side. One side: ARL0 ~ 930 days (about 3 % false alarms a month). Watching both
#: sides doubles the false alarms, so each side's interval widens until the pair again has ARL0 ~ 860.
H_ONE_SIDED = 5.0
H_TWO_SIDED = 5.6
WEEKDAY_ALPHA = 0.01
MIN_BASELINE_DAYS = 28


class DriftInputError(ValueError):
    """The series cannot be checked (too short, no baseline volume, bad arguments)."""


@dataclass(frozen=True)
class Baseline:
    means: tuple[float, ...]  # per weekday, Monday first (all equal when pooled)
    unit_variance: float  # s^2: variance of one unit (contact) around the mean
    sigma: float  # the daily value's baseline standard deviation
    mean_inverse_volume: float  # mean of 1/n over the baseline's counted days
    weekday_effect: bool
    weekday_p_value: float | None
    days: int  # baseline days with enough volume


@dataclass(frozen=True)
class Parameters:
    baseline_days: int
    direction: str
    k: float
    h: float
    min_volume: float
    weekday_alpha: float = WEEKDAY_ALPHA


@dataclass(frozen=True)
class DriftResult:
    alarms: list[dt.date]
    alarm_sides: list[str]  # "up" or "down" (both sides at once: "both"), one per alarm day
    method: str
    parameters: Parameters
    baseline: Baseline
    days: list[dt.date]
    values: list[float | None]  # the daily value (numerator / denominator), None when not counted
    upper: list[float]  # the CUSUM paths, for the evidence chart
    lower: list[float]
    expected: list[float]  # the baseline mean of each day

    def as_json(self) -> dict:
        params = asdict(self.parameters)
        params.update(
            baseline_mean=list(self.baseline.means) if self.baseline.weekday_effect else self.baseline.means[0],
            baseline_sigma=self.baseline.sigma,
            unit_variance=self.baseline.unit_variance,
            weekday_effect=self.baseline.weekday_effect,
            weekday_p_value=self.baseline.weekday_p_value,
            baseline_days_counted=self.baseline.days,
        )
        return {"alarms": [d.isoformat() for d in self.alarms], "method": self.method, "parameters": params}


def decision_interval(direction: str) -> float:
    return H_TWO_SIDED if direction == "both" else H_ONE_SIDED


# --- the core, vectorised over runs (rows) --------------------------------------------------------


@dataclass
class BatchBaseline:
    mu: np.ndarray  # (R, 7)
    s2: np.ndarray  # (R,)
    mean_inv_n: np.ndarray  # (R,)
    sigma: np.ndarray  # (R,)
    weekday_effect: np.ndarray  # (R,) bool
    p_value: np.ndarray  # (R,)
    days: np.ndarray  # (R,) counted baseline days
    extra: dict = field(default_factory=dict)


def estimate_baseline(
    weekday: np.ndarray, num: np.ndarray, den: np.ndarray, counted: np.ndarray, *, alpha: float = WEEKDAY_ALPHA
) -> BatchBaseline:
    """The baseline of each row from its counted days. ``weekday``: (T,) 0=Monday; the rest (R, T)."""
    num = np.where(counted, num, 0.0)
    n = np.where(counted, den, 0.0)
    days = counted.sum(axis=1)
    total_n = n.sum(axis=1)
    pooled = num.sum(axis=1) / np.where(total_n > 0, total_n, 1.0)
    onehot = weekday[None, :] == np.arange(7)[:, None]  # (7, T)
    n_w = n @ onehot.T  # (R, 7)
    num_w = num @ onehot.T
    days_w = counted.astype(float) @ onehot.T
    mu_w = np.where(n_w > 0, num_w / np.where(n_w > 0, n_w, 1.0), pooled[:, None])
    y = num / np.where(n > 0, n, 1.0)
    # weighted residual sums of squares, pooled and per weekday
    rss_pooled = (n * (y - pooled[:, None]) ** 2).sum(axis=1)
    mu_day = mu_w @ onehot.astype(float)  # (R, T)
    rss_weekday = (n * (y - mu_day) ** 2).sum(axis=1)
    groups = (days_w > 0).sum(axis=1)
    df_within = np.maximum(days - groups, 1)
    df_between = np.maximum(groups - 1, 1)
    f = ((rss_pooled - rss_weekday) / df_between) / np.maximum(rss_weekday / df_within, 1e-300)
    p_value = stats.f.sf(f, df_between, df_within)
    effect = (p_value < alpha) & (groups > 1)
    mu = np.where(effect[:, None], mu_w, pooled[:, None])
    s2 = np.where(effect, rss_weekday / df_within, rss_pooled / np.maximum(days - 1, 1))
    is_share = np.all((num >= 0) & (num <= n + 1e-9), axis=1)
    binomial = pooled * (1 - pooled)
    s2 = np.where(is_share, np.maximum(s2, binomial), s2)
    inv = np.where(counted, 1.0 / np.where(n > 0, n, 1.0), 0.0).sum(axis=1) / np.maximum(days, 1)
    sigma = np.sqrt(s2 * inv)
    return BatchBaseline(mu, s2, inv, sigma, effect, p_value, days)


def cusum(x: np.ndarray, r: np.ndarray, *, k: float, h: float, side: int) -> tuple[np.ndarray, np.ndarray]:
    """The tabular CUSUM over days (axis 1) of standardised values ``x`` with weights ``r`` (0: skip the day).

    ``side`` +1 watches upward shifts, -1 downward. Returns the path and the alarm matrix; a side
    restarts at 0 after each alarm.
    """
    rows, steps = x.shape
    path = np.zeros((rows, steps))
    alarm = np.zeros((rows, steps), bool)
    s = np.zeros(rows)
    for t in range(steps):
        s = np.maximum(0.0, s + r[:, t] * (side * x[:, t] - k))
        hit = s > h
        alarm[:, t] = hit
        path[:, t] = s
        s = np.where(hit, 0.0, s)
    return path, alarm


def scan_batch(
    weekday: np.ndarray,
    num: np.ndarray,
    den: np.ndarray,
    *,
    baseline_days: int,
    direction: str = "both",
    min_volume: float = 1,
    k: float = K,
    h: float | None = None,
) -> tuple[BatchBaseline, dict[str, tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray]:
    """Baseline on days [0, baseline_days), CUSUM on the days after, for each row of (R, T) arrays.

    Returns the baseline, {side: (path, alarms)} over the monitored days, the expected value and the
    standardised values over all days.
    """
    if direction not in DIRECTIONS:
        raise DriftInputError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    h = decision_interval(direction) if h is None else h
    num = np.asarray(num, float)
    den = np.asarray(den, float)
    counted = (den >= max(min_volume, 1e-12)) & np.isfinite(num) & np.isfinite(den)
    base = estimate_baseline(
        weekday[:baseline_days], num[:, :baseline_days], den[:, :baseline_days], counted[:, :baseline_days]
    )
    onehot = (weekday[None, :] == np.arange(7)[:, None]).astype(float)
    expected = base.mu @ onehot  # (R, T)
    safe_den = np.where(counted, den, 1.0)
    y = num / safe_den
    sigma = np.where(base.sigma > 0, base.sigma, np.inf)[:, None]
    x = np.where(counted, (y - expected) / sigma, 0.0)
    r = np.where(counted, den * base.mean_inv_n[:, None], 0.0)
    sides = {"up": (1,), "down": (-1,), "both": (1, -1)}[direction]
    out = {}
    for side in sides:
        out["up" if side > 0 else "down"] = cusum(x[:, baseline_days:], r[:, baseline_days:], k=k, h=h, side=side)
    return base, out, expected, x


# --- one series --------------------------------------------------------------------------------------


def detect(
    days: Sequence[dt.date],
    numerator: Sequence[float],
    denominator: Sequence[float],
    *,
    baseline_days: int,
    direction: str = "both",
    min_volume: float = 1,
    k: float = K,
    h: float | None = None,
    first_day: dt.date | None = None,
) -> DriftResult:
    """The alarm days of one daily series; the baseline is its first ``baseline_days`` calendar days
    (counted from ``first_day`` when given: a scan window whose first days had no contacts)."""
    (result,) = detect_many(
        [(days, numerator, denominator)],
        baseline_days=baseline_days,
        direction=direction,
        min_volume=min_volume,
        k=k,
        h=h,
        first_day=first_day,
    )
    if isinstance(result, DriftInputError):
        raise result
    return result


Series = tuple[Sequence[dt.date], Sequence[float], Sequence[float]]


def _series_error(days, numerator, denominator) -> DriftInputError | None:
    if not (len(days) == len(numerator) == len(denominator)):
        return DriftInputError("days, numerators and denominators differ in length")
    if not days:
        return DriftInputError("the series is empty")
    if len(set(days)) != len(days):
        return DriftInputError("a day appears twice")
    return None


def detect_many(
    series: Sequence[Series],
    *,
    baseline_days: int,
    direction: str = "both",
    min_volume: float = 1,
    k: float = K,
    h: float | None = None,
    first_day: dt.date | None = None,
) -> list[DriftResult | DriftInputError]:
    """``detect`` for many series on one calendar at once (vectorised: a scan's every provider x metric).

    Each entry of the answer is the series' result, or the ``DriftInputError`` saying why it cannot be checked.
    """
    if direction not in DIRECTIONS:
        raise DriftInputError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    if baseline_days < MIN_BASELINE_DAYS:
        raise DriftInputError(f"the baseline needs at least {MIN_BASELINE_DAYS} days (four weeks), not {baseline_days}")
    out: list[DriftResult | DriftInputError | None] = [_series_error(*s) for s in series]
    valid = [i for i, e in enumerate(out) if e is None]
    if not valid:
        return out  # type: ignore[return-value]
    first = min(min(series[i][0]) for i in valid) if first_day is None else first_day
    for i in valid:
        if min(series[i][0]) < first:
            out[i] = DriftInputError(f"a day ({min(series[i][0])}) comes before the first day {first}")
    valid = [i for i in valid if out[i] is None]
    span = max(((max(series[i][0]) - first).days + 1 for i in valid), default=0)
    if span <= baseline_days:
        for i in valid:
            out[i] = DriftInputError(
                f"the series spans {span} days: nothing is left after a {baseline_days}-day baseline"
            )
        return out  # type: ignore[return-value]
    num = np.full((len(valid), span), np.nan)
    den = np.zeros((len(valid), span))
    for row, i in enumerate(valid):
        days, a, b = series[i]
        cols = np.fromiter(((d - first).days for d in days), int, len(days))
        num[row, cols] = np.asarray(a, float)
        den[row, cols] = np.asarray(b, float)
    calendar = [first + dt.timedelta(days=d) for d in range(span)]
    weekday = np.array([d.weekday() for d in calendar])
    h = decision_interval(direction) if h is None else h
    base, sides, expected, _ = scan_batch(
        weekday, num, den, baseline_days=baseline_days, direction=direction, min_volume=min_volume, k=k, h=h
    )
    params = Parameters(baseline_days, direction, k, h, min_volume)
    counted = den >= max(min_volume, 1e-12)
    values = np.where(counted, num / np.where(counted, den, 1.0), np.nan)
    for row, i in enumerate(valid):
        if base.days[row] < MIN_BASELINE_DAYS // 2 or not base.sigma[row] > 0:
            out[i] = DriftInputError(
                f"the baseline has {int(base.days[row])} days with volume of at least {min_volume:g} and "
                "no spread; it cannot set limits"
            )
            continue
        out[i] = _result(row, calendar, base, sides, expected, values, params)
    return out  # type: ignore[return-value]


def _result(row, calendar, base: BatchBaseline, sides, expected, values, params: Parameters) -> DriftResult:
    span, baseline_days = len(calendar), params.baseline_days
    monitored = calendar[baseline_days:]
    hit_sides: dict[dt.date, list[str]] = {}
    for side, (_, alarm) in sides.items():
        for col in np.flatnonzero(alarm[row]):
            hit_sides.setdefault(monitored[col], []).append(side)
    hits = [(day, "both" if len(s) > 1 else s[0]) for day, s in sorted(hit_sides.items())]
    pad = [0.0] * baseline_days
    up = pad + sides["up"][0][row].tolist() if "up" in sides else [0.0] * span
    down = pad + sides["down"][0][row].tolist() if "down" in sides else [0.0] * span
    baseline = Baseline(
        means=tuple(float(m) for m in base.mu[row]),
        unit_variance=float(base.s2[row]),
        sigma=float(base.sigma[row]),
        mean_inverse_volume=float(base.mean_inv_n[row]),
        weekday_effect=bool(base.weekday_effect[row]),
        weekday_p_value=None if np.isnan(base.p_value[row]) else float(base.p_value[row]),
        days=int(base.days[row]),
    )
    return DriftResult(
        alarms=[d for d, _ in hits],
        alarm_sides=[s for _, s in hits],
        method=METHOD,
        parameters=params,
        baseline=baseline,
        days=calendar,
        values=[None if v != v else float(v) for v in values[row].tolist()],
        upper=up,
        lower=down,
        expected=expected[row].tolist(),
    )
