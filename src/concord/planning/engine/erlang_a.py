"""Erlang A (M/M/N+M): Erlang C with exponentially patient callers who abandon.

Notation (Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance measures",
Technion 2005; Garnett, Mandelbaum & Reiman, MSOM 4(3) 2002): arrival rate lambda,
service rate mu = 1/AHT, abandonment rate theta = 1/mean patience, N agents,
A = lambda/mu, r = N mu/theta, y = lambda/theta, and
S_r(y) = 1F1(1; r+1; y) = sum_j y^j / ((r+1)...(r+j)) = r e^y y^-r gamma(r, y)
(the function A(r, y) of Mandelbaum & Zeltyn). With E = Erlang B(N, A):

- P(wait)              = E S / (1 + (S - 1) E)
- P(abandon | wait)    = 1 - (r / y)(1 - 1/S)
- P(offered wait > t | wait) = P(r, y e^{-theta t}) / P(r, y)   (P: regularised gamma)

Derived here from the same chain (and checked in the tests against a direct solve of
the truncated birth-death chain):

- P(answered after T | wait) = r/(r+1) exp(-(N mu + theta) T + y (1 - e^{-theta T}))
                               S_{r+1}(y e^{-theta T}) / S_r(y)
  (from the offered wait V = log(y / X) / theta with X ~ Gamma(r) truncated to (0, y))
- E[wait; answered | wait]   = P(answered | wait) / theta x (1/(r+1) - d/dr log S_{r+1}(y))

- P(abandon within S | wait) = int_0^S theta e^{-theta u} P(V > u | wait) du
                               = [F(y) - F(x_S)] / (y P(r, y)),  x_S = y e^{-theta S},
  with F(x) = x P(r, x) - r P(r+1, x), an antiderivative of P(r, x) (substitute x = y e^{-theta u}).

Definitions used by Concord:
- service level = calls answered within T / calls offered (an abandoned call counts
  as not answered in time, whenever it abandoned); given a short-abandon threshold S,
  calls abandoned within S seconds are left out of the denominator instead:
  answered within T / (offered - abandoned within S);
- ASA = mean wait of the answered calls;
- occupancy = carried load / N = A (1 - P(abandon)) / N.
The model is stable for every N, including N <= A. N = 0: everyone waits and abandons.
Infinite patience gives Erlang C.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from concord.planning.engine import queueing
from concord.planning.engine._special import d_log_kummer_dr, log_erlang_b, log_kummer

ArrayLike = queueing.ArrayLike


@dataclass(frozen=True)
class ErlangAMetrics:
    """Erlang A figures for given agent counts (arrays of the broadcast shape)."""

    traffic_erlangs: np.ndarray
    agents: np.ndarray
    probability_wait: np.ndarray
    probability_abandon: np.ndarray
    service_level: np.ndarray
    asa_seconds: np.ndarray
    occupancy: np.ndarray
    probability_short_abandon: np.ndarray | None = None  # abandoned within S; with a short-abandon threshold


def erlang_a(
    agents: ArrayLike,
    volume: ArrayLike,
    interval_seconds: ArrayLike,
    aht_seconds: ArrayLike,
    patience_seconds: ArrayLike,
    target_seconds: ArrayLike,
    short_abandon_seconds: ArrayLike | None = None,
) -> ErlangAMetrics:
    """Every Erlang A figure for ``agents`` serving ``volume`` calls per interval.

    With ``short_abandon_seconds`` S, calls abandoned within S leave the service level's
    denominator (see the module docstring) and their share is reported."""
    queueing.validate_inputs(
        volume=volume,
        interval_seconds=interval_seconds,
        aht_seconds=aht_seconds,
        target_seconds=target_seconds,
        agents=agents,
        patience_seconds=patience_seconds,
    )
    arrays = np.broadcast_arrays(
        *(
            np.asarray(x, dtype=float)
            for x in (agents, volume, interval_seconds, aht_seconds, patience_seconds, target_seconds)
        )
    )
    shape = arrays[0].shape
    n, vol, ivl, aht, pat, t = (x.ravel() for x in arrays)
    short = short_abandon_seconds is not None
    if short:
        s_arr = np.asarray(short_abandon_seconds, dtype=float)
        if not np.all((s_arr >= 0) & ~np.isnan(s_arr)):
            raise ValueError(f"short_abandon_seconds must be >= 0 (got {short_abandon_seconds!r})")
        s_sec = np.broadcast_to(s_arr, shape).ravel()
    else:
        s_sec = np.zeros(n.size)
    a = vol * aht / ivl
    p_short = np.zeros(n.size)
    p_wait = np.zeros(n.size)
    p_ab = np.zeros(n.size)
    sl = np.ones(n.size)
    asa = np.zeros(n.size)

    nobody = (n == 0) & (a > 0)
    p_wait[nobody], p_ab[nobody], sl[nobody], asa[nobody] = 1.0, 1.0, 0.0, np.nan
    with np.errstate(invalid="ignore"):
        p_short[nobody] = -np.expm1(-s_sec[nobody] / pat[nobody])  # patience shorter than S

    patient = (a > 0) & (n > 0) & np.isinf(pat)
    if patient.any():
        i = patient
        p_wait[i] = queueing.probability_wait(n[i], a[i])
        sl[i] = queueing.service_level(n[i], a[i], aht[i], t[i])
        with np.errstate(divide="ignore", invalid="ignore"):
            # mean wait of answered calls = ASA over all calls, since all are answered
            asa[i] = queueing.asa_seconds(n[i], a[i], aht[i])

    i = (a > 0) & (n > 0) & np.isfinite(pat)
    if i.any():
        p_wait[i], p_ab[i], sl[i], asa[i], p_short[i] = _finite_patience(n[i], a[i], aht[i], pat[i], t[i], s_sec[i])
    if short:
        kept = 1.0 - p_short
        sl = np.where(kept > 0, np.clip(sl / np.where(kept > 0, kept, 1.0), 0.0, 1.0), 0.0)

    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(n > 0, a * (1.0 - p_ab) / np.where(n > 0, n, 1.0), 0.0)
    occ = np.clip(np.where(nobody, 1.0, occ), 0.0, 1.0)
    return ErlangAMetrics(
        traffic_erlangs=a.reshape(shape),
        agents=n.astype(np.int64).reshape(shape),
        probability_wait=p_wait.reshape(shape),
        probability_abandon=p_ab.reshape(shape),
        service_level=sl.reshape(shape),
        asa_seconds=asa.reshape(shape),
        occupancy=occ.reshape(shape),
        probability_short_abandon=p_short.reshape(shape) if short else None,
    )


def _finite_patience(n, a, aht, pat, t, s):
    r = n * pat / aht  # N mu / theta
    y = a * pat / aht  # lambda / theta
    log_e = log_erlang_b(n, a)
    log_s = log_kummer(r, y)
    # P(wait) = E S / ((1 - E) + E S), in logs so that huge S (overload) is harmless.
    log_es = log_e + log_s
    log_not_blocked = np.log1p(-np.exp(log_e))
    log_total = np.logaddexp(log_not_blocked, log_es)
    p_wait = np.exp(log_es - log_total)
    p_no_wait = np.exp(log_not_blocked - log_total)  # not 1 - p_wait: keeps its precision

    served_given_wait = (r / y) * -np.expm1(-log_s)
    p_ab = p_wait * np.clip(1.0 - served_given_wait, 0.0, 1.0)

    # Answered within T | wait = answered | wait x (1 - late share), where the late share
    # simplifies to P(r+1, x_T) / P(r+1, y) (regularised lower gammas): the ratio of two
    # accurately rounded numbers, exactly 1 at T = 0. Where the gammas underflow, the
    # same ratio comes from the scaled series S (no large terms to cancel there).
    theta_t = t / pat
    x_t = y * np.exp(-theta_t)
    p_y = special.gammainc(r + 1.0, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = special.gammainc(r + 1.0, x_t) / p_y
        deep = ~(p_y > 1e-280)
        if deep.any():
            share[deep] = np.exp(
                log_kummer(r[deep] + 1.0, x_t[deep])
                - log_kummer(r[deep] + 1.0, y[deep])
                - (r[deep] + 1.0) * theta_t[deep]
                + y[deep] * -np.expm1(-theta_t[deep])
            )
    log_late_share = np.log(np.clip(share, 0.0, 1.0))
    within = p_wait * served_given_wait * -np.expm1(np.minimum(log_late_share, 0.0))
    sl = np.clip(p_no_wait + within, 0.0, 1.0)

    # Mean wait of answered calls: E[wait; answered | wait] P(wait) / P(answered).
    bracket = 1.0 / (r + 1.0) - d_log_kummer_dr(r + 1.0, y)
    wait_answered = p_wait * served_given_wait * pat * bracket
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(p_ab < 1.0, wait_answered / (1.0 - p_ab), np.nan)

    # Abandoned within S | wait = [F(y) - F(x_S)] / (y P(r, y)), F(x) = x P(r, x) - r P(r+1, x);
    # at most the abandonment given a wait. Where P(r, y) underflows, waits are negligible.
    p_short = np.zeros(n.size)
    todo = s > 0
    if todo.any():
        r_, y_, x_s = r[todo], y[todo], y[todo] * np.exp(-s[todo] / pat[todo])
        p_r_y = special.gammainc(r_, y_)
        with np.errstate(divide="ignore", invalid="ignore"):
            numerator = (
                y_ * p_r_y - x_s * special.gammainc(r_, x_s) - r_ * (p_y[todo] - special.gammainc(r_ + 1.0, x_s))
            )
            cond = np.where(p_r_y > 1e-280, numerator / (y_ * p_r_y), 0.0)
        cond = np.clip(np.nan_to_num(cond), 0.0, np.clip(1.0 - served_given_wait[todo], 0.0, 1.0))
        p_short[todo] = p_wait[todo] * cond
    return p_wait, p_ab, sl, asa, p_short


def required_agents(
    volume: ArrayLike,
    interval_seconds: ArrayLike,
    aht_seconds: ArrayLike,
    patience_seconds: ArrayLike,
    target_sl: ArrayLike,
    target_seconds: ArrayLike,
    max_occupancy: ArrayLike | None = None,
    target_asa: ArrayLike | None = None,
    max_abandon: ArrayLike | None = None,
    short_abandon_seconds: float | None = None,
) -> np.ndarray:
    """Smallest agent count per interval meeting every target under Erlang A.

    With ``short_abandon_seconds`` the SL target is on answered within T / (offered -
    abandoned within S).

    Targets: SL (answered within T / offered) >= ``target_sl``; occupancy <=
    ``max_occupancy``; ASA of answered calls <= ``target_asa``; P(abandon) <=
    ``max_abandon``. Each improves with N, so a vectorised bisection finds the
    smallest N; zero traffic needs 0 agents.
    """
    queueing.validate_inputs(
        volume=volume,
        interval_seconds=interval_seconds,
        aht_seconds=aht_seconds,
        patience_seconds=patience_seconds,
        target_sl=target_sl,
        target_seconds=target_seconds,
        max_occupancy=max_occupancy,
        target_asa=target_asa,
    )
    if max_abandon is not None and not np.all((np.asarray(max_abandon) > 0) & (np.asarray(max_abandon) <= 1)):
        raise ValueError("max_abandon must be in (0, 1]")
    parts = [
        np.asarray(x, dtype=float)
        for x in (
            volume,
            interval_seconds,
            aht_seconds,
            patience_seconds,
            target_sl,
            target_seconds,
            1.0 if max_occupancy is None else max_occupancy,
            np.inf if target_asa is None else target_asa,
            1.0 if max_abandon is None else max_abandon,
        )
    ]
    shape = np.broadcast_shapes(*(p.shape for p in parts))
    vol, ivl, aht, pat, sl, t, occ, asa, ab = (np.broadcast_to(p, shape).ravel() for p in parts)
    a = vol * aht / ivl
    result = np.zeros(a.size, dtype=np.int64)
    busy = np.flatnonzero(a > 0)
    if busy.size == 0:
        return result.reshape(shape)
    # SL = 1 is unreachable with waiting; read it as "rounds to 1 in double precision".
    vol, ivl, aht, pat, t, occ, asa, ab = (x[busy] for x in (vol, ivl, aht, pat, t, occ, asa, ab))
    sl = np.minimum(sl[busy], 1.0 - 2.0**-53)

    def meets(nn: np.ndarray, i: np.ndarray) -> np.ndarray:
        m = erlang_a(nn, vol[i], ivl[i], aht[i], pat[i], t[i], short_abandon_seconds)
        return (
            (m.service_level >= sl[i])
            & (m.occupancy <= occ[i] * (1 + 1e-12))
            & (np.nan_to_num(m.asa_seconds, nan=np.inf) <= asa[i])
            & (m.probability_abandon <= ab[i])
        )

    # Bracket: hi doubles from ceil(A) + 1 until every interval meets its targets;
    # 0 agents never meets a target on positive traffic.
    lo = np.zeros(busy.size)
    hi = np.ceil(a[busy]) + 1.0
    todo = np.arange(busy.size)
    while todo.size:
        ok = meets(hi[todo], todo)
        todo = todo[~ok]
        lo[todo] = hi[todo]
        hi[todo] *= 2.0
    # Invariant: lo fails, hi meets.
    todo = np.flatnonzero(hi - lo > 1)
    while todo.size:
        mid = np.floor(0.5 * (lo[todo] + hi[todo]))
        ok = meets(mid, todo)
        hi[todo[ok]] = mid[ok]
        lo[todo[~ok]] = mid[~ok]
        todo = todo[hi[todo] - lo[todo] > 1]
    result[busy] = hi.astype(np.int64)
    return result.reshape(shape)
