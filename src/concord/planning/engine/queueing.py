"""Erlang C staffing, vectorised over intervals.

Conventions (all times in seconds; every function broadcasts numpy arrays):

- ``traffic`` A = volume x AHT / interval length, in Erlangs.
- Zero traffic (no volume, or AHT 0): nobody waits: P(wait) = 0, SL = 1, ASA = 0,
  occupancy = 0, and the required agent count is 0.
- Agents <= traffic: Erlang C has no steady state. Everyone is taken to wait:
  P(wait) = 1, SL = 0, ASA = inf, occupancy = 1.
- Service level is the share of calls answered within T: 1 - P(wait) e^{-(N-A)T/AHT}.
  Its complement (the tail) is also available in log space, accurate far below
  machine epsilon (1e-70 and less), through ``log_probability_wait_exceeds``.

Erlang C is computed from Erlang B in log space (``_special.log_erlang_b``), never from
factorials. ``required_agents`` starts every interval at a square-root-staffing guess
(Halfin-Whitt) and walks up or down one agent at a time with the exact Erlang B
recurrence, touching only the intervals whose answer is not settled yet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from concord.planning.engine._special import log_erlang_b

ArrayLike = float | int | np.ndarray | list

# A target SL of exactly 1 cannot be met by a queue with waiting; it is read as "the
# tail rounds to zero in double precision".
_MIN_TAIL = 2.0**-53
_REL_TOL = 1e-12


def _arr(x: ArrayLike) -> np.ndarray:
    return np.asarray(x, dtype=float)


def traffic_erlangs(volume: ArrayLike, interval_seconds: ArrayLike, aht_seconds: ArrayLike):
    """Offered load in Erlangs: volume x AHT / interval length."""
    return _arr(volume) * _arr(aht_seconds) / _arr(interval_seconds)


def erlang_b(agents: ArrayLike, traffic: ArrayLike) -> np.ndarray:
    """Blocking probability of the loss system M/M/N/N."""
    return np.exp(log_erlang_b(agents, traffic))


def log_probability_wait(agents: ArrayLike, traffic: ArrayLike) -> np.ndarray:
    """log of Erlang C: 0 where agents <= traffic, -inf where traffic is 0."""
    n, a = np.broadcast_arrays(_arr(agents), _arr(traffic))
    log_b = log_erlang_b(n, a)
    return _log_c_from_b(n, a, log_b)


def _log_c_from_b(n: np.ndarray, a: np.ndarray, log_b: np.ndarray) -> np.ndarray:
    # C = N B / (N - A (1 - B)), valid for N > A.
    stable = n > a
    out = np.zeros(n.shape, dtype=float)
    out[a <= 0] = -np.inf
    s = stable & (a > 0)
    ns, as_, lb = n[s], a[s], log_b[s]
    out[s] = np.log(ns) + lb - np.log(ns - as_ + as_ * np.exp(lb))
    return out


def probability_wait(agents: ArrayLike, traffic: ArrayLike) -> np.ndarray:
    """Erlang C: probability that an arriving call has to wait."""
    return np.exp(log_probability_wait(agents, traffic))


def log_probability_wait_exceeds(
    agents: ArrayLike, traffic: ArrayLike, aht_seconds: ArrayLike, threshold_seconds: ArrayLike
) -> np.ndarray:
    """log P(wait > T) = log C - (N - A) T / AHT; accurate however small the tail is."""
    n, a, aht, t = np.broadcast_arrays(_arr(agents), _arr(traffic), _arr(aht_seconds), _arr(threshold_seconds))
    log_c = log_probability_wait(n, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        decay = np.where(n > a, (n - a) * t / np.where(aht > 0, aht, 1.0), 0.0)
    return log_c - decay


def probability_wait_exceeds(agents, traffic, aht_seconds, threshold_seconds) -> np.ndarray:
    """P(wait > T): the share of calls not answered within T."""
    return np.exp(log_probability_wait_exceeds(agents, traffic, aht_seconds, threshold_seconds))


def service_level(agents, traffic, aht_seconds, target_seconds) -> np.ndarray:
    """Share of calls answered within ``target_seconds``."""
    return -np.expm1(log_probability_wait_exceeds(agents, traffic, aht_seconds, target_seconds))


def asa_seconds(agents: ArrayLike, traffic: ArrayLike, aht_seconds: ArrayLike) -> np.ndarray:
    """Average speed of answer over all calls: C x AHT / (N - A); inf where N <= A."""
    n, a, aht = np.broadcast_arrays(_arr(agents), _arr(traffic), _arr(aht_seconds))
    log_c = log_probability_wait(n, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.exp(log_c) * aht / (n - a)
    out = np.where((n <= a) & (a > 0), np.inf, out)
    return np.where(a <= 0, 0.0, out)


def occupancy(agents: ArrayLike, traffic: ArrayLike) -> np.ndarray:
    """A / N, capped at 1 (an overloaded queue keeps every agent busy)."""
    n, a = np.broadcast_arrays(_arr(agents), _arr(traffic))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(n > 0, a / np.where(n > 0, n, 1.0), 1.0)
    return np.where(a <= 0, 0.0, np.minimum(out, 1.0))


@dataclass(frozen=True)
class ErlangCMetrics:
    """Erlang C figures for given agent counts (arrays of the broadcast shape)."""

    traffic_erlangs: np.ndarray
    agents: np.ndarray
    probability_wait: np.ndarray
    service_level: np.ndarray
    asa_seconds: np.ndarray
    occupancy: np.ndarray


def erlang_c(
    agents: ArrayLike,
    volume: ArrayLike,
    interval_seconds: ArrayLike,
    aht_seconds: ArrayLike,
    target_seconds: ArrayLike,
) -> ErlangCMetrics:
    """Every Erlang C figure for ``agents`` serving ``volume`` calls per interval."""
    validate_inputs(
        volume=volume,
        interval_seconds=interval_seconds,
        aht_seconds=aht_seconds,
        target_seconds=target_seconds,
        agents=agents,
    )
    a = traffic_erlangs(volume, interval_seconds, aht_seconds)
    n, a, aht, t = np.broadcast_arrays(_arr(agents), a, _arr(aht_seconds), _arr(target_seconds))
    return ErlangCMetrics(
        traffic_erlangs=a,
        agents=n.astype(np.int64),
        probability_wait=probability_wait(n, a),
        service_level=service_level(n, a, aht, t),
        asa_seconds=asa_seconds(n, a, aht),
        occupancy=occupancy(n, a),
    )


def validate_inputs(
    *,
    volume: ArrayLike | None = None,
    interval_seconds: ArrayLike | None = None,
    aht_seconds: ArrayLike | None = None,
    target_sl: ArrayLike | None = None,
    target_seconds: ArrayLike | None = None,
    max_occupancy: ArrayLike | None = None,
    target_asa: ArrayLike | None = None,
    shrinkage: ArrayLike | None = None,
    agents: ArrayLike | None = None,
    patience_seconds: ArrayLike | None = None,
) -> None:
    """Raise ValueError naming the first bad argument (none may be NaN)."""
    rules = [
        ("volume", volume, lambda v: v >= 0, "must be >= 0"),
        ("interval_seconds", interval_seconds, lambda v: v > 0, "must be > 0"),
        ("aht_seconds", aht_seconds, lambda v: v >= 0, "must be >= 0"),
        ("target_sl", target_sl, lambda v: (v > 0) & (v <= 1), "must be in (0, 1]"),
        ("target_seconds", target_seconds, lambda v: v >= 0, "must be >= 0"),
        ("max_occupancy", max_occupancy, lambda v: (v > 0) & (v <= 1), "must be in (0, 1]"),
        ("target_asa", target_asa, lambda v: v > 0, "must be > 0 seconds"),
        ("shrinkage", shrinkage, lambda v: (v >= 0) & (v < 1), "must be in [0, 1)"),
        ("agents", agents, lambda v: (v >= 0) & (v == np.floor(v)), "must be a whole number >= 0"),
        ("patience_seconds", patience_seconds, lambda v: v > 0, "must be > 0"),
    ]
    for name, value, ok, why in rules:
        if value is None:
            continue
        v = _arr(value)
        finite_needed = name not in ("patience_seconds", "target_seconds")
        if np.isnan(v).any() or (finite_needed and np.isinf(v).any()):
            raise ValueError(f"{name} must be a finite number")
        if not np.all(ok(v)):
            bad = v[~ok(v)] if v.ndim else v
            raise ValueError(f"{name} {why} (got {np.ravel(bad)[0]:g})")


def scheduled_agents(agents: ArrayLike, shrinkage: ArrayLike) -> np.ndarray:
    """Agents to schedule so that ``agents`` remain after shrinkage: ceil(N / (1 - s)).

    A hair is taken off before the ceiling so that 14 / 0.7 = 20.000000000000004 stays 20.
    """
    validate_inputs(shrinkage=shrinkage, agents=agents)
    raw = _arr(agents) / (1.0 - _arr(shrinkage))
    return np.ceil(raw * (1.0 - _REL_TOL)).astype(np.int64)


def _halfin_whitt_guess(a: np.ndarray, aht: np.ndarray, t: np.ndarray, tail: np.ndarray):
    """N = A + beta sqrt(A) with alpha(beta) e^{-beta sqrt(A) T/AHT} = tail.

    alpha(beta) = 1 / (1 + beta Phi(beta) / phi(beta)) is the Halfin-Whitt limit of Erlang
    C; solved by bisection (vectorised, fixed 11 steps) in beta within [0, 12]."""
    root_a = np.sqrt(a)
    k = root_a * t / aht
    log_tail = np.log(tail)
    lo = np.zeros_like(a)
    hi = np.full_like(a, 12.0)
    c = math.sqrt(2 * math.pi)
    for _ in range(11):  # beta to within 0.006: a fraction of an agent below ~10^4 Erlangs
        mid = 0.5 * (lo + hi)
        h = special.ndtr(mid)
        h *= np.exp(0.5 * mid * mid)
        h *= c * mid
        h = -np.log1p(h, out=h)
        h -= mid * k
        h -= log_tail
        above = h > 0  # tail still too big: need more agents
        np.copyto(lo, mid, where=above)
        np.copyto(hi, mid, where=~above)
    return np.round(a + hi * root_a)


def required_agents(
    volume: ArrayLike,
    interval_seconds: ArrayLike,
    aht_seconds: ArrayLike,
    target_sl: ArrayLike,
    target_seconds: ArrayLike,
    max_occupancy: ArrayLike | None = None,
    target_asa: ArrayLike | None = None,
) -> np.ndarray:
    """Smallest agent count per interval meeting every target (Erlang C).

    Targets: SL >= ``target_sl`` within ``target_seconds``; occupancy A/N <=
    ``max_occupancy``; ASA <= ``target_asa`` seconds. Each holds from some N upwards, so
    their conjunction does too. Zero traffic needs 0 agents. Returns int64 of the
    broadcast shape.
    """
    validate_inputs(
        volume=volume,
        interval_seconds=interval_seconds,
        aht_seconds=aht_seconds,
        target_sl=target_sl,
        target_seconds=target_seconds,
        max_occupancy=max_occupancy,
        target_asa=target_asa,
    )
    parts = [
        _arr(volume),
        _arr(interval_seconds),
        _arr(aht_seconds),
        _arr(target_sl),
        _arr(target_seconds),
        _arr(1.0 if max_occupancy is None else max_occupancy),
        _arr(np.inf if target_asa is None else target_asa),
    ]
    shape = np.broadcast_shapes(*(p.shape for p in parts))
    vol, ivl, aht, sl, t, occ, asa = (np.broadcast_to(p, shape).ravel() for p in parts)
    a = vol * aht / ivl
    result = np.zeros(a.size, dtype=np.int64)
    busy = np.flatnonzero(a > 0)
    if busy.size:
        result[busy] = _solve(a[busy], aht[busy], t[busy], np.maximum(1.0 - sl[busy], _MIN_TAIL), occ[busy], asa[busy])
    return result.reshape(shape)


def _solve(a, aht, t, tail, occ, asa) -> np.ndarray:
    log_tail_target = np.log(tail)
    log_asa_target = np.log(asa)  # +inf when there is no ASA target
    lower = np.maximum(np.floor(a) + 1.0, np.ceil(a / occ * (1.0 - _REL_TOL)))
    n = np.maximum(lower, _halfin_whitt_guess(a, aht, t, tail))
    log_b = log_erlang_b(n, a)

    def meets(idx, n_i, lb_i):
        a_i = a[idx]
        ok = (n_i > a_i) & (a_i <= occ[idx] * n_i * (1.0 + _REL_TOL))
        with np.errstate(divide="ignore", invalid="ignore"):
            log_c = np.log(n_i) + lb_i - np.log(n_i - a_i + a_i * np.exp(lb_i))
            gap = n_i - a_i
            ok &= log_c - gap * t[idx] / aht[idx] <= log_tail_target[idx]
            ok &= log_c + np.log(aht[idx]) - np.log(gap) <= log_asa_target[idx]
        return ok

    everyone = np.arange(a.size)
    met_at_guess = meets(everyone, n, log_b)

    # Walk up with B(n+1) = A B / (n + 1 + A B) until met.
    idx = everyone[~met_at_guess]
    while idx.size:
        a_i, lb_i = a[idx], log_b[idx]
        lb_i = np.log(a_i) + lb_i - np.log(n[idx] + 1.0 + a_i * np.exp(lb_i))
        n[idx] += 1.0
        log_b[idx] = lb_i
        idx = idx[~meets(idx, n[idx], lb_i)]

    # Walk down with B(n-1) = n B / (A (1 - B)) while one agent fewer still meets.
    idx = everyone[met_at_guess & (n - 1.0 >= lower)]
    while idx.size:
        a_i, n_i, lb_i = a[idx], n[idx], log_b[idx]
        lb_down = np.log(n_i) + lb_i - np.log(a_i) - np.log1p(-np.exp(lb_i))
        ok = meets(idx, n_i - 1.0, lb_down)
        step = idx[ok]
        n[step] -= 1.0
        log_b[step] = lb_down[ok]
        idx = step[n[step] - 1.0 >= lower[step]]
    return n.astype(np.int64)
