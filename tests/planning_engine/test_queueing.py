"""Erlang C against published worked examples and an exact textbook reference."""

from __future__ import annotations

import math
from decimal import Decimal, getcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from concord.planning.engine import queueing as q

getcontext().prec = 80


def exact_erlang_c(n: int, a: Fraction) -> Fraction:
    """The textbook formula term by term in exact rationals (DOMAIN.md, Queueing)."""
    term = Fraction(1)
    head = Fraction(0)
    for k in range(n):
        head += term
        term = term * a / (k + 1)  # a^(k+1)/(k+1)!
    top = term * n / (n - a)
    return top / (head + top)


def exact_log10_tail(n: int, a: Fraction, aht: int, t: int) -> Decimal:
    """log10 P(wait > t) at 80 significant digits."""
    c = exact_erlang_c(n, a)
    ln_c = Decimal(c.numerator).ln() - Decimal(c.denominator).ln()
    decay = Decimal((n - a).numerator) / Decimal((n - a).denominator) * t / aht
    return (ln_c - decay) / Decimal(10).ln()


def textbook_required(a: Fraction, aht: int, t: int, sl: float) -> int:
    n = math.floor(a) + 1
    while True:
        c = float(exact_erlang_c(n, a))
        if 1 - c * math.exp(-float(n - a) * t / aht) >= sl:
            return n
        n += 1


def test_callcentrehelper_worked_example():
    # callcentrehelper.com, "Erlang C formula - made simple with an easy worked example":
    # 100 calls in 30 min, AHT 180 s, 80% in 20 s -> 10 Erlangs, 14 agents,
    # P(wait) 17.4%, SL 88.8%, ASA 7.8 s, occupancy 71.4%.
    m = q.erlang_c(14, 100, 1800, 180, 20)
    assert float(m.traffic_erlangs) == pytest.approx(10.0)
    assert float(m.probability_wait) == pytest.approx(0.1741, abs=5e-5)
    assert float(m.service_level) == pytest.approx(0.8884, abs=5e-5)
    assert float(m.asa_seconds) == pytest.approx(7.8, abs=0.05)
    assert float(m.occupancy) == pytest.approx(0.714, abs=5e-4)
    assert int(q.required_agents(100, 1800, 180, 0.8, 20)) == 14
    # and 13 agents fall short (their table: SL 79.6%)
    assert float(q.service_level(13, 10.0, 180, 20)) == pytest.approx(0.7956, abs=5e-4)
    # independent: exact rationals
    assert float(m.probability_wait) == pytest.approx(float(exact_erlang_c(14, Fraction(10))), rel=1e-13)


def test_360_calls_in_half_an_hour():
    # The classic "360 calls per 30 min, AHT 240 s, 80/20" example: 48 Erlangs. Computed
    # exactly, 54 agents give SL 81.7% and 53 give 75.2%, so 54 is the smallest count
    # (figures quoting 55 include rounding up for a margin, not Erlang C itself).
    a = Fraction(360 * 240, 1800)
    assert a == 48
    expected = textbook_required(a, 240, 20, 0.8)
    assert expected == 54
    assert int(q.required_agents(360, 1800, 240, 0.8, 20)) == expected
    assert float(q.service_level(54, 48, 240, 20)) == pytest.approx(0.8172, abs=5e-4)


@pytest.mark.parametrize(
    ("n", "a"),
    [
        (2, Fraction(1, 2)),
        (14, Fraction(10)),
        (55, Fraction(48)),
        (120, Fraction(1001, 10)),
        (400, Fraction(350)),
        (1500, Fraction(1400)),
        (3000, Fraction(2500)),
    ],
)
def test_probability_wait_matches_exact_rationals(n, a):
    got = float(q.probability_wait(n, float(a)))
    assert got == pytest.approx(float(exact_erlang_c(n, a)), rel=1e-11)


@pytest.mark.parametrize(
    ("n", "a", "aht", "t"),
    [(600, Fraction(500), 300, 450), (60, Fraction(10), 180, 20), (2000, Fraction(1800), 240, 180)],
)
def test_tail_probability_far_below_machine_epsilon(n, a, aht, t):
    # P(wait > T) around 1e-28 .. 1e-71: SL itself is 1.0 in floating point, the tail is not.
    got = q.log_probability_wait_exceeds(n, float(a), aht, t) / math.log(10)
    want = float(exact_log10_tail(n, a, aht, t))
    assert want < -28
    assert float(got) == pytest.approx(want, rel=1e-11)


def test_a_tail_of_1e_minus_70_is_resolved():
    # 600 agents, 500 Erlangs, AHT 300 s: the 450 s tail is 5.8e-71 (exact: see above);
    # the linear-scale value is no flushed zero, and an agent fewer makes it larger.
    tail = float(q.probability_wait_exceeds(600, 500.0, 300, 450.0))
    assert 1e-71 < tail < 1e-70
    assert float(q.probability_wait_exceeds(599, 500.0, 300, 450.0)) > tail


