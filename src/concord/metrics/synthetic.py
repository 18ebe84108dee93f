"""A synthetic but plausible interactions lake, generated vectorised, for benchmarks and tests.

5 providers x 4 sites each, agents spread over sites and teams, a channel mix of
voice, chat and asynchronous channels, abandons, surveys, and customers who come
back (so FCR has repeats to find). Deterministic for a seed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from concord.lake.schemas import INTERACTIONS
from concord.lake.store import Lake

START = datetime(2026, 3, 1, tzinfo=UTC)
CHANNEL_MIX = {"voice": 0.5, "chat": 0.2, "email": 0.2, "messaging": 0.05, "social": 0.05}
PROGRAMS = ("billing", "tech", "sales")
CONTACT_TYPES = ("question", "complaint", "change", "cancel")
LANGUAGES = ("en", "es", "fr")


def _labels(prefix: str, indices: np.ndarray, n: int) -> pa.Array:
    dictionary = pa.array([f"{prefix}{i:0{len(str(n - 1))}d}" for i in range(n)])
    return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), dictionary).cast(pa.string())


def _choice(values: tuple[str, ...], indices: np.ndarray) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), pa.array(values)).cast(pa.string())


def _ts(seconds: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    micros = (START.timestamp() * 1e6 + seconds * 1e6).astype("int64")
    return pa.array(micros, pa.timestamp("us", tz="UTC"), mask=mask)


def generate_interactions(
    rows: int,
    *,
    seed: int = 0,
    offset: int = 0,
    days: int = 30,
    providers: int = 5,
    sites: int = 20,
    agents: int = 5000,
) -> pa.Table:
    """``rows`` interactions over ``days`` days from 2026-03-01 UTC (ids start at ``offset``)."""
    rng = np.random.default_rng(seed + offset)
    n = rows
    agent = rng.integers(0, agents, n)
    site = agent % sites
    provider = site * providers // sites
    team = site * 5 + (agent // sites) % 5
    channels = tuple(CHANNEL_MIX)
    channel = rng.choice(len(channels), n, p=list(CHANNEL_MIX.values()))
    sync = channel <= 1  # voice, chat
    created = np.sort(rng.uniform(0, days * 86400, n)).round()  # whole seconds
    abandoned = sync & (rng.random(n) < 0.06)
    wait = np.where(sync, rng.exponential(30.0, n), rng.exponential(4 * 3600.0, n)).round(1)
    talk = rng.lognormal(5.5, 0.5, n).round(1)
    hold = np.where(rng.random(n) < 0.2, rng.exponential(40.0, n), 0.0).round(1)
    wrap = rng.exponential(60.0, n).round(1)
    handled = ~abandoned
    resolved = handled & (rng.random(n) < 0.85)
    after = np.where(sync, 0.0, rng.exponential(12 * 3600.0, n))
    resolved_at = created + wait + talk + hold + wrap + after
    answered_at = created + wait
    csat_answered = handled & (rng.random(n) < 0.2)
    nps_answered = handled & (rng.random(n) < 0.15)
    csat = rng.choice(5, n, p=[0.07, 0.08, 0.15, 0.3, 0.4]) + 1
    nps = rng.choice(11, n, p=[0.03] * 7 + [0.1, 0.15, 0.25, 0.29])
    customer = rng.integers(0, max(n // 3, 1), n)  # about three contacts per customer
    ids = np.arange(offset, offset + n)
    columns = {
        "source": _choice(("synthetic",), np.zeros(n, np.int32)),
        "external_id": pc.cast(pa.array(ids), pa.string()),
        "provider": _labels("P", provider, providers),
        "site": _labels("S", site, sites),
        "team": _labels("T", team, sites * 5),
        "agent": _labels("A", agent, agents),
        "program": _choice(PROGRAMS, rng.integers(0, len(PROGRAMS), n)),
        "contact_type": _choice(CONTACT_TYPES, rng.integers(0, len(CONTACT_TYPES), n)),
        "channel": _choice(channels, channel),
        "language": _choice(LANGUAGES, rng.choice(3, n, p=[0.6, 0.3, 0.1])),
        "created_at": _ts(created),
        "answered_at": _ts(answered_at, mask=abandoned),
        "resolved_at": _ts(resolved_at, mask=~resolved),
        "wait_seconds": pa.array(wait),
        "talk_seconds": pa.array(talk, mask=abandoned),
        "hold_seconds": pa.array(hold, mask=abandoned),
        "wrap_seconds": pa.array(wrap, mask=abandoned),
        "abandoned": pa.array(abandoned),
        "transferred": pa.array(handled & (rng.random(n) < 0.08)),
        "escalated": pa.array(handled & (rng.random(n) < 0.04)),
        "reopened": pa.array(resolved & (rng.random(n) < 0.05)),
        "resolved": pa.array(resolved),
        "customer_key": pc.cast(pa.array(customer), pa.string()),
        "csat": pa.array(csat.astype(np.int8), mask=~csat_answered),
        "nps": pa.array(nps.astype(np.int8), mask=~nps_answered),
        "transcript": pa.nulls(n, pa.string()),
        "updated_at": _ts(resolved_at),
        "created_month": pc.strftime(_ts(created), "%Y-%m"),
        "ingest_run": _choice(("bench",), np.zeros(n, np.int32)),
    }
    # drawn after every other column, so the columns above stay what they were before these existed
    reopened = columns["reopened"].to_numpy(zero_copy_only=False)
    first = created + (resolved_at - created) * np.where(reopened, rng.uniform(0.2, 0.8, n), 1.0)
    columns["first_resolved_at"] = _ts(first, mask=~resolved)
    columns["requester_wait_seconds"] = pa.array(
        ((resolved_at - created) * rng.uniform(0.3, 1.0, n)).round(), mask=~resolved
    )
    return pa.Table.from_pydict(columns, schema=INTERACTIONS.schema)


def build_lake(path: str | Path, rows: int, *, seed: int = 0, chunk: int = 2_000_000, **shape) -> Lake:
    """Write ``rows`` synthetic interactions as a Delta table under ``path``; returns the Lake.

    Written in chunks (one commit each) to keep memory flat at 10M rows.
    """
    from deltalake import write_deltalake

    lake = Lake(path)
    done = 0
    while done < rows:
        size = min(chunk, rows - done)
        table = generate_interactions(size, seed=seed, offset=done, **shape)
        write_deltalake(
            lake.table_uri("interactions"),
            table,
            partition_by=list(INTERACTIONS.partition_by),
            mode="append",
        )
        done += size
    return lake
