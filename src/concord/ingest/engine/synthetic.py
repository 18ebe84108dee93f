"""Synthetic canonical interaction exports, streamed to disk in chunks.

Used by the ingest benchmark and by tests that need a big-ish file; the rows
look like a real operation (several partners, channels, skewed handle times)
but carry no meaning beyond that. Generation never holds the whole file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from concord.lake.schemas import CHANNELS, INTERACTIONS

CANONICAL_COLUMNS = [c for c in INTERACTIONS.columns if c not in ("created_month", "ingest_run")]
_PROVIDERS = np.array(["INT", "ALPHA", "BRAVO", "CHARLIE"])
_SITES = np.array(["LIS", "MNL", "CAI", "BOG"])
_LANGS = np.array(["en", "es", "pt", "fr", "de"])
_START = np.datetime64("2024-01-01T00:00:00", "s")
_SPAN_S = 183 * 86400


def _iso(seconds: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    ts = pa.array((_START + seconds.astype("timedelta64[s]")).astype("datetime64[s]"), mask=mask)
    return pc.strftime(ts, format="%Y-%m-%dT%H:%M:%SZ")


def canonical_batch(start_id: int, n: int, rng: np.random.Generator, *, updated_shift: int = 0) -> pa.Table:
    """``n`` canonical interaction rows with external ids ``start_id..start_id+n-1``."""
    ids = np.arange(start_id, start_id + n)
    pidx = rng.integers(0, len(_PROVIDERS), n)
    channel = np.array(CHANNELS)[rng.choice(6, n, p=[0.45, 0.25, 0.2, 0.05, 0.03, 0.02])]
    created = rng.integers(0, _SPAN_S, n)
    abandoned = (channel == "voice") & (rng.random(n) < 0.06)
    wait = rng.gamma(1.5, 20.0, n)
    answered = created + wait.astype(np.int64)
    talk = rng.lognormal(5.6, 0.5, n)
    hold = np.where(rng.random(n) < 0.2, rng.exponential(40.0, n), 0.0)
    wrap = rng.exponential(30.0, n)
    resolved = ~abandoned & (rng.random(n) < 0.9)
    resolved_at = answered + (talk + hold + wrap).astype(np.int64)
    csat_answered = rng.random(n) < 0.2
    csat = rng.choice(5, n, p=[0.05, 0.05, 0.1, 0.3, 0.5]) + 1
    nps = rng.integers(0, 11, n)
    agent = pa.array(np.char.add("A", (pidx * 1000 + rng.integers(0, 250, n)).astype(str)))
    cols = {
        "source": pa.array(np.full(n, "acd")),
        "external_id": pa.array(np.char.add("C", ids.astype(str))),
        "provider": pa.array(_PROVIDERS[pidx]),
        "site": pa.array(_SITES[pidx]),
        "team": pa.array(np.char.add("T", rng.integers(1, 9, n).astype(str))),
        "agent": pa.array(agent, mask=abandoned),
        "program": pa.array(np.full(n, "CARE")),
        "contact_type": pa.array(np.array(["billing", "tech", "orders", "account"])[rng.integers(0, 4, n)]),
        "channel": pa.array(channel),
        "language": pa.array(_LANGS[rng.integers(0, len(_LANGS), n)]),
        "created_at": _iso(created),
        "answered_at": _iso(answered, mask=abandoned),
        "resolved_at": _iso(resolved_at, mask=~resolved),
        "wait_seconds": pa.array(np.round(wait, 1)),
        "talk_seconds": pa.array(np.round(talk, 1), mask=abandoned),
        "hold_seconds": pa.array(np.round(hold, 1), mask=abandoned),
        "wrap_seconds": pa.array(np.round(wrap, 1), mask=abandoned),
        "abandoned": pa.array(abandoned),
        "transferred": pa.array(rng.random(n) < 0.08),
        "escalated": pa.array(rng.random(n) < 0.03),
        "reopened": pa.array(resolved & (rng.random(n) < 0.05)),
        "resolved": pa.array(resolved),
        "customer_key": pa.array(np.char.add("K", rng.integers(0, n * 3 + 10, n).astype(str))),
        "csat": pa.array(csat, mask=~csat_answered),
        "nps": pa.array(nps, mask=~csat_answered),
        "transcript": pa.nulls(n, pa.string()),
        "updated_at": _iso(np.maximum(resolved_at, created) + 3600 + updated_shift),
    }
    return pa.table(cols)


def write_canonical_csv(
    path: str | Path,
    rows: int,
    *,
    seed: int = 7,
    chunk: int = 500_000,
    start_id: int = 1,
    updated_shift: int = 0,
) -> Path:
    """Write ``rows`` canonical interactions as CSV, ``chunk`` rows at a time."""
    path = Path(path)
    rng = np.random.default_rng(seed)
    writer = None
    done = 0
    with path.open("wb") as sink:
        while done < rows:
            n = min(chunk, rows - done)
            table = canonical_batch(start_id + done, n, rng, updated_shift=updated_shift)
            if writer is None:
                writer = pacsv.CSVWriter(sink, table.schema, write_options=pacsv.WriteOptions(quoting_style="needed"))
            writer.write_table(table)
            done += n
        if writer is None:  # zero rows: header only
            table = canonical_batch(start_id, 0, rng)
            writer = pacsv.CSVWriter(sink, table.schema)
        writer.close()
    return path
