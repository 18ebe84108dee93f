"""A snapshot as something DuckDB SQL can select from, on a local lake and on an object store alike.

A local lake's files DuckDB reads itself (``read_parquet`` over the snapshot's files). An
``s3://`` lake's are read through ``deltalake``'s own object-store client
(``Snapshot.dataset``) registered on the connection, so DuckDB never needs its ``httpfs``
extension, which cannot be downloaded offline.

The dataset's text columns are declared as Arrow string views. DuckDB pushes a string filter
into a pyarrow dataset as a ``string_view`` literal, which pyarrow cannot compare with a
``string`` column ("Function 'equal' has no kernel matching input types (string,
string_view)"): every scorecard filtered by provider failed on files deltalake's merge had
written. With view columns DuckDB applies its filters itself (it pushes none into tables
holding views) and still reads only the columns a query names. Reading the Parquet files
with DuckDB through a Python file system instead deadlocked now and then (its threads
need the GIL).

Every hand-written lake query goes through here, so no reader works on one kind of lake
and fails on the other.
"""

from __future__ import annotations

import hashlib

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads

from .store import Snapshot


def _with_string_views(dataset: pads.FileSystemDataset) -> pads.FileSystemDataset:
    def view(field: pa.Field) -> pa.Field:
        text = pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
        return field.with_type(pa.string_view()) if text else field

    schema = pa.schema([view(f) for f in dataset.schema], metadata=dataset.schema.metadata)
    return pads.FileSystemDataset(list(dataset.get_fragments()), schema, dataset.format, dataset.filesystem)


def source(con: duckdb.DuckDBPyConnection, snapshot: Snapshot) -> str:
    """A FROM-clause item for ``snapshot``'s rows on ``con`` (a relation name or a table function).

    The columns are those stored in the files; on an object store also the partition
    column, which a reader can ignore. A non-empty snapshot only."""
    if snapshot.empty:
        raise ValueError("an empty snapshot has no rows to read")
    uris = list(snapshot.file_uris)
    if not snapshot.local:
        # one name per set of files: reading the same snapshot again replaces the registration
        name = "lake_" + hashlib.sha256("\0".join(uris).encode()).hexdigest()[:20]
        con.register(name, _with_string_views(snapshot.dataset()))
        # the filters a join pushes at run time (e.g. ``agent IN (SELECT ...)``) reach the dataset all the
        # same, as an ``is_in`` pyarrow has no kernel for on string views: DuckDB applies them itself
        con.execute("SET disabled_optimizers = 'join_filter_pushdown'")
        return f'"{name}"'
    files = ", ".join("'" + uri.replace("'", "''") + "'" for uri in uris)
    # paths escaped above; they come from the Delta log, never from a user
    return f"read_parquet([{files}], union_by_name = true, hive_partitioning = false)"