def test_required_agents_is_the_smallest_meeting_the_target_on_a_grid():
    rng = np.random.default_rng(7)
    volume = rng.uniform(0.5, 3000, 300)
    aht = rng.uniform(60, 900, 300)
    sl = rng.uniform(0.5, 0.99, 300)
    t = rng.uniform(0, 120, 300)
    n = q.required_agents(volume, 1800, aht, sl, t)
    a = volume * aht / 1800
    assert np.all(q.service_level(n, a, aht, t) >= sl)
    before = n - 1
    assert np.all((before <= a) | (q.service_level(before, a, aht, t) < sl))


def test_required_agents_agrees_with_the_textbook_loop():
    cases = [
        (Fraction(10), 180, 20, 0.8),
        (Fraction(48), 240, 20, 0.8),
        (Fraction(1, 3), 300, 10, 0.9),
        (Fraction(250), 420, 30, 0.95),
        (Fraction(7), 600, 0, 0.5),
        (Fraction(1200), 300, 20, 0.8),
    ]
    for a, aht, t, sl in cases:
        got = int(q.required_agents(float(a) * 1800 / aht, 1800, aht, sl, t))
        assert got == textbook_required(a, aht, t, sl), (a, aht, t, sl)


def test_occupancy_and_asa_targets_bind():
    # 10 Erlangs: the SL alone needs 14 (occupancy 71%); a 65% cap needs ceil(10/0.65) = 16.
    assert int(q.required_agents(100, 1800, 180, 0.8, 20, max_occupancy=0.65)) == 16
    # an ASA target of 3 s needs 16 agents (15 give 3.67 s, 16 give 1.64 s)
    n = int(q.required_agents(100, 1800, 180, 0.8, 20, target_asa=3.0))
    assert float(q.asa_seconds(n, 10, 180)) <= 3.0 < float(q.asa_seconds(n - 1, 10, 180))


def test_zero_volume_needs_nobody_and_nobody_waits():
    assert int(q.required_agents(0, 1800, 180, 0.8, 20)) == 0
    m = q.erlang_c(0, 0, 1800, 180, 20)
    assert float(m.probability_wait) == 0 and float(m.service_level) == 1
    assert float(m.asa_seconds) == 0 and float(m.occupancy) == 0
    assert int(q.scheduled_agents(0, 0.3)) == 0


@pytest.mark.parametrize("agents", [0, 5, 10])
def test_traffic_at_or_above_agents_is_unstable(agents):
    m = q.erlang_c(agents, 100, 1800, 180, 20)  # 10 Erlangs
    assert float(m.probability_wait) == 1.0
    assert float(m.service_level) == 0.0
    assert math.isinf(float(m.asa_seconds))
    assert float(m.occupancy) == 1.0


def test_huge_traffic_stays_finite_and_correct():
    # 100,000 Erlangs: square-root staffing territory; result is A + O(sqrt A).
    n = int(q.required_agents(1e6, 900, 90, 0.8, 20))
    assert 100_000 < n < 100_000 + 5 * math.sqrt(100_000)
    assert float(q.service_level(n, 1e5, 90, 20)) >= 0.8 > float(q.service_level(n - 1, 1e5, 90, 20))


def test_vectorised_shapes_broadcast():
    n = q.required_agents(np.array([[100, 200], [0, 400]]), 1800, 180, 0.8, 20)
    assert n.shape == (2, 2) and n.dtype == np.int64
    assert n[1, 0] == 0 and n[0, 0] == 14


def test_scheduled_agents_rounds_up_after_shrinkage_but_not_float_noise():
    assert int(q.scheduled_agents(14, 0.3)) == 20  # 14 / 0.7 is 20.000000000000004 in floats
    assert int(q.scheduled_agents(15, 0.3)) == 22
    assert q.scheduled_agents(np.array([10, 11]), 0.0).tolist() == [10, 11]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"volume": -1}, "volume"),
        ({"target_sl": 0.0}, "target_sl"),
        ({"target_sl": 1.5}, "target_sl"),
        ({"interval_seconds": 0}, "interval_seconds"),
        ({"volume": float("nan")}, "volume"),
        ({"max_occupancy": 0}, "max_occupancy"),
        ({"target_asa": 0}, "target_asa"),
    ],
)
def test_bad_input_is_refused_with_the_argument_named(kwargs, message):
    args = {
        "volume": 100,
        "interval_seconds": 1800,
        "aht_seconds": 180,
        "target_sl": 0.8,
        "target_seconds": 20,
    } | kwargs
    with pytest.raises(ValueError, match=message):
        q.required_agents(**args)
    with pytest.raises(ValueError, match="shrinkage"):
        q.scheduled_agents(10, 1.0)


@settings(max_examples=60, deadline=None)
@given(a=st.floats(0.05, 2000), aht=st.floats(10, 1200), t=st.floats(0, 300))
def test_service_level_rises_and_asa_falls_with_agents(a, aht, t):
    n = np.arange(math.floor(a) + 1, math.floor(a) + 60)
    sl = q.service_level(n, a, aht, t)
    asa = q.asa_seconds(n, a, aht)
    assert np.all(np.diff(sl) >= -1e-15)
    assert np.all(np.diff(asa) <= 1e-12 * asa[:-1])
    assert np.all((sl >= 0) & (sl <= 1))
