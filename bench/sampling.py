"""Benchmark: one week's QA sampling plan for 400 agents, drawn from a large synthetic lake.

    .venv/bin/python bench/sampling.py --rows 10000000 --lake /tmp/bench-lake-10m
    .venv/bin/python bench/sampling.py --rows 1000000

Builds the lake once (``concord.metrics.synthetic``: 5 providers, 5,000 agents, 30 days from
2026-03-01; skipped when ``--lake`` already holds one), then times in turns (a, b, a, b, ...;
best wall time of each) (a) ``quality.sampling.draw``: provider P0's week 2026-03-02 to 03-09,
400 agents, 5 per agent, stratified by contact type x channel, every risk weight on, and
(b) the floor any sampler pays: hand DuckDB SQL counting the same agents' contacts that week
over the same Parquet files. Prints both, the ratio, and checks the draw against the budget
(2 s) and that a second draw with the same seed is the same sample.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time

import duckdb

from concord.lake.store import Lake
from concord.metrics.synthetic import build_lake
from concord.quality import sampling

BUDGET_SECONDS = 2.0
START = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
END = START + dt.timedelta(days=7)


def agents_of_p0(count: int, total: int = 5000, sites: int = 20) -> list[str]:
    """Provider P0 runs sites 0-3 (synthetic: provider = site x 5 // 20, site = agent % 20)."""
    width = len(str(total - 1))
    return [f"A{i:0{width}d}" for i in range(total) if i % sites < 4][:count]


def floor_sql(lake: Lake, agents: list[str]) -> int:
    uris = list(lake.snapshot("interactions").file_uris)
    with duckdb.connect() as con:
        return con.execute(
            "SELECT count(*) FROM read_parquet(?, hive_partitioning = false) WHERE provider = 'P0' AND NOT abandoned "
            "AND created_at >= ? AND created_at < ? AND agent IN (SELECT unnest(?::VARCHAR[]))",
            [uris, START, END, agents],
        ).fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--lake", default=None, help="Folder for the lake (kept); default /tmp/bench-sampling-<rows>.")
    parser.add_argument("--agents", type=int, default=400)
    parser.add_argument("--per-agent", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    path = args.lake or f"/tmp/bench-sampling-{args.rows}"
    lake = Lake(path)
    if not os.path.exists(os.path.join(path, "interactions")):
        started = time.perf_counter()
        build_lake(path, args.rows, seed=11)
        print(f"built a {args.rows:,}-row lake in {time.perf_counter() - started:.1f} s at {path}")
    agents = agents_of_p0(args.agents)
    risk = sampling.Risk(low_csat=3, long_handle=2, repeat=2)

    def ours():
        return sampling.draw(
            lake, provider="P0", agents=agents, start=START, end=END, per_agent=args.per_agent, seed=2026, risk=risk
        )

    floor_sql(lake, agents[:2])  # warm the file cache and DuckDB
    ours_times, floor_times = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        result = ours()
        ours_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        candidates = floor_sql(lake, agents)
        floor_times.append(time.perf_counter() - t)
    same = [d.external_id for d in ours().drawn] == [d.external_id for d in result.drawn]
    best, base = min(ours_times), min(floor_times)
    print(f"lake {args.rows:,} rows (version {result.version}); {len(agents)} agents of P0, week of {START:%Y-%m-%d}")
    print(f"candidates {candidates:,} (draw saw {result.contacts:,}); drawn {len(result.drawn):,} "
          f"({args.per_agent} per agent, stratified, risk-weighted); same seed, same sample: {same}")
    print(f"draw best of {args.repeat}: {best:.3f} s (budget {BUDGET_SECONDS:.1f} s); "
          f"hand SQL count of the same rows: {base:.3f} s; ratio {best / base:.2f}x")
    ok = best <= BUDGET_SECONDS and same and result.contacts == candidates
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
