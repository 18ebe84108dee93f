"""Key hashes of a run's accepted rows, for finding keys that repeat inside one file."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa


def key_hashes(duck: duckdb.DuckDBPyConnection, batch: pa.RecordBatch, key: tuple[str, ...]) -> np.ndarray:
    """One 64-bit hash per row of ``batch`` over the ``key`` columns (DuckDB ``hash``)."""
    duck.register("keys", batch.select(list(key)))
    try:
        cols = ", ".join(f'"{k}"' for k in key)
        out = duck.execute(f"SELECT hash({cols}) FROM keys").to_arrow_table().column(0)  # noqa: S608 - schema names
    finally:
        duck.unregister("keys")
    return out.to_numpy()


class SortedRuns:
    """Key hashes kept as a few sorted runs, merged as they come, so the check before the commit is short.

    Each batch's hashes are sorted on the reading thread and merged with the
    runs no more than twice their size (a binary counter: about log2(batches)
    runs at any time), so the work spreads over the stream and the final merge
    joins a handful of runs.
    """

    def __init__(self):
        self.runs: list[np.ndarray] = []

    def add(self, hashes: np.ndarray) -> None:
        run = np.sort(hashes)
        while self.runs and len(self.runs[-1]) <= 2 * len(run):
            run = np.sort(np.concatenate([self.runs.pop(), run]), kind="stable")  # stable: merges two runs
        self.runs.append(run)

    def merged(self) -> np.ndarray:
        if len(self.runs) == 1:
            return self.runs[0]
        return np.sort(np.concatenate(self.runs), kind="stable")
