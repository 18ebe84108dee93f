"""Benchmark: ingest cost grows with the batch, not the table; fresh ingest vs DuckDB; concurrent ingests.

    .venv/bin/python bench/scale.py --small 1000000 --big 5000000 --batch 100000

Prints, in one run:
- incremental ingest of ``--batch`` new rows (recent dates, ids beyond every stored one, as a daily
  export brings) into a table of ``--small`` and of ``--big`` stored rows: the ratio big/small (goal <= 1.3);
- fresh ingest of the ``--small`` file vs DuckDB's own CSV -> Parquet of the same file (goal <= 1.5);
- two processes ingesting the same ``--small`` file at once under the table's write lock (the SQLite
  deployment's flock beside the database; PostgreSQL takes an advisory lock the same way): distinct keys
  and rows afterwards (goal: both exactly ``--small``).
CSV generation is not timed. CPU seconds are printed beside wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.compute as pc

from concord.ingest.engine import synthetic
from concord.ingest.engine.run import ingest_file
from concord.lake import write
from concord.lake.store import Lake


def _csv(path: Path, rows: int, *, start_id: int, recent: bool = False) -> Path:
    if recent:  # the last ten days of the stored span: a daily or weekly export
        synthetic._START, synthetic._SPAN_S = np.datetime64("2024-06-22T00:00:00", "s"), 10 * 86400
    try:
        return synthetic.write_canonical_csv(path, rows, start_id=start_id)
    finally:
        synthetic._START, synthetic._SPAN_S = np.datetime64("2024-01-01T00:00:00", "s"), 183 * 86400


def _timed(fn):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - c0


def _ingest(path: Path, lake: Lake, tmp: Path):
    result = ingest_file(path, "canonical-csv", lake, quarantine_path=tmp / f"q-{path.stem}.csv")
    assert result.ok and not result.rejected, result.errors
    return result


def incremental(tmp: Path, small: int, big: int, batch: int) -> None:
    # ids: 7+ digits throughout (same length, so text order is number order, as with real ticket ids)
    base = 10 ** max(7, len(str(big)) + 1)
    new = _csv(tmp / "new.csv", batch, start_id=base + big + 1, recent=True)
    timings = {}
    for size in (small, big):
        stored = _csv(tmp / f"stored-{size}.csv", size, start_id=base + 1)
        lake = Lake(tmp / f"lake-{size}")
        result, wall, cpu = _timed(lambda lake=lake, stored=stored: _ingest(stored, lake, tmp))
        print(f"  fresh ingest of {size:,} rows: {wall:.2f}s wall, {cpu:.2f}s CPU")
        if size == small:
            fresh_vs_duckdb(tmp, stored, wall)
        result, wall, cpu = _timed(lambda lake=lake: _ingest(new, lake, tmp))
        files_read, files = write.LOOKUPS[-1]
        assert result.inserted == batch, result
        timings[size] = (wall, cpu)
        print(f"  {batch:,} new rows into {size:,} stored: {wall:.2f}s wall, {cpu:.2f}s CPU; "
              f"key lookup read {files_read} of {files} files")
        stored.unlink()
    (ws, cs), (wb, cb) = timings[small], timings[big]
    print(f"incremental ingest {big:,} vs {small:,} stored rows: wall {wb / ws:.2f}x, CPU {cb / cs:.2f}x (goal <= 1.3)")


def fresh_vs_duckdb(tmp: Path, csv: Path, ingest_wall: float) -> None:
    out = tmp / "duckdb.parquet"
    con = duckdb.connect()
    _, wall, _ = _timed(lambda: con.execute(
        f"COPY (SELECT * FROM read_csv('{csv}')) TO '{out}' (FORMAT parquet, COMPRESSION snappy)"))
    con.close()
    out.unlink()
    print(f"fresh ingest vs DuckDB CSV -> Parquet of the same file: {ingest_wall:.2f}s vs {wall:.2f}s = "
          f"{ingest_wall / wall:.2f}x (goal <= 1.5)")


def _one_host(csv: str, lake_uri: str, lock: str, tmp: str, name: str) -> tuple[int, int, int]:
    from concord.ingest.locks import _file_lock

    with _file_lock(Path(lock), wait=True):
        result = ingest_file(csv, "canonical-csv", Lake(lake_uri), quarantine_path=Path(tmp) / f"q-{name}.csv",
                             staging_dir=Path(tmp) / name)
    return result.inserted, result.updated, result.unchanged


def concurrent(tmp: Path, rows: int) -> None:
    csv = _csv(tmp / "same.csv", rows, start_id=10_000_001)
    lake = Lake(tmp / "lake-concurrent")
    for name in ("a", "b"):
        (tmp / name).mkdir()
    args = [(str(csv), lake.uri, str(tmp / "interactions.lock"), str(tmp), name) for name in ("a", "b")]
    t0 = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        outcomes = pool.starmap(_one_host, args)
    wall = time.perf_counter() - t0
    keys = lake.read_arrow("interactions", columns=["source", "external_id"])
    distinct = len(pc.unique(pc.binary_join_element_wise(keys["source"], keys["external_id"], "\x1f")))
    print(f"two concurrent ingests of one {rows:,}-row file ({wall:.1f}s): runs (inserted, updated, unchanged) "
          f"{outcomes}; stored rows {keys.num_rows:,}, distinct keys {distinct:,} (goal: both {rows:,})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1_000_000)
    parser.add_argument("--big", type=int, default=5_000_000)
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="concord-scale-", dir=args.dir) as tmp:
        incremental(Path(tmp), args.small, args.big, args.batch)
        concurrent(Path(tmp), args.small)


if __name__ == "__main__":
    main()
