"""Benchmark: drift checks for every provider x metric x day over six months (target: at most 10 s).

Two modes:
- default: a synthetic lake (``concord.metrics.synthetic``: 5 providers x 3 programs, 183 days, 1M contacts
  by default), every daily-watchable metric of the registry (a numerator and a denominator on the
  interactions table), grouped by provider and program per day in one metric query, then the detector
  (``concord.metrics.drift.detect``) on every series. Pure: no database.
- ``--demo VAR_DIR``: the real daily scan (``drift_services.scan_all``) over a loaded demo (its database and
  lake under VAR_DIR), as the scheduled task runs it; alerts already raised are kept (it is idempotent).

Each mode runs ``--repeat`` times (each run a fresh engine connection, so the query is cold); prints min,
median and max wall time and the split between the query and the detector.

    .venv/bin/python bench/drift.py
    .venv/bin/python bench/drift.py --rows 3000000
    .venv/bin/python bench/drift.py --demo /tmp/drift-var
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

DAYS = 183


def synthetic(rows: int, repeat: int, lake_dir: str | None) -> list[tuple[float, float, int, float]]:
    from concord.lake.store import Lake
    from concord.metrics import REGISTRY, MetricRef, MetricRequest, connect, drift, run
    from concord.metrics.synthetic import START, build_lake

    path = Path(lake_dir or tempfile.mkdtemp(prefix="drift-bench-"))
    marker = path / f".bench-{rows}"
    if not marker.exists():
        t = time.perf_counter()
        build_lake(path, rows, days=DAYS, chunk=1_000_000)
        marker.touch()
        print(f"built a {rows:,}-row lake over {DAYS} days in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    lake = Lake(path)
    keys = sorted(
        m.key
        for m in REGISTRY.values()
        if m.source == "interactions" and m.denominator is not None and not callable(m.scale)
    )
    start = START.date()
    request = MetricRequest(
        metrics=[MetricRef(k, min_volume=0) for k in keys],
        start=start,
        end=start + dt.timedelta(days=DAYS),
        timezone="Europe/Madrid",
        grain="day",
        group_by=("provider", "program"),
    )
    out = []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        result = run(request, lake, connect("duckdb"))
        t1 = time.perf_counter()
        series: dict[tuple, tuple[list, list, list]] = {}
        for row in result.rows:
            for k in keys:
                v = row.values[k]
                days, nums, dens = series.setdefault(
                    (row.dimensions["provider"], row.dimensions["program"], k), ([], [], [])
                )
                days.append(row.period_start)
                nums.append(v.numerator or 0.0)
                dens.append(v.denominator or 0.0)
        results = drift.detect_many(
            list(series.values()), baseline_days=84, direction="both", min_volume=10, first_day=start
        )
        checked = sum(not isinstance(r, drift.DriftInputError) for r in results)
        t2 = time.perf_counter()
        out.append((t1 - t0, t2 - t1, checked, time.process_time() - c0))
    print(f"{len(keys)} metrics: {', '.join(keys)}")
    return out


def demo(var_dir: str, repeat: int) -> list[tuple[float, float, int, float]]:
    os.environ["CONCORD_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    import django

    django.setup()
    from django.core.cache import cache

    from concord.performance import drift_services
    from concord.performance.models import DriftScan

    last = DriftScan.objects.order_by("-pk").first()
    through = last.through if last else None
    out = []
    for _ in range(repeat):
        cache.clear()  # cold: the metric result cache would otherwise answer the query
        c0, t0 = time.process_time(), time.perf_counter()
        result = drift_services.scan_all(through=through)
        out.append((time.perf_counter() - t0, 0.0, result["checked"], time.process_time() - c0))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lake", help="Keep the synthetic lake here (reused when present).")
    parser.add_argument("--demo", metavar="VAR_DIR", help="Time the real daily scan over a loaded demo.")
    args = parser.parse_args()
    runs = demo(args.demo, args.repeat) if args.demo else synthetic(args.rows, args.repeat, args.lake)
    totals = [q + d for q, d, _, _ in runs]
    cpu = [c for *_, c in runs]
    what = "demo daily scan" if args.demo else f"synthetic {args.rows:,} contacts, {DAYS} days"
    print(f"{what}: {runs[0][2]} series (provider x metric) x every day")
    print(
        f"wall s: min {min(totals):.2f}  median {statistics.median(totals):.2f}  max {max(totals):.2f}  "
        f"(target <= 10 s); CPU s (all threads) median {statistics.median(cpu):.2f}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    if not args.demo:
        print(
            f"  query median {statistics.median(q for q, _, _, _ in runs):.2f} s, "
            f"detector median {statistics.median(d for _, d, _, _ in runs):.3f} s"
        )
    if max(totals) > 10:
        print("OVER TARGET", file=sys.stderr)


if __name__ == "__main__":
    main()
