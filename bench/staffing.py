"""Benchmark: required agents for a year of 15-minute intervals across 20 queues.

    .venv/bin/python bench/staffing.py [--sample 20000] [--seed 1]

35,040 intervals x 20 queues = 700,800 Erlang C solves, by Concord's vectorised solver,
against a straightforward per-interval Python loop over the textbook formula (Erlang C
from the Erlang B recurrence, agents added one at a time from ceil(A) until the SL
target is met). The loop runs on a random sample of intervals and its full-year time is
extrapolated linearly (said so in the output); answers must be identical on the sample.
"""

from __future__ import annotations

import argparse
import math
import sys
import time

import numpy as np

from concord.planning.engine.queueing import required_agents

INTERVALS = 365 * 96  # 15-minute intervals in a year
QUEUES = 20
INTERVAL_SECONDS = 900.0


def synthetic_year(seed: int):
    """Realistic volumes: daily and weekly shape, queue sizes from ~5 to ~400 calls per
    15 minutes at peak, night troughs near zero, AHT 150-600 s per queue with noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(INTERVALS)
    hour = (t % 96) / 4.0
    weekday = (t // 96) % 7
    daily = np.exp(-0.5 * ((hour - 11.0) / 3.0) ** 2) + 0.7 * np.exp(-0.5 * ((hour - 16) / 2.5) ** 2)
    daily = daily + 0.02
    weekly = np.where(weekday < 5, 1.0, 0.45)
    season = 1.0 + 0.15 * np.sin(2 * np.pi * t / INTERVALS)
    peak = rng.uniform(5, 400, QUEUES)[:, None]
    mean = peak * daily * weekly * season / daily.max()
    volume = rng.poisson(mean).astype(float)
    aht = rng.uniform(150, 600, QUEUES)[:, None] * rng.lognormal(0, 0.1, (QUEUES, INTERVALS))
    target_sl = np.repeat(rng.choice([0.8, 0.85, 0.9], QUEUES)[:, None], INTERVALS, axis=1)
    target_t = np.repeat(rng.choice([20.0, 30.0, 60.0], QUEUES)[:, None], INTERVALS, axis=1)
    return volume.ravel(), aht.ravel(), target_sl.ravel(), target_t.ravel()


def textbook_erlang_c(n: int, a: float) -> float:
    """DOMAIN.md's formula as written, one candidate N at a time; the terms A^k/k! are
    built by multiplication (raw factorials overflow a float beyond N = 170)."""
    term, head = 1.0, 0.0
    for k in range(n):
        head += term
        term *= a / (k + 1)
    top = term * n / (n - a)
    return top / (head + top)


def textbook_required(volume: float, aht: float, sl: float, t: float) -> int:
    """The straightforward loop: try N = floor(A) + 1, + 2, ... until the SL is met."""
    a = volume * aht / INTERVAL_SECONDS
    if a <= 0:
        return 0
    n = math.floor(a) + 1
    while 1 - textbook_erlang_c(n, a) * math.exp(-(n - a) * t / aht) < sl:
        n += 1
    return n


def recurrence_required(volume: float, aht: float, sl: float, t: float) -> int:
    """A tuned scalar loop for comparison: Erlang B carried from one N to the next."""
    a = volume * aht / INTERVAL_SECONDS
    if a <= 0:
        return 0
    n = math.floor(a) + 1
    b = 1.0
    for k in range(1, n + 1):  # Erlang B by its recurrence up to n
        b = a * b / (k + a * b)
    while True:
        c = n * b / (n - a * (1 - b))
        if 1 - c * math.exp(-(n - a) * t / aht) >= sl:
            return n
        n += 1
        b = a * b / (n + a * b)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    volume, aht, sl, t = synthetic_year(args.seed)
    total = volume.size
    a = volume * aht / INTERVAL_SECONDS
    print(
        f"intervals: {INTERVALS:,} x {QUEUES} queues = {total:,} solves; "
        f"traffic mean {a.mean():.1f}, max {a.max():.1f} Erlangs"
    )

    required_agents(volume[:1000], INTERVAL_SECONDS, aht[:1000], sl[:1000], t[:1000])  # warm-up
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        agents = required_agents(volume, INTERVAL_SECONDS, aht, sl, t)
        best = min(best, time.perf_counter() - start)
    print(
        f"Concord vectorised: {best:.3f} s for {total:,} solves (best of 3), "
        f"{total / best / 1e6:.2f} M solves/s, agents max {agents.max()}, "
        f"sum {agents.sum():,}"
    )

    rng = np.random.default_rng(args.seed + 1)
    sample = rng.choice(total, size=min(args.sample, total), replace=False)
    speedups = {}
    mismatches = 0
    for name, fn in (
        ("textbook loop", textbook_required),
        ("tuned scalar loop (Erlang B recurrence)", recurrence_required),
    ):
        start = time.perf_counter()
        loop = np.array([fn(volume[i], aht[i], sl[i], t[i]) for i in sample])
        loop_time = time.perf_counter() - start
        extrapolated = loop_time * total / sample.size
        speedups[name] = extrapolated / best
        differ = int((loop != agents[sample]).sum())
        mismatches += differ
        print(
            f"{name}: {loop_time:.2f} s for a random sample of {sample.size:,} intervals; "
            f"extrapolated linearly to {total:,}: {extrapolated:.1f} s -> Concord is "
            f"{speedups[name]:.0f}x faster; answers identical on the sample: "
            f"{'yes' if differ == 0 else f'NO ({differ} differ)'}"
        )
    ok = mismatches == 0 and best <= 2.0 and speedups["textbook loop"] >= 50
    print("targets (<= 2 s, >= 50x the textbook loop, identical):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
