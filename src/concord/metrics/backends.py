"""Where metric expressions run: DuckDB in-process by default, PySpark at scale.

Both read a lake snapshot's active Parquet files (never DuckDB's delta extension,
which cannot be downloaded here), and both run their sessions in UTC, which the
period expressions rely on. Local files each engine reads itself; an object store's
through ``deltalake``'s own client, handed over as Arrow (``lake.scan``, and
``_spark_frame_from_store``), so neither needs a connector that must be downloaded.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Literal

import ibis
import ibis.expr.types as ir

from concord.lake import scan
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
        return _duckdb_table(con, snapshot, stored)
    if con.name == "pyspark":
        name = ibis.util.gen_name("lake")
        if snapshot.local:
            # files written before a column was added lack it: merge their schemas, the column reads as null
            frame = con._session.read.option("mergeSchema", "true").parquet(*uris)
        else:
            frame = _spark_frame_from_store(con._session, snapshot, stored)
        frame.createOrReplaceTempView(name)
        table = con.table(name)
    else:
        table = con.read_parquet(uris)
    have = set(table.columns)
    return table.select(*[f.name if f.name in have else ibis.null(ibis.dtype(f.type)).name(f.name) for f in stored])


def _spark_frame_from_store(session, snapshot: Snapshot, stored):
    """An object-store snapshot on Spark, read through ``deltalake``'s object-store client as Arrow.

    Spark reads ``s3://`` only through Hadoop's S3 connector, whose jars are not part of pyspark
    and cannot be fetched offline; the same reader DuckDB uses (``Snapshot.dataset``) needs
    nothing more. The rows pass through the driver: its memory bounds what one query reads, which
    the month pruning of ``Lake.snapshot`` keeps to the months asked for.
    """
    import pyarrow as pa

    dataset = snapshot.dataset()
    present = [f for f in stored if f.name in dataset.schema.names]
    # the canonical types: deltalake may declare text as string views, which Spark does not take from Arrow
    rows = dataset.to_table(columns=[f.name for f in present]).cast(pa.schema(present))
    return session.createDataFrame(rows)


#: columns found in each set of (immutable) Parquet files already looked at, most recent last
_FILE_COLUMNS: OrderedDict[tuple[str, ...], frozenset[str]] = OrderedDict()
_FILE_COLUMNS_KEPT = 256


def _file_columns(con: ibis.BaseBackend, uris: list[str], source: str) -> frozenset[str]:
    """The columns at least one of the files has. A table's files written before a column was added
    to its schema lack that column; if none of the files read has it, it must be given as null. (An
    object store's dataset already carries the table's schema, older files' columns filled with null.)"""
    key = tuple(uris)
    if key in _FILE_COLUMNS:
        _FILE_COLUMNS.move_to_end(key)
        return _FILE_COLUMNS[key]
    described = con.con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()  # noqa: S608 - from lake.scan
    found = _FILE_COLUMNS[key] = frozenset(row[0] for row in described)
    while len(_FILE_COLUMNS) > _FILE_COLUMNS_KEPT:
        _FILE_COLUMNS.popitem(last=False)
    return found


def _duckdb_table(con: ibis.BaseBackend, snapshot: Snapshot, stored) -> ir.Table:
    """The files on DuckDB, with UTC timestamps as plain (zone-less) UTC timestamps.

    DuckDB reads the lake's ``timestamp[us, tz=UTC]`` as TIMESTAMP WITH TIME ZONE, whose
    casts and date parts go through ICU time-zone code: about 3 s per cast per 10M rows,
    which made most of a scorecard's run time. The sessions run in UTC, so the same
    instants as plain timestamps (rebuilt from the stored microseconds, exactly) mean the
    same thing and compute natively; ``sources`` compares them with zone-less UTC bounds.
    Local files and object-store datasets alike come from ``lake.scan``.
    """
    import pyarrow as pa

    source = scan.source(con.con, snapshot)
    have = _file_columns(con, list(snapshot.file_uris), source)

    def column(field) -> str:
        name = '"' + field.name.replace('"', '""') + '"'
        if field.name not in have:  # added to the schema after every one of these files was written
            return f"CAST(NULL AS {_duck_type(field.type)}) AS {name}"
        if pa.types.is_timestamp(field.type) and field.type.tz is not None:
            return f"make_timestamp(epoch_us({name})) AS {name}"
        return name

    select = ", ".join(column(f) for f in stored)
    # identifiers quoted above and the source built by lake.scan; neither comes from a user
    return con.sql(f"SELECT {select} FROM {source}")  # noqa: S608


def _duck_type(type_) -> str:
    """DuckDB's name for an Arrow type of the canonical schemas (zone-aware timestamps as read: plain UTC)."""
    import pyarrow as pa

    if pa.types.is_timestamp(type_):
        return "TIMESTAMP"
    return DUCK_TYPES[str(type_)]


DUCK_TYPES = {
    "string": "VARCHAR",
    "double": "DOUBLE",
    "bool": "BOOLEAN",
    "int8": "TINYINT",
    "int16": "SMALLINT",
    "int32": "INTEGER",
    "int64": "BIGINT",
    "date32[day]": "DATE",
}
