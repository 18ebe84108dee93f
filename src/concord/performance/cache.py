"""Metric results cached per lake version: exact, because a committed lake version never changes.

A request is pinned to the latest committed version of each table it reads before it is
looked up, so a cached result is the result of that very query, and committing a new
version (an ingest run) changes the key: the next page view computes afresh. The only
per-view cost on a hit is reading the tables' current versions (the Delta log's newest
entry). Results live in Django's cache (``CACHES["default"]``; per process unless a shared
backend is configured: ``CACHE_URL=redis://…`` in production). Misses run on the engine
``QUERY_ENGINE`` names (``concord.engine``). A cache that cannot be reached costs speed,
never a page: the result is computed and returned without it, and the failure logged.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace

from django.core.cache import cache

from concord import engine
from concord.lake.store import Lake
from concord.metrics.query import MetricRequest, MetricResult, sources_of

#: a version's result never goes stale; the timeout only bounds memory held by old versions
TIMEOUT = 24 * 3600
log = logging.getLogger(__name__)


def pinned(request: MetricRequest, lake: Lake) -> MetricRequest:
    """``request`` with every table it reads pinned: to the version asked for, else the latest."""
    versions = {source: request.versions.get(source, lake.version(source)) for source in sources_of(request)}
    return replace(request, versions={k: v for k, v in versions.items() if v is not None})


def key(request: MetricRequest, lake: Lake) -> str:
    """The cache key of a pinned request over this lake (every field of the request counts)."""
    text = repr((lake.uri, request))
    return "concord:metrics:" + hashlib.sha256(text.encode()).hexdigest()


def shared(request: MetricRequest) -> tuple[MetricRequest, frozenset[str] | None]:
    """The request whose cached result serves ``request``, and the providers to keep of it.

    Grouped by provider, a provider filter only drops whole groups: every user's view of one
    scorecard (the client's, all partners; each partner's, their own) is a slice of one result
    over every provider, computed once per lake version and kept for all of them.
    """
    codes = request.filters.get("provider")
    if "provider" not in request.group_by or codes is None:
        return request, None
    filters = {k: v for k, v in request.filters.items() if k != "provider"}
    return replace(request, filters=filters), frozenset(codes)


def run(request: MetricRequest, lake: Lake) -> MetricResult:
    """``metrics.run`` for pages: the same result, computed once per lake version."""
    request, keep = shared(request)
    result = _run(request, lake)
    if keep is None:
        return result
    return replace(result, rows=[row for row in result.rows if row.dimensions.get("provider") in keep])


def _run(request: MetricRequest, lake: Lake) -> MetricResult:
    request = pinned(request, lake)
    k = key(request, lake)
    result = _get(k)
    if result is not None:
        return result
    # Queries take turns on the process's engine connection; a request that waited its turn
    # looks again first, so many users opening the same cold page compute it once, not once each.
    with engine.session():
        result = _get(k)
        if result is None:
            result = engine.run(request, lake)
            # A table first written between pinning and reading was read at a version the key
            # does not name: such a result is returned but not kept.
            if all(result.versions.get(s) == request.versions.get(s) for s in result.versions):
                _set(k, result)
    return result


def cached(k: str, compute):
    """The value cached at ``k``, else ``compute()`` stored there: one get-or-compute for every result kept per
    lake version (metric results here, measured ramps in ``knowledge.ramp``). An unreachable cache costs speed."""
    found = _get(k)
    if found is not None:
        return found
    result = compute()
    _set(k, result)
    return result


def _get(k: str):
    try:
        return cache.get(k)
    except Exception:  # the cache server is down or slow: compute instead
        log.warning("metric cache unreachable on read; computing", exc_info=True)
        return None


def _set(k: str, result) -> None:
    try:
        cache.set(k, result, TIMEOUT)
    except Exception:
        log.warning("metric cache unreachable on write; result not kept", exc_info=True)
