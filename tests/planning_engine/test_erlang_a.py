"""Erlang A against a direct solve of the birth-death chain and its known limits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from concord.planning.engine import erlang_a as ea
from concord.planning.engine import queueing as q


def chain_reference(n, lam, mu, theta, t, extra_states=600):
    """Independent computation on the truncated M/M/n+M chain (no incomplete gammas).

    Stationary law by the balance recursion; P(abandon) = theta E[queue] / lambda.
    A tagged arrival with j callers ahead is followed as an absorbing chain over
    'callers ahead' (head moves at n mu + i theta, the tagged caller leaves at theta):
    answered-by-T from the matrix exponential, E[wait; answered] from two linear solves.
    """
    size = n + extra_states
    logp = np.zeros(size)
    for k in range(1, size):
        rate = min(k, n) * mu + max(k - n, 0) * theta
        logp[k] = logp[k - 1] + math.log(lam / rate)
    p = np.exp(logp - logp.max())
    p /= p.sum()
    p_wait = p[n:].sum()
    queue = np.arange(size - n)
    p_ab = theta * (queue * p[n:]).sum() / lam

    m = extra_states  # transient states: callers ahead 0 .. m-1
    gen = np.zeros((m + 2, m + 2))  # + answered, + abandoned
    for i in range(m):
        if i > 0:
            gen[i, i - 1] = n * mu + i * theta
        else:
            gen[i, m] = n * mu
        gen[i, m + 1] = theta
        gen[i, i] = -gen[i].sum()
    answered_by_t = expm(gen * t)[:m, m]
    sl = p[:n].sum() + (p[n:] * answered_by_t).sum()
    sub = -gen[:m, :m]
    answered_eventually = np.linalg.solve(sub, gen[:m, m])
    wait_answered = np.linalg.solve(sub, answered_eventually)
    asa = (p[n:] * wait_answered).sum() / (1 - p_ab)
    return p_wait, p_ab, sl, asa


CASES = [
    # agents, calls per 30 min, AHT s, patience s, T s
    (14, 100, 180, 600, 20),  # callcentrehelper load, 10-minute patience
    (12, 100, 180, 60, 20),  # impatient callers
    (8, 100, 180, 300, 20),  # overloaded: fewer agents than Erlangs (Erlang C undefined)
    (50, 400, 240, 120, 30),  # 53 Erlangs on 50 agents
    (3, 10, 300, 1000, 15),  # tiny queue, very patient callers
    (100, 1000, 180, 180, 20),  # 100 Erlangs
    (1, 5, 600, 30, 0),  # one agent, T = 0
]


@pytest.mark.parametrize(("n", "volume", "aht", "patience", "t"), CASES)
def test_matches_the_birth_death_chain(n, volume, aht, patience, t):
    lam = volume / 1800
    want = chain_reference(n, lam, 1 / aht, 1 / patience, t)
    got = ea.erlang_a(n, volume, 1800, aht, patience, t)
    assert float(got.probability_wait) == pytest.approx(want[0], rel=1e-9)
    assert float(got.probability_abandon) == pytest.approx(want[1], rel=1e-8)
    assert float(got.service_level) == pytest.approx(want[2], rel=1e-8, abs=1e-12)
    assert float(got.asa_seconds) == pytest.approx(want[3], rel=1e-6)


def test_infinite_patience_is_erlang_c():
    # Garnett, Mandelbaum & Reiman (2002): Erlang C is Erlang A with theta = 0.
    n = np.arange(11, 20)
    c = q.erlang_c(n, 100, 1800, 180, 20)
    very_patient = ea.erlang_a(n, 100, 1800, 180, 1e9, 20)
    for field in ("probability_wait", "service_level", "asa_seconds", "occupancy"):
        assert getattr(very_patient, field) == pytest.approx(getattr(c, field), rel=1e-5), field
    assert np.all(very_patient.probability_abandon < 1e-5)
    inf = ea.erlang_a(n, 100, 1800, 180, math.inf, 20)
    assert inf.service_level == pytest.approx(c.service_level, rel=1e-14)


def test_many_agents_means_no_wait():
    m = ea.erlang_a(400, 100, 1800, 180, 120, 20)
    assert float(m.probability_wait) < 1e-200
    assert float(m.service_level) == 1.0
    assert float(m.probability_abandon) < 1e-200


def test_overload_is_stable_and_sheds_the_excess_through_abandonment():
    # 100 Erlangs on 50 agents: about half the callers must abandon; the agents stay busy.
    m = ea.erlang_a(50, 1000, 1800, 180, 120, 20)
    assert float(m.probability_wait) == pytest.approx(1.0, abs=1e-4)
    assert float(m.probability_abandon) == pytest.approx(0.5, abs=1e-3)
    assert float(m.occupancy) == pytest.approx(1.0, abs=1e-4)
    assert math.isfinite(float(m.asa_seconds))


def test_huge_traffic_and_patient_callers_stay_finite():
    m = ea.erlang_a(np.array([9_900, 10_000, 10_100]), 100_000, 1800, 180, 3600, 20)
    for field in ("probability_wait", "probability_abandon", "service_level", "asa_seconds"):
        assert np.all(np.isfinite(getattr(m, field))), field
    assert np.all(np.diff(m.service_level) > 0)


def test_zero_volume_and_zero_agents():
    m = ea.erlang_a(np.array([0, 3]), 0, 1800, 180, 60, 20)
    assert m.probability_wait.tolist() == [0, 0] and m.service_level.tolist() == [1, 1]
    nobody = ea.erlang_a(0, 50, 1800, 180, 60, 20)
    assert float(nobody.probability_abandon) == 1 and float(nobody.service_level) == 0
    assert int(ea.required_agents(0, 1800, 180, 60, 0.8, 20)) == 0


def test_required_agents_is_the_smallest_meeting_every_target():
    volume = np.array([100, 100, 100, 1000, 5])
    patience = np.array([600, 60, 1e9, 180, 30])
    n = ea.required_agents(volume, 1800, 180, patience, 0.8, 20)
    ok = ea.erlang_a(n, volume, 1800, 180, patience, 20).service_level >= 0.8
    short = ea.erlang_a(n - 1, volume, 1800, 180, patience, 20).service_level < 0.8
    assert ok.all() and short.all()
    assert n[2] == 14  # with no abandonment this is the Erlang C answer
    capped = ea.required_agents(100, 1800, 180, 600, 0.8, 20, max_abandon=0.005)
    assert float(ea.erlang_a(capped, 100, 1800, 180, 600, 20).probability_abandon) <= 0.005
    assert float(ea.erlang_a(capped - 1, 100, 1800, 180, 600, 20).probability_abandon) > 0.005


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.2, 500), aht=st.floats(30, 900), patience=st.floats(5, 5000), t=st.floats(0, 120))
def test_more_agents_never_hurt(a, aht, patience, t):
    n = np.arange(1, math.ceil(a) + 40)
    m = ea.erlang_a(n, a * 1800 / aht, 1800, aht, patience, t)
    assert np.all(np.diff(m.service_level) >= -1e-12)
    assert np.all(np.diff(m.probability_abandon) <= 1e-12)
    assert np.all(np.diff(m.asa_seconds) <= 1e-9 * m.asa_seconds[:-1] + 1e-12)
    assert np.all((m.service_level >= 0) & (m.service_level <= 1))


def chain_short_abandon(n, lam, mu, theta, s, extra_states=600):
    """P(a caller abandons within s seconds), on the same truncated chain as chain_reference:
    the 'abandoned' absorbing state reached by time s, weighted by the callers ahead on arrival."""
    size = n + extra_states
    logp = np.zeros(size)
    for k in range(1, size):
        rate = min(k, n) * mu + max(k - n, 0) * theta
        logp[k] = logp[k - 1] + math.log(lam / rate)
    p = np.exp(logp - logp.max())
    p /= p.sum()
    m = extra_states
    gen = np.zeros((m + 2, m + 2))
    for i in range(m):
        if i > 0:
            gen[i, i - 1] = n * mu + i * theta
        else:
            gen[i, m] = n * mu
        gen[i, m + 1] = theta
        gen[i, i] = -gen[i].sum()
    return float((p[n:] * expm(gen * s)[:m, m + 1]).sum())


@pytest.mark.parametrize(("n", "volume", "aht", "patience", "t"), CASES[:5])
@pytest.mark.parametrize("s", [5.0, 30.0])
def test_short_abandons_match_the_chain_and_leave_the_denominator(n, volume, aht, patience, t, s):
    # given a short-abandon threshold of s seconds
    want_short = chain_short_abandon(n, volume / 1800, 1 / aht, 1 / patience, s)
    plain = ea.erlang_a(n, volume, 1800, aht, patience, t)
    got = ea.erlang_a(n, volume, 1800, aht, patience, t, short_abandon_seconds=s)
    # then the share abandoned within s is the chain's, no more than all abandons
    assert float(got.probability_short_abandon) == pytest.approx(want_short, rel=1e-7, abs=1e-13)
    assert float(got.probability_short_abandon) <= float(plain.probability_abandon) + 1e-15
    # and SL = answered within T / (offered - abandoned within s)
    assert float(got.service_level) == pytest.approx(float(plain.service_level) / (1 - want_short), rel=1e-7)
    assert float(got.probability_abandon) == float(plain.probability_abandon)


def test_short_abandon_limits():
    # s = 0 changes nothing; s -> infinity counts every abandon as short
    plain = ea.erlang_a(12, 100, 1800, 180, 60, 20)
    zero = ea.erlang_a(12, 100, 1800, 180, 60, 20, short_abandon_seconds=0)
    huge = ea.erlang_a(12, 100, 1800, 180, 60, 20, short_abandon_seconds=1e9)
    assert float(zero.service_level) == pytest.approx(float(plain.service_level), rel=1e-12)
    assert float(huge.probability_short_abandon) == pytest.approx(float(plain.probability_abandon), rel=1e-9)
    assert plain.probability_short_abandon is None
    # excluding short abandons can only lower the agents needed
    base = ea.required_agents(100, 1800, 180, 60, 0.8, 20)
    fewer = ea.required_agents(100, 1800, 180, 60, 0.8, 20, short_abandon_seconds=10)
    assert fewer <= base
    with pytest.raises(ValueError, match="short_abandon_seconds"):
        ea.erlang_a(12, 100, 1800, 180, 60, 20, short_abandon_seconds=-1)
