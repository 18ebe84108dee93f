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
import time
from dataclasses import replace

from django.core.cache import cache

from concord import engine
from concord.lake.store import Lake
from concord.metrics.query import MetricRequest, MetricResult, sources_of

#: a version's result never goes stale; the timeout only bounds memory held by old versions
TIMEOUT = 24 * 3600
#: how long another process's computation of the same key is waited for before computing it here too
#: (the cold provider page at 10M rows takes ~45 CPU-s); the claim itself expires after as long, so a
#: process that died while computing holds nobody up for longer
WAIT_SECONDS = 60
POLL_SECONDS = 0.05
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
            # A table first written between pinning and reading was read at a version the key
            # does not name: such a result is returned but not kept.
            result = _once(
                k,
                lambda: engine.run(request, lake),
                keep=lambda r: all(r.versions.get(s) == request.versions.get(s) for s in r.versions),
            )
    return result


def cached(k: str, compute):
    """The value cached at ``k``, else ``compute()`` stored there: one get-or-compute for every result kept per
    lake version (metric results here, measured ramps in ``knowledge.ramp``). An unreachable cache costs speed."""
    found = _get(k)
    if found is not None:
        return found
    return _once(k, compute)


def _once(k: str, compute, keep=lambda result: True):
    """``compute()`` stored at ``k``, computed by one process at a time across every process sharing the cache.

    The engine lock (``engine.session``) only orders one process's queries: with several web workers,
    each computed the same cold page at once, and the first view after a commit cost every worker the full
    query. A process claims the key with the cache's atomic ``add`` (Redis ``SET NX`` in production); the
    others wait for the value to appear instead of computing it, and compute it themselves only if the
    claim's holder is gone (the claim expired) or has not answered within ``WAIT_SECONDS``.
    """
    claim = k + ":computing"
    held = _claim(claim)
    if not held:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            found = _get(k)
            if found is not None:
                return found
            held = _claim(claim)
            if held:  # the holder finished without keeping a value, or died: its claim is gone
                break
    try:
        result = compute()
        if keep(result):
            _set(k, result)
        return result
    finally:
        if held:
            _release(claim)


def _claim(claim: str) -> bool:
    try:
        return bool(cache.add(claim, 1, WAIT_SECONDS))
    except Exception:  # no shared cache to agree through: compute here
        log.warning("metric cache unreachable on claim; computing", exc_info=True)
        return True


def _release(claim: str) -> None:
    try:
        cache.delete(claim)
    except Exception:
        log.warning("metric cache unreachable on release; the claim expires by itself", exc_info=True)


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
