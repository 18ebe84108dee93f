"""Open the lake's Delta tables and read them pinned to a version.

The lake is a folder (or object-store URL) holding one Delta table per fact
table in ``schemas.TABLES``. Readers always name a version, or take the latest
and record which one it was, so a report can be reproduced exactly later.
DuckDB's own delta extension cannot be downloaded here, so queries read the
table's active Parquet files (``file_uris``) for the chosen version.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.dataset as pads
from deltalake import DeltaTable
from deltalake.exceptions import TableNotFoundError

from .schemas import TABLES, FactTable
from .storage import delta_storage_options


@dataclass(frozen=True)
class Snapshot:
    """One table at one committed version: what a query reads."""

    table: FactTable
    version: int | None  # None: the table has never been written
    file_uris: tuple[str, ...]
    #: the Delta table's own URI (for readers that go through ``dataset``)
    table_uri: str | None = None

    @property
    def empty(self) -> bool:
        return not self.file_uris

    @property
    def local(self) -> bool:
        """Whether the files are on this machine's file system (DuckDB can read them itself)."""
        return not any("://" in uri and not uri.startswith("file://") for uri in self.file_uris)

    def dataset(self) -> pads.Dataset:
        """The snapshot's files as a pyarrow dataset read through ``deltalake``'s own object-store client:
        no DuckDB extension (which could not be downloaded offline) is needed to read an ``s3://`` lake."""
        if self.table_uri is None or self.version is None:
            raise ValueError("an empty snapshot has no dataset")
        table = DeltaTable(self.table_uri, version=self.version, storage_options=delta_storage_options(self.table_uri))
        full = table.to_pyarrow_dataset()
        root = self.table_uri.rstrip("/") + "/"
        wanted = {unquote(uri[len(root):]) if uri.startswith(root) else unquote(uri) for uri in self.file_uris}
        fragments = [f for f in full.get_fragments() if unquote(f.path) in wanted]
        return pads.FileSystemDataset(fragments, full.schema, full.format, full.filesystem)


#: (first, last) partition month, inclusive; None at either end: open
MonthRange = tuple[str | None, str | None]


def _month_filters(table: FactTable, months: MonthRange | None) -> list[tuple[str, str, str]] | None:
    if months is None or len(table.partition_by) != 1:
        return None
    column = table.partition_by[0]
    first, last = months
    filters = ([(column, ">=", first)] if first else []) + ([(column, "<=", last)] if last else [])
    return filters or None


class Lake:
    def __init__(self, uri: str | Path):
        self.uri = str(uri).rstrip("/")

    def table_uri(self, name: str) -> str:
        if name not in TABLES:
            raise KeyError(f"unknown fact table {name!r}; known: {', '.join(TABLES)}")
        return f"{self.uri}/{name}"

    def delta(self, name: str, version: int | None = None) -> DeltaTable | None:
        """The Delta table at ``version`` (latest when None), or None if never written."""
        try:
            return DeltaTable(self.table_uri(name), version=version, storage_options=delta_storage_options(self.uri))
        except TableNotFoundError:
            return None

    def version(self, name: str) -> int | None:
        table = self.delta(name)
        return None if table is None else table.version()

    def snapshot(self, name: str, version: int | None = None, months: MonthRange | None = None) -> Snapshot:
        """The table at ``version``; ``months``: only the files of the partitions in that (first, last)
        range of ``YYYY-MM`` values, either end open when None (tables without partitions: every file)."""
        table = self.delta(name, version)
        if table is None:
            return Snapshot(TABLES[name], None, ())
        files = table.file_uris(file_pruning_predicate=_month_filters(TABLES[name], months))
        return Snapshot(TABLES[name], table.version(), tuple(files), self.table_uri(name))

    def read_arrow(self, name: str, version: int | None = None, columns=None) -> pa.Table:
        """Whole table as Arrow; for tests and small tables only."""
        table = self.delta(name, version)
        if table is None:
            return TABLES[name].schema.empty_table()
        stored = {field.name for field in table.schema().fields}
        wanted = list(columns) if columns is not None else TABLES[name].columns
        data = table.to_pyarrow_table(columns=[c for c in wanted if c in stored] if columns is not None else None)
        for column in wanted:  # a column added to the canonical schema after this table was written
            if column not in stored:
                data = data.append_column(TABLES[name].schema.field(column), pa.nulls(data.num_rows,
                                          TABLES[name].schema.field(column).type))
        return data
