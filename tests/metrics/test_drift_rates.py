"""The drift detector's error rates, measured on simulated operations, and its CUSUM checked independently.

The simulated operation (what the issue asks): each day's volume is Poisson around a weekly pattern
(the demo's: Monday 1.25 ... Sunday 0.45 of the mean), each contact succeeds with probability p
(binomial noise), weekends run 4-5 points lower (a weekday effect the baseline must learn), and the
baseline is *estimated from the data* by the detector: the first 84 days (12 weeks) of each run.

sigma, precisely: the daily value's baseline standard deviation, i.e. the standard deviation of one
day's value y = successes / contacts around its weekday mean, averaged (as a variance) over the days of
the week:  sigma^2 = (1/7) * sum_w p_w (1 - p_w) / lambda_w.  The plain standard deviation of the
baseline's daily values is larger (it also holds the weekend dip), so a shift measured in this sigma is
the harder one to catch; both are printed.

A shift of d sigma starts on the first monitored day with the chart at 0: for a CUSUM that is the worst
case (Lorden 1971), so the delays printed are upper bounds for shifts that start later. The delay counts
the shifted days up to and including the alarm day (1: caught on the first shifted day).
The detector watches the metric's bad direction (a drop of a success rate), as the daily scan does;
watching both directions is printed too, with its own wider interval.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from concord.metrics import drift

WEEKDAY = np.array([1.25, 1.10, 1.05, 1.0, 0.95, 0.60, 0.45])
P_WEEKDAY = np.array([0.80, 0.80, 0.80, 0.80, 0.80, 0.76, 0.75])
BASELINE = 84
MONTH = 30
RUNS = 3000


def simulate(*, runs, volume, shift_sigmas, days, seed, direction="down"):
    """(first alarm day per run, 1-based, or a large number), sigma, the baseline's plain daily SD."""
    rng = np.random.default_rng(seed)
    total = BASELINE + days
    weekday = np.arange(total) % 7  # day 0 is a Monday
    lam = volume * WEEKDAY
    sigma = np.sqrt(np.mean(P_WEEKDAY * (1 - P_WEEKDAY) / lam))
    n = rng.poisson(lam[weekday], (runs, total))
    p = np.tile(P_WEEKDAY[weekday], (runs, 1))
    p[:, BASELINE:] -= shift_sigmas * sigma  # a drop: the bad direction of a success rate
    successes = rng.binomial(n, p)
    _, sides, _, _ = drift.scan_batch(weekday, successes, n, baseline_days=BASELINE, direction=direction)
    alarms = np.zeros((runs, days), bool)
    for _, alarm in sides.values():
        alarms |= alarm
    first = np.where(alarms.any(axis=1), alarms.argmax(axis=1) + 1, 10**6)
    plain_sd = np.mean(np.std(successes[:, :BASELINE] / np.maximum(n[:, :BASELINE], 1), axis=1))
    return first, sigma, plain_sd


@pytest.mark.parametrize("volume", [150, 30])
@pytest.mark.parametrize("direction", ["down", "both"])
def test_false_alarms_and_delays_meet_the_targets(volume, direction):
    false, sigma, plain = simulate(runs=RUNS, volume=volume, shift_sigmas=0, days=MONTH, seed=11, direction=direction)
    one, _, _ = simulate(runs=RUNS, volume=volume, shift_sigmas=1, days=60, seed=12, direction=direction)
    two, _, _ = simulate(runs=RUNS, volume=volume, shift_sigmas=2, days=MONTH, seed=13, direction=direction)
    rates = {
        "false alarms per month": float(np.mean(false <= MONTH)),
        "1 sigma median delay (days)": float(np.median(one)),
        "1 sigma caught within 21 days": float(np.mean(one <= 21)),
        "2 sigma caught within 7 days": float(np.mean(two <= 7)),
        "2 sigma median delay (days)": float(np.median(two)),
    }
    print(
        f"\ndrift rates, {RUNS} runs each, mean volume {volume}/day, direction {direction}, "
        f"sigma {sigma:.4f} (plain baseline SD {plain:.4f}): " + "; ".join(f"{k} {v:.3f}" for k, v in rates.items())
    )
    assert rates["false alarms per month"] <= 0.05
    assert rates["1 sigma median delay (days)"] <= 10
    assert rates["1 sigma caught within 21 days"] >= 0.90
    assert rates["2 sigma caught within 7 days"] >= 0.90


# --- the CUSUM against a published table and an independent Markov-chain computation ----------------


def markov_chain(delta: float, *, k: float = 0.5, h: float = 5.0, states: int = 200, month: int = 30):
    """One-sided CUSUM on N(delta, 1): ARL and P(alarm within ``month`` steps).

    Brook & Evans (1972), discretised as Lucas & Crosier (1982): state 0 is S = 0, state j the interval
    of width w = 2h / (2t - 1) centred on j * w; leaving [0, h] is the alarm.
    """
    w = 2 * h / (2 * states - 1)
    centres = np.arange(states) * w
    upper = centres[None, :] + w / 2 - centres[:, None] + k - delta
    lower = centres[None, :] - w / 2 - centres[:, None] + k - delta
    q = stats.norm.cdf(upper) - stats.norm.cdf(lower)
    q[:, 0] = stats.norm.cdf(w / 2 - centres + k - delta)
    arl = np.linalg.solve(np.eye(states) - q, np.ones(states))[0]
    survive = np.ones(states)
    for _ in range(month):
        survive = q @ survive
    return arl, 1 - survive[0]


def test_the_markov_chain_reproduces_the_published_table():
    # Montgomery, Introduction to Statistical Quality Control, table 9.3: two-sided tabular CUSUM,
    # k = 1/2, h = 5: ARL 465 in control, 10.4 at a one-sigma shift, 4.01 at two sigmas
    up0, _ = markov_chain(0.0)
    two_sided0 = 1 / (2 / up0)  # two equal sides (Lucas & Crosier 1982: 1/ARL = 1/ARL+ + 1/ARL-)
    assert two_sided0 == pytest.approx(465, rel=0.02)
    up1, _ = markov_chain(1.0)
    down1, _ = markov_chain(-1.0)
    assert 1 / (1 / up1 + 1 / down1) == pytest.approx(10.4, rel=0.02)
    up2, _ = markov_chain(2.0)
    assert up2 == pytest.approx(4.01, rel=0.02)


@pytest.mark.parametrize(("delta", "seed"), [(0.0, 21), (1.0, 22), (2.0, 23)])
def test_the_cusum_recursion_matches_the_markov_chain(delta, seed):
    # the detector's recursion on N(delta, 1) with unit weights: the textbook chart
    runs, steps = 4000, 30 if delta == 0 else 60
    rng = np.random.default_rng(seed)
    x = rng.normal(delta, 1.0, (runs, steps))
    _, alarm = drift.cusum(x, np.ones_like(x), k=0.5, h=5.0, side=1)
    arl, within_month = markov_chain(delta)
    if delta == 0:
        observed = alarm.any(axis=1).mean()
        se = np.sqrt(within_month * (1 - within_month) / runs)
        print(f"\nin control: P(alarm within 30 days) simulated {observed:.4f}, Markov chain {within_month:.4f}")
        assert abs(observed - within_month) < 3.5 * se
    else:
        assert alarm.any(axis=1).all()
        lengths = alarm.argmax(axis=1) + 1
        se = lengths.std() / np.sqrt(runs)
        print(f"\nshift {delta}: mean run length simulated {lengths.mean():.3f}, Markov chain {arl:.3f}")
        assert abs(lengths.mean() - arl) < 3.5 * se
