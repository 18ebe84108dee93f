"""Commit a stream of rows to a fact table as ONE Delta commit, idempotently.

A run's accepted rows either all land in one new table version or none do:
Delta commits are atomic (a log entry is written last, with put-if-absent), and
this module never commits more than once per call. Files written by a process
that dies before its commit are invisible orphans that ``vacuum`` removes.

Upsert rule: the table key identifies a fact; an incoming row replaces the
stored one only when its ``version_column`` (``updated_at``) is strictly newer.
Rows that are neither new nor newer are "unchanged", and a run whose rows are
all unchanged commits nothing, so the table version does not move.

Two paths:
- the table is new or empty: stream straight into ``write_deltalake`` (append);
  the caller guarantees keys are unique within the stream.
- otherwise: stage the stream to a local Parquet file, classify every row with
  DuckDB against the current version (left join on the key), then append the
  new rows, or ``merge`` when some rows update stored ones.

Writers are expected to be serialised per table (one ingest run at a time per
table); Delta's optimistic concurrency rejects conflicting merges but two
concurrent appends of the same keys would both succeed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import WriterProperties, write_deltalake

from .schemas import TABLES, FactTable
from .store import Lake

#: ZSTD measured fastest to write here (and smallest); level 1 keeps it cheap.
DEFAULT_WRITER_PROPERTIES = WriterProperties(compression="ZSTD", compression_level=1)
#: DuckDB's share of memory while classifying rows; it spills to disk beyond this.
DUCKDB_MEMORY_LIMIT = "1GB"


@dataclass(frozen=True)
class CommitResult:
    table: str
    version_before: int | None
    version_after: int | None
    inserted: int
    updated: int
    unchanged: int

    @property
    def committed(self) -> bool:
        return self.version_after != self.version_before


def conform(batch: pa.RecordBatch | pa.Table, table: FactTable) -> pa.RecordBatch:
    """Cast ``batch`` to the table's exact schema (column order, types, nullability)."""
    if isinstance(batch, pa.Table):
        batch = (
            batch.combine_chunks().to_batches()[0]
            if batch.num_rows
            else pa.RecordBatch.from_pylist([], schema=table.schema)
        )
    if batch.schema.equals(table.schema):
        return batch
    columns = [
        batch.column(name).cast(field.type) for name, field in zip(table.schema.names, table.schema, strict=True)
    ]
    return pa.RecordBatch.from_arrays(columns, schema=table.schema)


def _non_empty(batches: Iterable[pa.RecordBatch], table: FactTable) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        if batch.num_rows:
            yield conform(batch, table)


def commit_batches(
    lake: Lake,
    name: str,
    batches: Iterable[pa.RecordBatch],
    *,
    writer_properties: WriterProperties | None = None,
    staging_dir: str | Path | None = None,
) -> CommitResult:
    """Upsert ``batches`` (rows in the table's schema, keys unique) as one commit.

    Returns counts of inserted / updated / unchanged rows and the versions
    before and after. Nothing is committed when no row is new or newer.
    """
    table = TABLES[name]
    props = writer_properties or DEFAULT_WRITER_PROPERTIES
    current = lake.delta(name)
    version_before = None if current is None else current.version()
    stream = _non_empty(batches, table)
    if current is None or not current.file_uris():
        return _append_fresh(lake, table, stream, version_before, props)
    with tempfile.TemporaryDirectory(prefix="concord-stage-", dir=staging_dir) as tmp:
        staged = Path(tmp) / "incoming.parquet"
        count = _stage(stream, table, staged)
        if count == 0:
            return CommitResult(name, version_before, version_before, 0, 0, 0)
        return _upsert(lake, table, current, staged, count, Path(tmp), props)


