"""Benchmark: canonical CSV -> committed Delta table, rows/s and peak RSS.

    .venv/bin/python bench/ingest.py --rows 10000000

Generation of the CSV is excluded from the timing (it runs first, streamed to
a temp dir, by a child process). Peak RSS is this process's ru_maxrss: the ingest
plus the imports.
CPU seconds (all threads) and the load average are printed as well: on a shared
machine other jobs slow the wall clock, and CPU time shows the engine's own cost.
Importing the engine (which initialises pyarrow's compute registry, about 0.85 s
on the 2-core machine) is timed and printed apart: a server or CLI pays it once.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path

_t0 = time.perf_counter()
from concord.ingest.engine.run import ingest_file  # noqa: E402 - timed import
from concord.ingest.engine.synthetic import write_canonical_csv  # noqa: E402
from concord.lake.store import Lake  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - _t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dir", default=None, help="work directory (default: a fresh temp dir)")
    parser.add_argument("--twice", action="store_true", help="ingest the same file again (idempotent path)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="concord-bench-", dir=args.dir) as tmp:
        csv_path = Path(tmp) / "interactions.csv"
        t0 = time.perf_counter()
        # In a child process, so that the peak RSS printed below is the ingest's alone.
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            pool.apply(write_canonical_csv, (csv_path, args.rows))
        gen = time.perf_counter() - t0
        size = csv_path.stat().st_size
        print(f"generated {args.rows:,} rows, {size / 2**20:,.0f} MiB in {gen:.1f}s (not timed)")
        rss_after_gen = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lake = Lake(Path(tmp) / "lake")
        load = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        result = ingest_file(csv_path, "canonical-csv", lake, quarantine_path=Path(tmp) / "q.csv")
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert result.ok, result.errors
        assert result.read == args.rows == result.accepted + result.rejected
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"ingested {result.read:,} rows (accepted {result.accepted:,}, rejected {result.rejected:,}, "
            f"inserted {result.inserted:,}) -> version {result.version_after}"
        )
        print(f"time {took:.2f}s  ->  {result.read / took:,.0f} rows/s, {size / 2**20 / took:,.0f} MiB/s")
        print(f"CPU {cpu:.2f}s over {os.cpu_count()} cores (load average before: {load:.1f})")
        print(f"(importing the engine took {IMPORT_SECONDS:.2f}s, not timed: once per process)")
        print(f"peak RSS {peak:,.0f} MiB (before the ingest: {rss_after_gen:,.0f} MiB)")
        if args.twice:
            t0 = time.perf_counter()
            again = ingest_file(csv_path, "canonical-csv", lake, quarantine_path=Path(tmp) / "q2.csv")
            took = time.perf_counter() - t0
            print(
                f"second run: unchanged {again.unchanged:,}, version {again.version_before} -> {again.version_after}, "
                f"{took:.2f}s ({again.read / took:,.0f} rows/s), peak RSS "
                f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB"
            )


if __name__ == "__main__":
    main()
