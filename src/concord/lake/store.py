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

import pyarrow as pa
from deltalake import DeltaTable
from deltalake.exceptions import TableNotFoundError

from .schemas import TABLES, FactTable


@dataclass(frozen=True)
class Snapshot:
    """One table at one committed version: what a query reads."""

    table: FactTable
    version: int | None  # None: the table has never been written
    file_uris: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.file_uris


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
            return DeltaTable(self.table_uri(name), version=version)
        except TableNotFoundError:
            return None

    def version(self, name: str) -> int | None:
        table = self.delta(name)
        return None if table is None else table.version()

    def snapshot(self, name: str, version: int | None = None) -> Snapshot:
        table = self.delta(name, version)
        if table is None:
            return Snapshot(TABLES[name], None, ())
        return Snapshot(TABLES[name], table.version(), tuple(table.file_uris()))

    def read_arrow(self, name: str, version: int | None = None, columns=None) -> pa.Table:
        """Whole table as Arrow; for tests and small tables only."""
        table = self.delta(name, version)
        if table is None:
            return TABLES[name].schema.empty_table()
        return table.to_pyarrow_table(columns=columns)
