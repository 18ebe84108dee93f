"""Benchmark: the full interaction scorecard by provider x site x day over a synthetic lake.

Times (a) Concord's metric engine (Ibis on DuckDB), (b) a vectorised pandas version of
the same numbers and (c) hand-written DuckDB SQL over the same Parquet files, in turns
(a, b, c, a, b, c, ...; best wall time of each, with its CPU time) so load from other
processes hits all three alike; checks the three agree and prints times and ratios. Then
times the provider scorecard page over the same lake: a real ``runserver`` on loopback,
a throwaway SQLite database, a client user's session cookie; first view, then p50/p95.

    .venv/bin/python bench/scorecard.py --rows 10000000
    .venv/bin/python bench/scorecard.py --rows 200000 --lake /tmp/small-lake
    .venv/bin/python bench/scorecard.py --rows 10000000 --page-only

``build_bench_lake`` is reused by the page benchmark.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import shutil
import statistics
import sys
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
from concord.metrics.periods import offset_segments, utc_bounds, zone
from concord.metrics.synthetic import build_lake

TZ = "Europe/Madrid"  # the range crosses the spring DST change (2026-03-29)
START, END = date(2026, 3, 1), date(2026, 3, 31)
SL_T, SHORT = 20.0, 5.0
WINDOW = 7
ASYNC = ("chat", "email", "messaging", "social")
#: ASA, service level and abandon rate count live channels only (metrics/interactions.py SYNC_CHANNELS)
LIVE = ("voice", "chat")
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
    """What a DuckDB expert would write: the same numbers, written for speed.

    - Timestamps are read as TIMESTAMPTZ; its casts go through ICU (about 3 s per cast
      per 10M rows), so the microseconds are taken as plain UTC timestamps once.
    - The local day is UTC + the zone's offset, one CASE on the DST change (no timezone()).
    - The FCR window (which sorts every contact) runs on a narrow projection in its own
      aggregate; every other number comes from one pass without it; the two are joined.
    - Both quantiles of a column come from one sort (the list form of quantile_cont).
    """
    start_utc, end_utc, reach = _bounds()
    src = "read_parquet([" + ", ".join(f"'{f}'" for f in files) + "])"
    asyncs = ", ".join(f"'{c}'" for c in ASYNC)
    lives = ", ".join(f"'{c}'" for c in LIVE)
    segments = offset_segments(start_utc, end_utc, zone(TZ))
    branches = " ".join(
        f"WHEN created_at < '{at.isoformat()}'::TIMESTAMPTZ THEN {prev * 1_000_000}"
        for (_, prev), (at, _) in itertools.pairwise(segments)
    )
    offset = f"CASE {branches} ELSE {segments[-1][1] * 1_000_000} END" if branches else str(segments[0][1] * 1_000_000)
    day = f"CAST(make_timestamp(epoch_us(created_at) + {offset}) AS DATE)"
    week = WINDOW * 86400 * 1_000_000

    def us(col: str) -> str:  # whole seconds since created, as Concord floors them
        return f"(floor(epoch_us({col}) / 1e6) - floor(epoch_us(created_at) / 1e6))"

    return f"""
    WITH m AS (
      SELECT provider, site, {day} AS day,
        answered_at IS NOT NULL AND NOT abandoned AS handled,
        coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(wrap_seconds, 0) AS h,
        coalesce(wait_seconds, {us("answered_at")}) AS w,
        abandoned AND NOT coalesce(wait_seconds < {SHORT}, false) AS long_ab,
        channel IN ({lives}) AS live,
        {us("answered_at")} AS frt, {us("resolved_at")} AS rt,
        channel IN ({asyncs}) AS async_, csat, nps, transferred, escalated, reopened, resolved
      FROM {src}
      WHERE created_at >= '{start_utc.isoformat()}'::TIMESTAMPTZ AND created_at < '{end_utc.isoformat()}'::TIMESTAMPTZ
    ), main AS (
      SELECT provider, site, day,
        sum(h) FILTER (handled) / nullif(count(*) FILTER (handled), 0) AS aht,
        sum(w) FILTER (handled AND live) / nullif(count(*) FILTER (handled AND live), 0) AS asa,
        100.0 * count(*) FILTER (handled AND live AND w <= {SL_T})
          / nullif(count(*) FILTER (live AND (handled OR long_ab)), 0) AS service_level,
        100.0 * count(*) FILTER (live AND long_ab) / nullif(count(*) FILTER (live), 0) AS abandon_rate,
        100.0 * count(*) FILTER (csat >= 4) / nullif(count(csat), 0) AS csat,
        avg(csat) AS csat_mean,
        100.0 * (count(*) FILTER (nps >= 9) - count(*) FILTER (nps <= 6)) / nullif(count(nps), 0) AS nps,
        100.0 * count(*) FILTER (handled AND transferred) / nullif(count(*) FILTER (handled), 0) AS transfer_rate,
        100.0 * count(*) FILTER (handled AND escalated) / nullif(count(*) FILTER (handled), 0) AS escalation_rate,
        100.0 * count(*) FILTER (resolved AND reopened) / nullif(count(*) FILTER (resolved), 0) AS reopen_rate,
        quantile_cont(rt, [0.5, 0.9]) FILTER (resolved AND rt IS NOT NULL) AS rq,
        quantile_cont(frt, [0.5, 0.9]) FILTER (handled AND async_) AS fq,
        count(*) FILTER (handled) AS contacts_handled,
        count(*) AS contacts_offered
      FROM m GROUP BY ALL
    ), nxt AS (
      SELECT provider, site, created_at, resolved AND customer_key IS NOT NULL AS ok,
        LEAD(created_at) OVER (PARTITION BY customer_key ORDER BY created_at, external_id) AS next_created
      FROM {src}
      WHERE created_at >= '{start_utc.isoformat()}'::TIMESTAMPTZ AND created_at < '{reach.isoformat()}'::TIMESTAMPTZ
    ), fcr AS (
      SELECT provider, site, {day} AS day,
        100.0 * count(*) FILTER (next_created IS NULL OR epoch_us(next_created) > epoch_us(created_at) + {week})
          / nullif(count(*), 0) AS fcr
      FROM nxt
      WHERE ok AND created_at < '{end_utc.isoformat()}'::TIMESTAMPTZ
        AND epoch_us(created_at) + {week} <= (SELECT epoch_us(max(created_at)) FROM {src})
      GROUP BY ALL
    )
    SELECT main.provider, main.site, main.day, aht, asa, service_level, abandon_rate, fcr.fcr, csat,
      csat_mean, nps, transfer_rate, escalation_rate, reopen_rate,
      rq[1] AS resolution_median, rq[2] AS resolution_p90,
      fq[1] AS first_response_median, fq[2] AS first_response_p90, contacts_handled, contacts_offered
    FROM main LEFT JOIN fcr USING (provider, site, day)
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
    """The same numbers in pandas, vectorised: reads only the needed columns (categories for
    the dimensions), one stable sort by customer for the next contact (a shift, no apply),
    boolean part columns summed by one groupby, and groupby quantiles for the medians."""
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
    live = df.channel.isin(LIVE)
    parts = pd.DataFrame(
        {
            "provider": df.provider,
            "site": df.site,
            "day": df.day,
            "handled": handled,
            "h": h.where(handled, 0.0),
            "w": w.where(handled & live, 0.0),
            "live_handled": handled & live,
            "sl_num": handled & live & (w <= SL_T),
            "sl_den": live & (handled | long_ab),
            "long_ab": long_ab & live,
            "live": live,
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
    out["asa"] = ratio(g.w, g.live_handled)
    out["service_level"] = ratio(g.sl_num, g.sl_den, 100)
    out["abandon_rate"] = ratio(g.long_ab, g.live, 100)
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


PAGE_PROGRAM = "billing"  # a program of the synthetic lake
PAGE_PERIOD = "2026-03"


def _page_site(lake_path: Path, workdir: Path) -> tuple[dict[str, str], int, str]:
    """A throwaway SQLite database over the bench lake: the synthetic providers, a card for
    one program and a client user with a session. Returns (server env, provider pk, cookie)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "concord.settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "LAKE_URI": str(lake_path),
        "DEBUG": "false",
        "REPORTING_TIMEZONE": TZ,
    }
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "LAKE_URI", "DEBUG")})
    os.environ["REPORTING_TIMEZONE"] = TZ
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from concord.accounts.models import User
    from concord.accounts.roles import Role
    from concord.performance import services
    from concord.performance.demo import _lines
    from concord.providers.models import Program, Provider

    call_command("migrate", verbosity=0)
    admin = User.objects.create_superuser("bench", "bench@example.com", "bench-password-123", role=Role.CLIENT_ADMIN)
    program = Program.objects.create(code=PAGE_PROGRAM, name="Billing")
    providers = [Provider.objects.create(code=f"P{i}", name=f"Partner {i}") for i in range(5)]
    program.providers.set(providers)
    services.scorecard_create(actor=admin, program=program, name="Balanced", lines=_lines(PAGE_PROGRAM))
    client = Client()
    client.force_login(admin)
    return env, providers[0].pk, client.cookies["sessionid"].value


def page_timings(lake_path: Path, *, requests: int) -> None:
    """Time GET /performance/providers/<pk>/ over loopback HTTP against a real server process."""
    import socket
    import subprocess
    import urllib.request

    workdir = Path(tempfile.mkdtemp(prefix="concord-page-bench-"))
    env, pk, session = _page_site(lake_path, workdir)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    manage = Path(__file__).resolve().parent.parent / "manage.py"
    server = subprocess.Popen(
        [sys.executable, str(manage), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/performance/providers/{pk}/?period={PAGE_PERIOD}"

    def get() -> float:
        request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})
        t0 = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as response:
            body = response.read()
            status, final = response.status, response.url
        elapsed = time.perf_counter() - t0
        if status != 200 or final != url or b"Partner 0" not in body:
            raise SystemExit(f"page: unexpected answer {status} from {final}")
        return elapsed

    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        cold = get()
        warm = [get() for _ in range(3)]  # warm-up, not counted
        times = sorted(get() for _ in range(requests))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
    print(f"page /performance/providers/{pk}/ ({PAGE_PERIOD}, by site): first view {cold * 1000:.0f} ms (cold)")
    print(f"  warm-up {', '.join(f'{t * 1000:.0f}' for t in warm)} ms; then {requests} views:")
    print(f"  p50 {p50 * 1000:.0f} ms  p95 {p95 * 1000:.0f} ms  max {times[-1] * 1000:.0f} ms (target p95 <= 300 ms)")


def interleaved(engines: dict, repeat: int) -> tuple[dict, dict]:
    """Run the engines in turn (a, b, c, a, b, c, ...) so a burst of load on a shared
    machine hits all of them alike; keep each one's best wall time and its CPU time then."""
    outputs, times = {}, {name: [] for name in engines}
    for _ in range(repeat):
        for name, fn in engines.items():
            wall0, cpu0 = time.perf_counter(), time.process_time()
            outputs[name] = fn()
            times[name].append((time.perf_counter() - wall0, time.process_time() - cpu0))
    return outputs, {name: min(runs) for name, runs in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--lake", type=Path, default=None, help="folder to build or reuse")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs of each engine (best kept)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--skip-page", action="store_true", help="do not time the provider scorecard page")
    parser.add_argument("--page-requests", type=int, default=50)
    parser.add_argument("--page-only", action="store_true", help="only time the page")
    args = parser.parse_args()

    lake_path = args.lake or Path(tempfile.gettempdir()) / f"concord-bench-{args.rows}"
    t0 = time.perf_counter()
    lake = build_bench_lake(lake_path, args.rows)
    print(f"lake: {args.rows:,} interactions at {lake_path} ({time.perf_counter() - t0:.1f} s)")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    files = list(lake.snapshot("interactions").file_uris)
    if args.page_only:
        page_timings(lake_path, requests=args.page_requests)
        return

    con = connect("duckdb", threads=args.threads)
    engines = {
        "concord": lambda: concord_scorecard(lake, con),
        "sql": lambda: sql_scorecard(files, args.threads),
    }
    if not args.skip_pandas:
        engines["pandas"] = lambda: pandas_scorecard(files)
    out, best = interleaved(engines, args.repeat)
    labels = {
        "concord": "(a) Concord (Ibis on DuckDB)",
        "pandas": "(b) pandas (vectorised)",
        "sql": "(c) hand-written DuckDB SQL",
    }
    print(f"rows in scorecard: {len(out['concord']):,} (provider x site x day); best of {args.repeat}, interleaved")
    for name in ("concord", "pandas", "sql"):
        if name in best:
            wall, cpu = best[name]
            print(f"{labels[name]:30} {wall:7.2f} s wall  {cpu:7.2f} s CPU")
    problems = compare("concord vs sql", out["concord"], out["sql"])
    c_best, s_best = best["concord"][0], best["sql"][0]
    ratios = [f"Concord / hand SQL = {c_best / s_best:.2f}x (target <= 1.5x)"]
    if "pandas" in best:
        problems += compare("concord vs pandas", out["concord"], out["pandas"])
        ratios.insert(0, f"Concord is {best['pandas'][0] / c_best:.1f}x faster than pandas (target >= 5x)")
    for line in ratios:
        print(line)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if problems:
        print("DISAGREEMENT:")
        for p in problems:
            print("  " + p)
        raise SystemExit(1)
    print("all implementations agree on every metric of every row")
    assert not math.isnan(c_best)
    if not args.skip_page:
        page_timings(lake_path, requests=args.page_requests)


if __name__ == "__main__":
    main()