def _append_fresh(lake, table, stream, version_before, props) -> CommitResult:
    counter = _Counter(stream)
    first = next(counter, None)
    if first is None:
        return CommitResult(table.name, version_before, version_before, 0, 0, 0)
    reader = pa.RecordBatchReader.from_batches(table.schema, counter.prepend(first))
    write_deltalake(
        lake.table_uri(table.name),
        reader,
        mode="append",
        partition_by=list(table.partition_by) or None,
        writer_properties=props,
    )
    return CommitResult(table.name, version_before, lake.version(table.name), counter.rows, 0, 0)


class _Counter:
    """Iterator wrapper that counts the rows passing through it."""

    def __init__(self, it: Iterator[pa.RecordBatch]):
        self._it = it
        self.rows = 0

    def __iter__(self):
        return self

    def __next__(self) -> pa.RecordBatch:
        batch = next(self._it)
        self.rows += batch.num_rows
        return batch

    def prepend(self, first: pa.RecordBatch) -> Iterator[pa.RecordBatch]:
        yield first
        yield from self


def _stage(stream: Iterator[pa.RecordBatch], table: FactTable, path: Path) -> int:
    count = 0
    with pq.ParquetWriter(path, table.schema, compression="zstd", compression_level=1) as writer:
        for batch in stream:
            writer.write_batch(batch)
            count += batch.num_rows
    return count


def _upsert(lake, table: FactTable, current, staged: Path, count: int, tmp: Path, props) -> CommitResult:
    key = list(table.key)
    vcol = table.version_column
    con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY_LIMIT, "temp_directory": str(tmp / "duck")})
    try:
        con.register("cur_ds", current.to_pyarrow_dataset())
        keep = key + ([vcol] if vcol else []) + list(table.partition_by)
        con.execute(f"CREATE TEMP TABLE cur AS SELECT {_cols(keep)} FROM cur_ds")
        on = " AND ".join(f's."{k}" = c."{k}"' for k in key)
        newer = f' OR s."{vcol}" > c."{vcol}"' if vcol else ""
        con.execute(
            f"""CREATE TEMP TABLE changed AS
                SELECT s.*, c."{key[0]}" IS NULL AS _is_new
                       {"".join(f', c."{p}" AS "_cur_{p}"' for p in table.partition_by)}
                FROM read_parquet(?) s LEFT JOIN cur c ON {on}
                WHERE c."{key[0]}" IS NULL{newer}""",
            [str(staged)],
        )
        inserted, updated = con.execute(
            "SELECT count(*) FILTER (WHERE _is_new), count(*) FILTER (WHERE NOT _is_new) FROM changed"
        ).fetchone()
        version_before = current.version()
        if inserted + updated == 0:
            return CommitResult(table.name, version_before, version_before, 0, 0, count)
        predicate = " AND ".join(f't."{k}" = s."{k}"' for k in key)
        for p in table.partition_by:
            # Prune the merge to the partitions holding the rows it replaces.
            parts = [r[0] for r in con.execute(f'SELECT DISTINCT "_cur_{p}" FROM changed WHERE NOT _is_new').fetchall()]
            literals = ", ".join("'" + str(v).replace("'", "''") + "'" for v in parts)
            predicate += f' AND t."{p}" IN ({literals})'
        # The last query on ``con``: a later execute would end this stream early.
        rows = con.execute(f"SELECT {_cols(table.columns)} FROM changed").to_arrow_reader(100_000)
        source = rows.cast(table.schema)
        if updated == 0:
            write_deltalake(
                current,
                source,
                mode="append",
                partition_by=list(table.partition_by) or None,
                writer_properties=props,
            )
        else:
            merger = current.merge(
                source,
                predicate=predicate,
                source_alias="s",
                target_alias="t",
                writer_properties=props,
            )
            if vcol:
                merger = merger.when_matched_update_all(predicate=f's."{vcol}" > t."{vcol}"')
            else:
                merger = merger.when_matched_update_all()
            merger.when_not_matched_insert_all().execute()
        return CommitResult(
            table.name, version_before, lake.version(table.name), inserted, updated, count - inserted - updated
        )
    finally:
        con.close()


def _cols(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)
