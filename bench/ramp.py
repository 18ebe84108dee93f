"""Benchmark: ramp curves for 2,000 agents over two years of the lake (issue 15: at most 3 s).

Builds a synthetic lake (``concord.metrics.synthetic``: 5 providers x 4 sites, 2,000 agents, 728 days from
2026-03-01), gives every agent a hire date (P0 is the internal team, hired long before; the others hire
through the two years) and a site zone (one per provider, five zones), then times, in turns:

(a) Concord: AHT by week of tenure for every agent through the metric registry (one query per zone), the
    internal benchmark, and the curves per provider, site and hiring cohort;
(b) the baseline: one plain DuckDB scan of the same Parquet files, handle seconds and handled contacts per
    provider, agent and UTC week, no zones, no tenure, no curves;

best wall time of each over ``--repeat`` turns, and the ratio (a) / (b). The 3 s target is for (a).

    .venv/bin/python bench/ramp.py                 # 4M interactions (about 19 contacts per agent-week)
    .venv/bin/python bench/ramp.py --rows 1000000 --lake /tmp/ramp-lake
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np

from concord.knowledge.ramp import curves as rc
from concord.knowledge.ramp.tenure import AgentHire, agent_weeks
from concord.lake.store import Lake
from concord.metrics import connect
from concord.metrics.synthetic import build_lake

AGENTS, PROVIDERS, SITES, DAYS = 2000, 5, 20, 728
START = date(2026, 3, 1)
END = START + timedelta(days=DAYS)
ZONES = ("Europe/Madrid", "Asia/Manila", "America/Bogota", "Europe/Warsaw", "Africa/Johannesburg")


def hires(seed: int = 1) -> list[AgentHire]:
    """The synthetic lake's agents (A0000..A1999; site = agent % 20, provider = site x 5 // 20) with hire dates."""
    rng = np.random.default_rng(seed)
    width = len(str(AGENTS - 1))
    out = []
    for a in range(AGENTS):
        site = a % SITES
        provider = site * PROVIDERS // SITES
        if provider == 0 or rng.random() < 0.3:  # the internal team and a share of the partners: tenured
            hired = START - timedelta(days=int(rng.integers(200, 1500)))
        else:
            hired = START + timedelta(days=int(rng.integers(0, DAYS - 30)))
        out.append(AgentHire(f"P{provider}", f"S{site:02d}", f"A{a:0{width}d}", hired, ZONES[provider]))
    return out


def concord_curves(lake: Lake, agents: list[AgentHire], con) -> dict:
    weeks = agent_weeks(agents, metric="aht", start=START, end=END, lake=lake, con=con)
    bench = rc.benchmark(weeks, metric="aht", internal={"P0"})
    seen = rc.observed(weeks)
    out = {lvl: rc.curves(seen, metric="aht", level=lvl, bench=bench.value, max_week=52) for lvl in ("site", "cohort")}
    out["provider"] = rc.curves(rc.usable(weeks), metric="aht", level="provider", bench=bench.value, max_week=52)
    return {"weeks": len(weeks), "benchmark": bench, **out}


def plain_scan(lake: Lake) -> int:
    files = str(Path(lake.table_uri("interactions")) / "**" / "*.parquet")
    sql = f"""
        SELECT provider, agent, date_trunc('week', created_at) AS week,
               sum(coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(wrap_seconds, 0))
                   FILTER (WHERE answered_at IS NOT NULL AND NOT abandoned) AS handle,
               count(*) FILTER (WHERE answered_at IS NOT NULL AND NOT abandoned) AS handled
        FROM read_parquet('{files}', hive_partitioning = true)
        WHERE created_at >= TIMESTAMPTZ '{START}' AND created_at < TIMESTAMPTZ '{END}'
        GROUP BY ALL
    """
    return len(duckdb.sql(sql).fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=4_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lake", help="Keep the lake here (reused when it exists).")
    args = parser.parse_args()
    folder = Path(args.lake) if args.lake else Path(tempfile.mkdtemp(prefix="ramp-bench-"))
    try:
        if not (folder / "interactions").exists():
            started = time.perf_counter()
            build_lake(folder, args.rows, days=DAYS, providers=PROVIDERS, sites=SITES, agents=AGENTS)
            print(f"built {args.rows:,} interactions in {time.perf_counter() - started:.1f} s")
        lake, agents, con = Lake(folder), hires(), connect("duckdb")
        best = {"concord": float("inf"), "scan": float("inf")}
        result = rows = None
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = concord_curves(lake, agents, con)
            best["concord"] = min(best["concord"], time.perf_counter() - t)
            t = time.perf_counter()
            rows = plain_scan(lake)
            best["scan"] = min(best["scan"], time.perf_counter() - t)
        print(f"agents {AGENTS:,}, days {DAYS}, agent-weeks {result['weeks']:,} (plain scan groups: {rows:,})")
        print(f"internal median AHT {result['benchmark'].value:.1f} s over {result['benchmark'].agents} agents; "
              f"curves: {len(result['provider'])} providers, {len(result['site'])} sites, "
              f"{len(result['cohort'])} cohorts")  # fmt: skip
        print(f"Concord ramp curves   {best['concord']:6.2f} s (target <= 3 s)")
        print(f"plain DuckDB scan     {best['scan']:6.2f} s")
        print(f"ratio Concord / scan  {best['concord'] / best['scan']:6.2f}x")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if not args.lake:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
