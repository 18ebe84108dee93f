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
- the table is new or empty: stream straight into Parquet files (append);
  the caller guarantees keys are unique within the stream.
- otherwise: stage the stream to a local Parquet file, classify every row with
  DuckDB against the current version (left join on the key), then append the
  new rows, or ``merge`` when some rows update stored ones.

Appends to a local lake write the Parquet files themselves (``PartitionFiles``:
one open file per partition value, rows buffered into large row groups) and
commit them all with one ``add`` action each in a single Delta commit. The Delta
writer, fed every month in every batch, wrote many small files and slowed down
as files accumulated. Object-store lakes keep using ``write_deltalake``.

Owners: a fact belongs to the provider in its ``provider`` column. A run bound
to one provider (``owner``) writes only its own facts: a row whose key is stored
under another provider is refused whatever its ``updated_at`` (so neither
"updated" nor "unchanged" tells the run that the key exists elsewhere) and comes
back in ``CommitResult.refused`` for the caller to reject. A run bound to no
provider (the client's) may move a fact between providers; ``moved`` counts them.

Writers are expected to be serialised per table (one ingest run at a time per
table); Delta's optimistic concurrency rejects conflicting merges but two
concurrent appends of the same keys would both succeed.
"""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import DeltaTable, Schema, WriterProperties, write_deltalake
from deltalake.exceptions import TableNotFoundError
from deltalake.transaction import create_table_with_add_actions

from .lookup import candidate_files, stored_dataset
from .partfiles import COMPRESSION, PartitionFiles
from .schemas import TABLES, FactTable
from .storage import delta_storage_options
from .store import Lake

DEFAULT_WRITER_PROPERTIES = WriterProperties(compression=COMPRESSION.upper())
#: DuckDB's share of memory while classifying rows; it spills to disk beyond this.
DUCKDB_MEMORY_LIMIT = "1GB"
#: The column naming the provider a fact belongs to.
OWNER_COLUMN = "provider"
#: Optional extra column of incoming batches: the source row number, returned with refused rows, never stored.
ROW_COLUMN = "_row"
#: Staging folders start with this (a maintenance sweep finds those left by killed runs).
STAGING_PREFIX = "concord-stage-"
#: (files read, files in the table) of this process's recent key lookups, for tests and benchmarks
LOOKUPS: deque[tuple[int, int]] = deque(maxlen=100)


@dataclass(frozen=True)
class CommitResult:
    table: str
    version_before: int | None
    version_after: int | None
    inserted: int
    updated: int
    unchanged: int
    #: rows refused because their key is stored under another provider (table columns plus ``_row``)
    refused: pa.Table | None = None
    #: updated rows whose provider changed (only runs bound to no provider may do that)
    moved: int = 0

    @property
    def refused_count(self) -> int:
        return 0 if self.refused is None else self.refused.num_rows

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


def _non_empty(
    batches: Iterable[pa.RecordBatch], table: FactTable, *, row_numbers: bool = False
) -> Iterator[pa.RecordBatch]:
    """Non-empty batches in the table's schema; ``row_numbers``: plus ``_row`` (null when not sent)."""
    for batch in batches:
        if not batch.num_rows:
            continue
        rows = None
        if ROW_COLUMN in batch.schema.names:
            rows = batch.column(ROW_COLUMN)
            batch = batch.drop_columns([ROW_COLUMN])
        batch = conform(batch, table)
        if row_numbers:
            rows = pa.nulls(batch.num_rows, pa.int64()) if rows is None else rows.cast(pa.int64())
            batch = batch.append_column(ROW_COLUMN, rows)
        yield batch


def commit_batches(
    lake: Lake,
    name: str,
    batches: Iterable[pa.RecordBatch],
    *,
    writer_properties: WriterProperties | None = None,
    staging_dir: str | Path | None = None,
    before_commit: Callable[[], None] | None = None,
    owner: str | None = None,
    dry_run: bool = False,
) -> CommitResult:
    """Upsert ``batches`` (rows in the table's schema, keys unique) as one commit.

    ``dry_run``: classify exactly as a real run would (counts, refused rows) and commit nothing.

    ``owner``: the provider the run is bound to; rows whose key is stored under
    another provider are refused (see the module's "Owners").

    Returns counts of inserted / updated / unchanged rows and the versions
    before and after. Nothing is committed when no row is new or newer.
    ``before_commit()`` runs once the stream is exhausted and before anything
    is committed (while the last row groups are still being encoded); when it
    raises, nothing is committed and the exception propagates.
    """
    table = TABLES[name]
    props = writer_properties or DEFAULT_WRITER_PROPERTIES
    current = lake.delta(name)
    version_before = None if current is None else current.version()
    check = before_commit or (lambda: None)
    if current is None or not current.file_uris():
        if dry_run:
            rows = sum(batch.num_rows for batch in _then(_non_empty(batches, table), check))
            return CommitResult(name, version_before, version_before, rows, 0, 0)
        return _append_fresh(lake, table, _non_empty(batches, table), version_before, props, check)
    stream = _non_empty(batches, table, row_numbers=True)
    with tempfile.TemporaryDirectory(prefix=STAGING_PREFIX, dir=staging_dir) as tmp:
        staged = Path(tmp) / "incoming.parquet"
        count = _stage(_then(stream, check), table, staged)
        if count == 0:
            return CommitResult(name, version_before, version_before, 0, 0, 0)
        return _upsert(lake, table, current, staged, count, Path(tmp), props, owner, dry_run)


def _then(stream: Iterator[pa.RecordBatch], check: Callable[[], None]) -> Iterator[pa.RecordBatch]:
    """``stream``, then ``check()`` once it is exhausted."""
    yield from stream
    check()


def _append_fresh(lake, table, stream, version_before, props, check) -> CommitResult:
    counter = _Counter(stream)
    first = next(counter, None)
    if first is None:
        check()
        return CommitResult(table.name, version_before, version_before, 0, 0, 0)
    _append(lake, table, counter.prepend(first), props, lake.delta(table.name), check)
    return CommitResult(table.name, version_before, lake.version(table.name), counter.rows, 0, 0)


def local_dir(uri: str) -> Path | None:
    """The table's folder when the lake is on the local file system, else None."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if "://" in uri:
        return None
    return Path(uri)


def _append(
    lake, table: FactTable, batches: Iterable[pa.RecordBatch], props, current: DeltaTable | None, check=None
) -> None:
    """Append ``batches`` (table schema, at least one row) as one new table version; ``check()`` before it."""
    check = check or (lambda: None)
    uri = lake.table_uri(table.name)
    folder = local_dir(uri)
    partition_by = list(table.partition_by)
    if folder is None or (current is not None and missing_columns(current, table)):
        # Delta's own writer evolves the stored schema ("merge" adds the canonical columns it lacks) in the
        # same commit as the rows; a bare ``add`` commit would leave the new columns invisible to readers.
        reader = pa.RecordBatchReader.from_batches(table.schema, _then(iter(batches), check))
        write_deltalake(
            uri,
            reader,
            mode="append",
            partition_by=partition_by or None,
            writer_properties=props,
            schema_mode="merge",
            storage_options=delta_storage_options(uri),
        )
        return
    files = PartitionFiles(folder, table)
    try:
        for batch in batches:
            files.write(batch)
        actions = files.close(check)
        if current is None:
            create_table_with_add_actions(
                uri, Schema.from_arrow(table.schema), actions, mode="append", partition_by=partition_by or None
            )
        else:
            current.create_write_transaction(actions, mode="append", schema=table.schema, partition_by=partition_by)
    except BaseException:
        # Unless the commit itself went through (a post-commit step such as a checkpoint failed),
        # the files are orphans no reader sees: remove them now rather than wait for vacuum.
        if not _committed(uri, files.names()):
            files.discard()
        raise


def missing_columns(current: DeltaTable, table: FactTable) -> list[str]:
    """Canonical columns the stored table's schema lacks (it was written by an older Concord)."""
    stored = {field.name for field in current.schema().fields}
    return [name for name in table.schema.names if name not in stored]


def _committed(uri: str, names: set[str]) -> bool:
    """Whether any of the files ``names`` is in the table's latest version (True when unsure)."""
    if not names:
        return False
    try:
        latest = DeltaTable(uri)
    except TableNotFoundError:
        return False
    except Exception:  # cannot tell: keep the files, vacuum removes orphans later
        return True
    return any(uri_.rsplit("/", 1)[-1] in names for uri_ in latest.file_uris())


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
    schema = table.schema.append(pa.field(ROW_COLUMN, pa.int64()))
    with pq.ParquetWriter(path, schema, compression=COMPRESSION) as writer:
        for batch in stream:
            writer.write_batch(batch)
            count += batch.num_rows
    return count


def _upsert(
    lake, table: FactTable, current, staged: Path, count: int, tmp: Path, props, owner, dry_run=False
) -> CommitResult:
    key = list(table.key)
    vcol = table.version_column
    owned = OWNER_COLUMN in table.schema.names and OWNER_COLUMN not in key
    guard = owned and owner is not None
    con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY_LIMIT, "temp_directory": str(tmp / "duck")})
    try:
        # Only the files a key of the batch can be in, and only the columns the classification needs.
        con.execute(f"CREATE TEMP TABLE incoming AS SELECT DISTINCT {_cols(key)} FROM read_parquet(?)", [str(staged)])
        files = candidate_files(current, table, con, "incoming")
        LOOKUPS.append((len(files), len(current.file_uris())))
        keep = list(
            dict.fromkeys(key + ([vcol] if vcol else []) + list(table.partition_by) + ([OWNER_COLUMN] if owned else []))
        )
        # no candidate file (every key beyond every stored file's range): nothing stored to read
        stored = stored_dataset(current, files) if files else pa.schema([table.schema.field(c) for c in keep])
        con.register("cur_ds", stored if files else stored.empty_table())
        con.execute(f"CREATE TEMP TABLE cur AS SELECT {_cols(keep)} FROM cur_ds")
        on = " AND ".join(f's."{k}" = c."{k}"' for k in key)
        found = f'c."{key[0]}" IS NOT NULL'
        newer = f'({found} AND s."{vcol}" > c."{vcol}")' if vcol else found
        # another provider's row: refused when the run is bound to a provider, a move otherwise
        other = f'({found} AND s."{OWNER_COLUMN}" IS DISTINCT FROM c."{OWNER_COLUMN}")' if owned else "false"
        write = f"(NOT {found} OR {newer})" + (f" AND NOT {other}" if guard else "")
        con.execute(
            f"""CREATE TEMP TABLE changed AS
                SELECT s.*, NOT {found} AS _is_new, {other} AS _other, {write} AS _write
                       {"".join(f', c."{p}" AS "_cur_{p}"' for p in table.partition_by)}
                FROM read_parquet(?) s LEFT JOIN cur c ON {on}
                WHERE NOT {found} OR {newer} OR {other}""",
            [str(staged)],
        )
        inserted, updated, others = con.execute(
            """SELECT count(*) FILTER (WHERE _write AND _is_new), count(*) FILTER (WHERE _write AND NOT _is_new),
                      count(*) FILTER (WHERE _other) FROM changed"""
        ).fetchone()
        refused = None
        moved = 0
        if guard and others:
            refused = con.execute(
                f'SELECT {_cols(table.columns)}, "{ROW_COLUMN}" FROM changed WHERE _other ORDER BY "{ROW_COLUMN}"'
            ).to_arrow_table()
        elif others:
            moved = con.execute("SELECT count(*) FROM changed WHERE _other AND _write").fetchone()[0]
        unchanged = count - inserted - updated - (refused.num_rows if refused is not None else 0)
        version_before = current.version()
        if dry_run or inserted + updated == 0:
            return CommitResult(
                table.name, version_before, version_before, inserted, updated, unchanged, refused, moved
            )
        predicate = " AND ".join(f't."{k}" = s."{k}"' for k in key)
        for p in table.partition_by:
            # Prune the merge to the partitions holding the rows it replaces.
            parts = [
                r[0]
                for r in con.execute(f'SELECT DISTINCT "_cur_{p}" FROM changed WHERE _write AND NOT _is_new').fetchall()
            ]
            literals = ", ".join("'" + str(v).replace("'", "''") + "'" for v in parts)
            predicate += f' AND t."{p}" IN ({literals})'
        # The last query on ``con``: a later execute would end this stream early.
        rows = con.execute(f"SELECT {_cols(table.columns)} FROM changed WHERE _write").to_arrow_reader(100_000)
        source = rows.cast(table.schema)
        if updated == 0:
            _append(lake, table, source, props, current)
        else:
            merger = current.merge(
                source,
                predicate=predicate,
                source_alias="s",
                target_alias="t",
                # without it delta-rs drops, silently, the columns the stored schema lacks
                merge_schema=True,
                writer_properties=props,
            )
            if vcol:
                merger = merger.when_matched_update_all(predicate=f's."{vcol}" > t."{vcol}"')
            else:
                merger = merger.when_matched_update_all()
            merger.when_not_matched_insert_all().execute()
        return CommitResult(
            table.name, version_before, lake.version(table.name), inserted, updated, unchanged, refused, moved
        )
    finally:
        con.close()


def _cols(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)
