"""The query engine every lake read runs on, chosen once by ``QUERY_ENGINE``.

``duckdb`` (the default) runs in-process; ``spark`` runs the same metric expressions on
PySpark (``SPARK_MASTER``, ``SPARK_CONF``; needs the ``spark`` extra and Java 17). Each
process opens one connection, on first use, and queries take turns on it: DuckDB already
uses every core for one query, and a Spark session is one per process anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import ibis
import ibis.expr.types as ir
from django.conf import settings

from concord import metrics
from concord.lake.store import Lake
from concord.metrics.query import MetricRequest, MetricResult

#: QUERY_ENGINE -> the metric engine's backend name
BACKENDS = {"duckdb": "duckdb", "spark": "pyspark"}

_lock = threading.RLock()
_connections: dict[tuple, ibis.BaseBackend] = {}


def _options() -> tuple[str, dict[str, str]]:
    engine = settings.QUERY_ENGINE
    if engine == "spark":
        return BACKENDS[engine], {"master": settings.SPARK_MASTER, **settings.SPARK_CONF}
    return BACKENDS[engine], {}


@contextmanager
def session() -> Iterator[ibis.BaseBackend]:
    """This process's connection to the configured engine, held for the block."""
    backend, options = _options()
    key = (backend, tuple(sorted(options.items())))
    with _lock:
        con = _connections.get(key)
        if con is None:
            con = _connections[key] = metrics.connect(backend, **options)
        yield con


def run(request: MetricRequest, lake: Lake) -> MetricResult:
    """``metrics.run`` on the configured engine."""
    with session() as con:
        return metrics.run(request, lake, con)


def run_on_tables(request: MetricRequest, build_tables, versions: Mapping[str, int | None]) -> MetricResult:
    """``metrics.run_on_tables`` on the configured engine over tables that ``build_tables(con)``
    makes on it (a lake snapshot with some rows removed, for example)."""
    with session() as con:
        tables: Mapping[str, ir.Table] = build_tables(con)
        return metrics.run_on_tables(request, tables, con, versions)
