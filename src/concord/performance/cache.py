"""Metric results cached per lake version: exact, because a committed lake version never changes.

A request is pinned to the latest committed version of each table it reads before it is
looked up, so a cached result is the result of that very query, and committing a new
version (an ingest run) changes the key: the next page view computes afresh. The only
per-view cost on a hit is reading the tables' current versions (the Delta log's newest
entry). Results live in Django's cache (``CACHES["default"]``; per process unless a shared
backend is configured). Misses run on one DuckDB connection per process, kept open.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import replace

from django.core.cache import cache

from concord import metrics as metric_engine
from concord.lake.store import Lake
from concord.metrics.query import MetricRequest, MetricResult, sources_of

#: a version's result never goes stale; the timeout only bounds memory held by old versions
TIMEOUT = 24 * 3600
_lock = threading.Lock()
_con = None


def _run_locked(request: MetricRequest, lake: Lake) -> MetricResult:
    """One DuckDB connection per process, opened once; queries take turns on it (each one
    uses every core already, and a web server starts a thread per request)."""
    global _con
    with _lock:
        if _con is None:
            _con = metric_engine.connect("duckdb")
        return metric_engine.run(request, lake, _con)


def pinned(request: MetricRequest, lake: Lake) -> MetricRequest:
    """``request`` with every table it reads pinned: to the version asked for, else the latest."""
    versions = {source: request.versions.get(source, lake.version(source)) for source in sources_of(request)}
    return replace(request, versions={k: v for k, v in versions.items() if v is not None})


def key(request: MetricRequest, lake: Lake) -> str:
    """The cache key of a pinned request over this lake (every field of the request counts)."""
    text = repr((lake.uri, request))
    return "concord:metrics:" + hashlib.sha256(text.encode()).hexdigest()


def run(request: MetricRequest, lake: Lake) -> MetricResult:
    """``metrics.run`` for pages: the same result, computed once per lake version."""
    request = pinned(request, lake)
    k = key(request, lake)
    result = cache.get(k)
    if result is None:
        result = _run_locked(request, lake)
        # A table first written between pinning and reading was read at a version the key
        # does not name: such a result is returned but not kept.
        if all(result.versions.get(s) == request.versions.get(s) for s in result.versions):
            cache.set(k, result, TIMEOUT)
    return result
