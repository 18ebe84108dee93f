"""The stored files an incoming batch's keys can be in, so an upsert reads only those, key columns only.

Classifying a batch (new, newer, unchanged, another provider's) needs the
stored version of each incoming key. Reading every stored key made each ingest
cost grow with the table (about +0.22 CPU-s per million stored rows). A stored
copy of an incoming key can only be in a file whose key statistics (the ``add``
action's min/max per key column) bracket that key, whatever the file's
partition: a fact whose partition value changed (a corrected ``created_at``) is
still found where it was. Bounds are always at or beyond the true values (our
writer widens timestamps and long strings, see ``stats``; delta-rs steps a
truncated string maximum up), so the test never misses a stored key.

Files without statistics are always read. Ids that grow with time (tickets,
calls) put the keys of a new batch outside the ranges of every stored file, so
a daily export reads no stored file at all and its cost follows the batch, not
the table. Reading every file of the partitions a batch touched, as this did
before, made that cost follow the size of the current month instead: 0.5 CPU-s
more at 5M stored rows than at 1M (``bench/scale.py``).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads
from deltalake import DeltaTable

from .schemas import FactTable

#: Delta keeps timestamps in statistics to the millisecond; a writer that truncates rather than widens
#: could leave a stored key just outside its file's range: compare with this much slack.
TIMESTAMP_SLACK = "INTERVAL 1 MILLISECOND"


def candidate_files(current: DeltaTable, table: FactTable, con: duckdb.DuckDBPyConnection, incoming: str) -> list[str]:
    """Paths (relative to the table, as in its ``add`` actions) of the files that may hold a key of ``incoming``.

    ``incoming`` is a view or table of ``con`` holding the batch's key columns.
    """
    actions = pa.table(current.get_add_actions(flatten=True))
    if not actions.num_rows:
        return []
    names = set(actions.column_names)
    ranges = [k for k in table.key if f"min.{k}" in names and f"max.{k}" in names]
    if len(ranges) < len(table.key):
        return actions.column("path").to_pylist()  # a key column without statistics: any file may hold any key
    wanted = ["path", *(f"{m}.{k}" for k in ranges for m in ("min", "max"))]
    con.register("lake_files", actions.select(wanted))
    try:
        unbounded = " OR ".join(f'f."{m}.{k}" IS NULL' for k in ranges for m in ("min", "max"))
        between = " AND ".join(_between(table, k) for k in ranges)
        where = f"({unbounded}) OR EXISTS (SELECT 1 FROM {incoming} s WHERE {between})"  # noqa: S608 - schema names
        rows = con.execute(f"SELECT path FROM lake_files f WHERE {where}").fetchall()  # noqa: S608 - schema names
    finally:
        con.unregister("lake_files")
    return [r[0] for r in rows]


def _between(table: FactTable, key: str) -> str:
    low, high = f'f."min.{key}"', f'f."max.{key}"'
    if pa.types.is_timestamp(table.schema.field(key).type):
        low, high = f"{low} - {TIMESTAMP_SLACK}", f"{high} + {TIMESTAMP_SLACK}"
    return f's."{key}" BETWEEN {low} AND {high}'


def stored_dataset(current: DeltaTable, paths: list[str]) -> pads.Dataset:
    """The table's files among ``paths`` as one pyarrow dataset (partition columns included), read lazily."""
    full = current.to_pyarrow_dataset()
    keep = set(paths)
    fragments = [f for f in full.get_fragments() if f.path in keep]
    return pads.FileSystemDataset(fragments, full.schema, full.format, full.filesystem)
