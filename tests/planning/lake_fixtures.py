"""A tiny interactions table for forecasting tests: Poisson arrivals with a daily and weekly rhythm."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from concord.lake.schemas import TABLES
from concord.lake.store import Lake
from concord.lake.write import commit_batches

START = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)  # a Monday


def arrivals(days: int, *, seed: int = 0, per_hour: float = 6.0) -> np.ndarray:
    """Arrival times (seconds after START): open 08:00-20:00 UTC, weekends at half volume."""
    rng = np.random.default_rng(seed)
    out = []
    for day in range(days):
        weekday = (START + dt.timedelta(days=day)).weekday()
        for hour in range(8, 20):
            rate = per_hour * (1.0 + 0.5 * np.sin((hour - 8) / 12 * np.pi)) * (0.5 if weekday >= 5 else 1.0)
            n = rng.poisson(rate)
            base = (day * 24 + hour) * 3600
            out.extend(base + rng.uniform(0, 3600, n))
    return np.sort(np.array(out))


def write_interactions(uri: str, seconds: np.ndarray, *, program: str = "SHARED", channel: str = "voice") -> int:
    """Commit one row per arrival; returns the lake version."""
    schema = TABLES["interactions"].schema
    n = len(seconds)
    created = [START + dt.timedelta(seconds=float(s)) for s in seconds]
    columns = {}
    for field in schema:
        if field.name == "created_at" or field.name == "updated_at":
            columns[field.name] = created
        elif field.name == "external_id":
            columns[field.name] = [f"{program}-{i}" for i in range(n)]
        elif field.name == "created_month":
            columns[field.name] = [c.strftime("%Y-%m") for c in created]
        elif field.name in ("source", "provider", "program", "channel"):
            value = {"source": "acd", "provider": "PA", "program": program, "channel": channel}[field.name]
            columns[field.name] = [value] * n
        elif pa.types.is_boolean(field.type):
            columns[field.name] = [False] * n
        else:
            columns[field.name] = [None] * n
    table = pa.Table.from_pydict(columns, schema=schema)
    lake = Lake(uri)
    commit_batches(lake, "interactions", table.to_batches())
    return lake.version("interactions")
