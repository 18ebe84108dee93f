"""Benchmark: the agreement statistics of one large calibration session.

    .venv/bin/python bench/quality.py [--graders 30] [--items 60] [--criteria 25] [--resamples 1000]

30 graders x 60 items x 25 criteria (a third yes/no, a third 1-5, a third 0-10 points), 5% of
ratings missing, every criterion's Krippendorff alpha with a 1,000-resample bootstrap interval,
Fleiss' kappa on the yes/no criteria, and the six ICCs on total scores. Budget: 3 s.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from concord.quality.agreement import session_agreement

BUDGET_SECONDS = 3.0


def synthetic_session(graders: int, items: int, criteria: int, seed: int):
    """Each item has a true quality per criterion; graders add their own bias and noise."""
    rng = np.random.default_rng(seed)
    kinds = np.array(["yes_no", "one_to_five", "points"])[np.arange(criteria) % 3]
    levels = [{"yes_no": "nominal", "one_to_five": "ordinal", "points": "interval"}[k] for k in kinds]
    truth = rng.random((1, items, criteria))
    bias = rng.normal(0, 0.08, (graders, 1, 1))
    latent = truth + bias + rng.normal(0, 0.12, (graders, items, criteria))
    cube = np.empty((graders, items, criteria))
    for i, kind in enumerate(kinds):
        x = latent[:, :, i]
        if kind == "yes_no":
            cube[:, :, i] = x > 0.3
        elif kind == "one_to_five":
            cube[:, :, i] = np.clip(np.round(1 + 4 * x), 1, 5)
        else:
            cube[:, :, i] = np.clip(np.round(10 * x), 0, 10)
    missing = rng.random(cube.shape) < 0.05
    missing[:, :, kinds == "yes_no"] = False  # keep the yes/no criteria complete so Fleiss' kappa runs
    cube[missing] = np.nan
    # the evaluation score: rated criteria only, each on its own scale, as a percentage
    top = np.array([{"yes_no": 1, "one_to_five": 5, "points": 10}[k] for k in kinds], float)
    bottom = np.array([{"yes_no": 0, "one_to_five": 1, "points": 0}[k] for k in kinds], float)
    totals = np.nanmean((cube - bottom) / (top - bottom), axis=2) * 100
    return cube, levels, totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graders", type=int, default=30)
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--criteria", type=int, default=25)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="Runs; the best is reported.")
    args = parser.parse_args()

    cube, levels, totals = synthetic_session(args.graders, args.items, args.criteria, args.seed)
    session_agreement(cube[:3, :5, :2], levels[:2], resamples=10)  # warm imports and caches
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = session_agreement(cube, levels, totals, resamples=args.resamples, seed=args.seed)
        times.append(time.perf_counter() - start)
    best = min(times)
    alphas = [c.alpha.value for c in result.criteria]
    print(
        f"{args.graders} graders x {args.items} items x {args.criteria} criteria, "
        f"{args.resamples} resamples per criterion"
    )
    print(f"alpha range {min(alphas):.3f} to {max(alphas):.3f}; ICC(2,1) on totals {result.icc['ICC2'].value:.3f}")
    print(f"best of {args.repeat}: {best:.3f} s (budget {BUDGET_SECONDS:.1f} s); all runs: "
          + ", ".join(f"{t:.3f}" for t in times))
    return 0 if best <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
