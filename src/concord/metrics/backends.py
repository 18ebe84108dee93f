"""Where metric expressions run: DuckDB in-process by default, PySpark at scale.

Both read a lake snapshot's active Parquet files (never DuckDB's delta extension,
which cannot be downloaded here), and both run their sessions in UTC, which the
period expressions rely on.
"""

from __future__ import annotations

from typing import Any, Literal

import ibis
import ibis.expr.types as ir

from concord.lake.store import Snapshot

Backend = Literal["duckdb", "pyspark"]


def connect(backend: Backend = "duckdb", **options: Any) -> ibis.BaseBackend:
    """A connection for metric queries. PySpark needs the ``spark`` extra and Java 17."""
    if backend == "duckdb":
        con = ibis.duckdb.connect(**options)
        threads = options.get("threads")
        if threads:
            con.raw_sql(f"SET threads = {int(threads)}")
        return con
    if backend == "pyspark":
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise RuntimeError("the pyspark backend needs the extra: pip install 'concord[spark]'") from exc
        builder = (
            SparkSession.builder.master(options.pop("master", "local[2]"))
            .appName("concord-metrics")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", str(options.pop("shuffle_partitions", 2)))
            .config("spark.ui.enabled", "false")
        )
        for key, value in options.items():
            builder = builder.config(key, value)
        return ibis.pyspark.connect(builder.getOrCreate())
    raise ValueError(f"unknown backend {backend!r}: use 'duckdb' or 'pyspark'")


def backend_name(con: ibis.BaseBackend) -> str:
    return con.name


def table_from_snapshot(con: ibis.BaseBackend, snapshot: Snapshot) -> ir.Table:
    """The snapshot's rows as a table of ``con``, with exactly the canonical columns.

    Partition columns live in the file paths, not the files, and no metric reads them,
    so only the columns stored in the files are selected.
    """
    stored = [f for f in snapshot.table.schema if f.name not in snapshot.table.partition_by]
    if snapshot.empty:
        import pyarrow as pa

        return ibis.memtable(pa.schema(stored).empty_table())
    uris = list(snapshot.file_uris)
    if con.name == "duckdb":
        return _duckdb_table(con, uris, stored)
    if con.name == "pyspark":
        name = ibis.util.gen_name("lake")
        con._session.read.parquet(*uris).createOrReplaceTempView(name)
        table = con.table(name)
    else:
        table = con.read_parquet(uris)
    return table.select(*[f.name for f in stored])


def _duckdb_table(con: ibis.BaseBackend, uris: list[str], stored) -> ir.Table:
    """The files on DuckDB, with UTC timestamps as plain (zone-less) UTC timestamps.

    DuckDB reads the lake's ``timestamp[us, tz=UTC]`` as TIMESTAMP WITH TIME ZONE, whose
    casts and date parts go through ICU time-zone code: about 3 s per cast per 10M rows,
    which made most of a scorecard's run time. The sessions run in UTC, so the same
    instants as plain timestamps (rebuilt from the stored microseconds, exactly) mean the
    same thing and compute natively; ``sources`` compares them with zone-less UTC bounds.
    """
    import pyarrow as pa

    def column(field) -> str:
        name = '"' + field.name.replace('"', '""') + '"'
        if pa.types.is_timestamp(field.type) and field.type.tz is not None:
            return f"make_timestamp(epoch_us({name})) AS {name}"
        return name

    files = ", ".join("'" + uri.replace("'", "''") + "'" for uri in uris)
    select = ", ".join(column(f) for f in stored)
    # identifiers quoted and paths escaped above; both come from the lake, not from a user
    query = f"SELECT {select} FROM read_parquet([{files}], union_by_name = true, hive_partitioning = false)"  # noqa: S608
    return con.sql(query)
