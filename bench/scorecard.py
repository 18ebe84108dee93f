"""Benchmark: the full interaction scorecard by provider x site x day over a synthetic lake.

Times (a) Concord's metric engine (Ibis on DuckDB), (b) a vectorised pandas version of
the same numbers and (c) hand-written DuckDB SQL over the same Parquet files; checks the
three agree and prints times and ratios.

    .venv/bin/python bench/scorecard.py --rows 10000000
    .venv/bin/python bench/scorecard.py --rows 200000 --lake /tmp/small-lake

``build_bench_lake`` is reused by the page benchmark.
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from concord.lake.store import Lake
from concord.metrics import MetricRef, MetricRequest, connect, run
from concord.metrics.periods import utc_bounds, zone
from concord.metrics.synthetic import build_lake

TZ = "Europe/Madrid"  # the range crosses the spring DST change (2026-03-29)
START, END = date(2026, 3, 1), date(2026, 3, 31)
SL_T, SHORT = 20.0, 5.0
WINDOW = 7
ASYNC = ("chat", "email", "messaging", "social")
METRICS = [
    "aht", "asa", "service_level", "abandon_rate", "fcr", "csat", "csat_mean", "nps",
    "transfer_rate", "escalation_rate", "reopen_rate", "resolution_median", "resolution_p90",
    "first_response_median", "first_response_p90", "contacts_handled", "contacts_offered",
]  # fmt: skip
KEYS = ["provider", "site", "day"]


def build_bench_lake(path: str | Path, rows: int, *, seed: int = 0) -> Lake:
    """The benchmark lake (5 providers, 20 sites, 5,000 agents, 30 days); reused when present."""
    path = Path(path)
    marker = path / f".bench-{rows}-{seed}"
    if marker.exists():
        return Lake(path)
    shutil.rmtree(path, ignore_errors=True)
    lake = build_lake(path, rows, seed=seed)
    marker.touch()
    return lake


def concord_scorecard(lake: Lake, con) -> pd.DataFrame:
    request = MetricRequest(
        metrics=[MetricRef(k) for k in METRICS],
        start=START,
        end=END,
        timezone=TZ,
        grain="day",
        group_by=("provider", "site"),
    )
    result = run(request, lake, con)
    records = [
        {**row.dimensions, "day": row.period_start, **{k: v.value for k, v in row.values.items()}}
        for row in result.rows
    ]
    return pd.DataFrame.from_records(records)


def _bounds():
    start_utc, end_utc = utc_bounds(START, END, zone(TZ))
    return start_utc, end_utc, end_utc + timedelta(days=WINDOW)


def hand_sql(files: list[str]) -> str:
    start_utc, end_utc, reach = _bounds()
    src = "read_parquet([" + ", ".join(f"'{f}'" for f in files) + "])"
    asyncs = ", ".join(f"'{c}'" for c in ASYNC)
    return f"""
    WITH base AS (
      SELECT provider, site, channel, created_at, answered_at, resolved_at, wait_seconds,
             talk_seconds, hold_seconds, wrap_seconds, abandoned, transferred, escalated,
             reopened, resolved, customer_key, csat, nps,
             LEAD(created_at) OVER (PARTITION BY customer_key ORDER BY created_at, external_id)
               AS next_created
      FROM {src}
      WHERE created_at >= '{start_utc.isoformat()}'::TIMESTAMPTZ
        AND created_at < '{reach.isoformat()}'::TIMESTAMPTZ
    ), f AS (
      SELECT *,
        CAST(timezone('{TZ}', created_at) AS DATE) AS day,
        answered_at IS NOT NULL AND NOT abandoned AS handled,
        coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(wrap_seconds, 0) AS h,
        coalesce(wait_seconds, floor(epoch(answered_at)) - floor(epoch(created_at))) AS w,
        abandoned AND NOT coalesce(wait_seconds < {SHORT}, false) AS long_ab,
        floor(epoch(answered_at)) - floor(epoch(created_at)) AS frt,
        floor(epoch(resolved_at)) - floor(epoch(created_at)) AS rt,
        resolved AND customer_key IS NOT NULL
          AND created_at + INTERVAL {WINDOW} DAY <= (SELECT max(created_at) FROM {src})
          AS fcr_ok
      FROM base
      WHERE created_at < '{end_utc.isoformat()}'::TIMESTAMPTZ
    )
    SELECT provider, site, day,
      sum(h) FILTER (handled) / nullif(count(*) FILTER (handled), 0) AS aht,
      sum(w) FILTER (handled) / nullif(count(*) FILTER (handled), 0) AS asa,
      100.0 * count(*) FILTER (handled AND w <= {SL_T})
        / nullif(count(*) FILTER (handled OR long_ab), 0) AS service_level,
      100.0 * count(*) FILTER (long_ab) / count(*) AS abandon_rate,
      100.0 * count(*) FILTER (fcr_ok AND (next_created IS NULL
                                OR next_created > created_at + INTERVAL {WINDOW} DAY))
        / nullif(count(*) FILTER (fcr_ok), 0) AS fcr,
      100.0 * count(*) FILTER (csat >= 4) / nullif(count(csat), 0) AS csat,
      avg(csat) AS csat_mean,
      100.0 * (count(*) FILTER (nps >= 9) - count(*) FILTER (nps <= 6)) / nullif(count(nps), 0)
        AS nps,
      100.0 * count(*) FILTER (handled AND transferred) / nullif(count(*) FILTER (handled), 0)
        AS transfer_rate,
      100.0 * count(*) FILTER (handled AND escalated) / nullif(count(*) FILTER (handled), 0)
        AS escalation_rate,
      100.0 * count(*) FILTER (resolved AND reopened) / nullif(count(*) FILTER (resolved), 0)
        AS reopen_rate,
      quantile_cont(rt, 0.5) FILTER (resolved AND rt IS NOT NULL) AS resolution_median,
      quantile_cont(rt, 0.9) FILTER (resolved AND rt IS NOT NULL) AS resolution_p90,
      quantile_cont(frt, 0.5) FILTER (handled AND channel IN ({asyncs})) AS first_response_median,
      quantile_cont(frt, 0.9) FILTER (handled AND channel IN ({asyncs})) AS first_response_p90,
      count(*) FILTER (handled) AS contacts_handled,
      count(*) AS contacts_offered
    FROM f
    GROUP BY ALL
    ORDER BY ALL
    """


def sql_scorecard(files: list[str], threads: int) -> pd.DataFrame:
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute("SET TimeZone = 'UTC'")
    return con.execute(hand_sql(files)).df()


COLUMNS = [
    "provider", "site", "channel", "created_at", "answered_at", "resolved_at", "wait_seconds",
    "talk_seconds", "hold_seconds", "wrap_seconds", "abandoned", "transferred", "escalated",
    "reopened", "resolved", "customer_key", "csat", "nps", "external_id",
]  # fmt: skip


def pandas_scorecard(files: list[str]) -> pd.DataFrame:
    start_utc, end_utc, reach = _bounds()
    df = pq.read_table(files, columns=COLUMNS, read_dictionary=["provider", "site", "channel"])
    df = df.to_pandas()
    horizon = df.created_at.max()
    df = df[(df.created_at >= start_utc) & (df.created_at < reach)]
    # FCR: the next contact of the same customer, in (created_at, external_id) order
    df = df.sort_values(["customer_key", "created_at", "external_id"], kind="stable")
    same = df.customer_key.eq(df.customer_key.shift(-1))
    df["next_created"] = df.created_at.shift(-1).where(same)
    df = df[df.created_at < end_utc].copy()
    df["day"] = df.created_at.dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize().dt.date

    def epoch(s):
        return np.floor(s.astype("int64") / 1e6).where(s.notna())

    created = epoch(df.created_at)
    handled = df.answered_at.notna() & ~df.abandoned
    h = df.talk_seconds.fillna(0) + df.hold_seconds.fillna(0) + df.wrap_seconds.fillna(0)
    w = df.wait_seconds.fillna(epoch(df.answered_at) - created)
    long_ab = df.abandoned & ~(df.wait_seconds < SHORT).fillna(False)
    window = pd.Timedelta(days=WINDOW)
    fcr_ok = df.resolved & df.customer_key.notna() & (df.created_at + window <= horizon)
    no_repeat = df.next_created.isna() | (df.next_created > df.created_at + window)
    frt = epoch(df.answered_at) - created
    rt = epoch(df.resolved_at) - created
    async_ = df.channel.isin(ASYNC)
    parts = pd.DataFrame(
        {
            "provider": df.provider,
            "site": df.site,
            "day": df.day,
            "handled": handled,
            "h": h.where(handled, 0.0),
            "w": w.where(handled, 0.0),
            "sl_num": handled & (w <= SL_T),
            "sl_den": handled | long_ab,
            "long_ab": long_ab,
            "fcr_num": fcr_ok & no_repeat,
            "fcr_den": fcr_ok,
            "csat_top": df.csat >= 4,
            "csat_n": df.csat.notna(),
            "csat_sum": df.csat.fillna(0).astype(float),
            "prom": df.nps >= 9,
            "det": df.nps <= 6,
            "nps_n": df.nps.notna(),
            "transferred": handled & df.transferred,
            "escalated": handled & df.escalated,
            "reopened": df.resolved & df.reopened,
            "resolved": df.resolved,
            "offered": True,
        }
    )
    g = parts.groupby(KEYS, observed=True, sort=True).sum()

    def ratio(num, den, scale=1.0):
        return (num / den.where(den > 0)) * scale

    out = pd.DataFrame(index=g.index)
    out["aht"] = ratio(g.h, g.handled)
    out["asa"] = ratio(g.w, g.handled)
    out["service_level"] = ratio(g.sl_num, g.sl_den, 100)
    out["abandon_rate"] = ratio(g.long_ab, g.offered, 100)
    out["fcr"] = ratio(g.fcr_num, g.fcr_den, 100)
    out["csat"] = ratio(g.csat_top, g.csat_n, 100)
    out["csat_mean"] = ratio(g.csat_sum, g.csat_n)
    out["nps"] = ratio(g.prom - g.det, g.nps_n, 100)
    out["transfer_rate"] = ratio(g.transferred, g.handled, 100)
    out["escalation_rate"] = ratio(g.escalated, g.handled, 100)
    out["reopen_rate"] = ratio(g.reopened, g.resolved, 100)
    keys = parts[KEYS]
    for name, values, mask in (
        ("resolution", rt, df.resolved & rt.notna()),
        ("first_response", frt, handled & async_),
    ):
        grouped = values[mask].groupby([k[mask] for k in (keys.provider, keys.site, keys.day)], observed=True)
        out[f"{name}_median"] = grouped.quantile(0.5)
        out[f"{name}_p90"] = grouped.quantile(0.9)
    out["contacts_handled"] = g.handled.astype(float)
    out["contacts_offered"] = g.offered.astype(float)
    return out.reset_index()


def compare(name: str, got: pd.DataFrame, want: pd.DataFrame) -> list[str]:
    """Differences between two scorecards (same keys, every metric within 1e-9 relative)."""
    problems = []

    def keyed(df: pd.DataFrame) -> pd.DataFrame:
        key = df.provider.astype(str) + "|" + df.site.astype(str) + "|"
        key += pd.to_datetime(df.day).dt.strftime("%Y-%m-%d")
        return df.set_index(key).sort_index()

    a, b = keyed(got), keyed(want)
    if not a.index.equals(b.index):
        return [f"{name}: different rows ({len(a)} vs {len(b)})"]
    for metric in METRICS:
        x = a[metric].astype(float).to_numpy()
        y = b[metric].astype(float).to_numpy()
        both_nan = np.isnan(x) & np.isnan(y)
        close = np.isclose(x, y, rtol=1e-9, atol=1e-9) | both_nan
        if not close.all():
            i = int(np.argmin(close))
            problems.append(f"{name}: {metric} differs at {a.index[i]}: {x[i]} vs {y[i]}")
    return problems


def timed(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--lake", type=Path, default=None, help="folder to build or reuse")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each engine (best kept)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-pandas", action="store_true")
    args = parser.parse_args()

    lake_path = args.lake or Path(tempfile.gettempdir()) / f"concord-bench-{args.rows}"
    t0 = time.perf_counter()
    lake = build_bench_lake(lake_path, args.rows)
    print(f"lake: {args.rows:,} interactions at {lake_path} ({time.perf_counter() - t0:.1f} s)")
    files = list(lake.snapshot("interactions").file_uris)

    con = connect("duckdb", threads=args.threads)
    concord, c_best, c_med = timed(lambda: concord_scorecard(lake, con), args.repeat)
    sql, s_best, s_med = timed(lambda: sql_scorecard(files, args.threads), args.repeat)
    print(f"rows in scorecard: {len(concord):,} (provider x site x day)")
    print(f"(a) Concord (Ibis on DuckDB)  best {c_best:7.2f} s   median {c_med:7.2f} s")
    print(f"(c) hand-written DuckDB SQL   best {s_best:7.2f} s   median {s_med:7.2f} s")
    problems = compare("concord vs sql", concord, sql)
    ratios = [f"Concord / hand SQL = {c_best / s_best:.2f}x (target <= 1.5x)"]
    if not args.skip_pandas:
        pandas, p_best, _ = timed(lambda: pandas_scorecard(files), 1)
        print(f"(b) pandas (vectorised)       best {p_best:7.2f} s")
        problems += compare("concord vs pandas", concord, pandas)
        ratios.insert(0, f"pandas / Concord = {p_best / c_best:.1f}x faster (target >= 5x)")
    for line in ratios:
        print(line)
    if problems:
        print("DISAGREEMENT:")
        for p in problems:
            print("  " + p)
        raise SystemExit(1)
    print("all implementations agree on every metric of every row")
    assert not math.isnan(c_best)


if __name__ == "__main__":
    main()
