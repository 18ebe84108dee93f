"""Log-space special functions behind Erlang B, C and A.

Both Erlang formulas reduce to two scaled incomplete-gamma quantities:

- Erlang B, ``B(n, a) = (a^n / n!) / sum_{k<=n} a^k / k!``, which is a Poisson pmf over
  a Poisson cdf;
- ``S_r(x) = 1F1(1; r + 1; x) = sum_{j>=0} x^j / ((r+1)(r+2)...(r+j))``, the sum over
  the queue states of the Erlang A birth-death chain relative to the all-busy state.

scipy's regularised incomplete gammas are accurate to relative precision, but they
underflow to zero deep in a tail, where a plain ``log`` of them would give ``-inf``.
Where that happens the defining series converges geometrically and fast, so it is
summed directly (vectorised over the affected entries only). Nothing here ever forms a
raw factorial or power.
"""

from __future__ import annotations

import numpy as np
from scipy import special

# Below this a regularised incomplete gamma is treated as having lost its precision
# to underflow; the series is summed instead.
_TINY = 1e-280
# Relative size of the last series term kept.
_SERIES_EPS = 1e-17
# Beyond this many terms the series is not used (the gamma form is accurate there).
_MAX_SERIES_TERMS = 4000


def log_erlang_b(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Natural log of Erlang B for ``n`` servers (integers >= 0) and offered load ``a``.

    ``n == 0`` gives 0 (everything blocked); ``a == 0`` with ``n >= 1`` gives ``-inf``.
    """
    n, a = np.broadcast_arrays(np.asarray(n, dtype=float), np.asarray(a, dtype=float))
    out = np.zeros(n.shape, dtype=float)
    pos = (n > 0) & (a > 0)
    out[(n > 0) & (a <= 0)] = -np.inf
    if not pos.any():
        return out
    nn, aa = n[pos], a[pos]
    with np.errstate(divide="ignore"):
        log_pmf = nn * np.log(aa) - aa - special.gammaln(nn + 1.0)
        cdf = special.gammaincc(nn + 1.0, aa)
        res = log_pmf - np.log(cdf)
    deep = cdf <= _TINY
    if deep.any():
        # cdf underflows only when n is far below a; then 1/B = sum_i n!/((n-i)! a^i)
        # has ratios (n - i)/a < 1 and ends after n + 1 terms at the latest.
        res[deep] = -_log_falling_series(nn[deep], aa[deep])
    out[pos] = res
    return out


def _log_falling_series(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """log sum_{i=0}^{n} n (n-1) ... (n-i+1) / a^i, for n < a."""
    total = np.ones_like(n)
    term = np.ones_like(n)
    active = np.arange(n.size)
    i = 0
    while active.size:
        term[active] *= (n[active] - i) / a[active]
        total[active] += term[active]
        i += 1
        keep = (term[active] > _SERIES_EPS * total[active]) & (n[active] - i > 0)
        active = active[keep]
    return np.log(total)


def log_kummer(r: np.ndarray, x: np.ndarray) -> np.ndarray:
    """log S_r(x) = log 1F1(1; r+1; x) for r > 0, x >= 0.

    Equals ``log(Gamma(r+1)) + x - r log x + log P(r, x)`` with ``P`` the regularised
    lower incomplete gamma; that form is used unless ``P`` underflows or the series is
    short and more precise (x well below r).
    """
    r, x = np.broadcast_arrays(np.asarray(r, dtype=float), np.asarray(x, dtype=float))
    out = np.zeros(r.shape, dtype=float)
    pos = x > 0
    if not pos.any():
        return out
    rr, xx = r[pos], x[pos]
    p = special.gammainc(rr, xx)
    below = xx < rr + 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        est_terms = 40.0 / (1.0 - xx / (rr + 1.0))
        use_series = below & ((est_terms <= _MAX_SERIES_TERMS) | (p <= _TINY))
        res = special.gammaln(rr + 1.0) + xx - rr * np.log(xx) + np.log(p)
    if use_series.any():
        res[use_series] = _log_rising_series(rr[use_series], xx[use_series])
    out[pos] = res
    return out


def _log_rising_series(r: np.ndarray, x: np.ndarray) -> np.ndarray:
    """log sum_{j>=0} x^j / ((r+1)...(r+j)), for x < r + 1 (geometric convergence)."""
    total = np.ones_like(r)
    term = np.ones_like(r)
    active = np.arange(r.size)
    j = 1
    while active.size:
        term[active] *= x[active] / (r[active] + j)
        total[active] += term[active]
        j += 1
        active = active[term[active] > _SERIES_EPS * total[active]]
    return np.log(total)


def d_log_kummer_dr(r: np.ndarray, x: np.ndarray) -> np.ndarray:
    """d/dr log S_r(x), by a fourth-order central difference.

    The step scales with sqrt(r), the width over which log S_r varies fastest (near
    x = r); the error is ~1e-10 relative, ample for a waiting time.
    """
    r, x = np.broadcast_arrays(np.asarray(r, dtype=float), np.asarray(x, dtype=float))
    h = 1e-3 * np.sqrt(r + 1.0)
    h = np.minimum(h, 0.25 * r)  # keep r - 2h > 0
    f = log_kummer
    return (8.0 * (f(r + h, x) - f(r - h, x)) - (f(r + 2 * h, x) - f(r - 2 * h, x))) / (12.0 * h)
