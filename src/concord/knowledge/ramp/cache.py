"""Measured ramps kept per lake version, as the metric cache keeps metric results (``performance.cache``).

The allocation page asks for every provider's measured ramp on each view: two years of agent-weeks
from the lake, about two seconds. The answer depends only on the lake table the metric reads (pinned
to its version, so a new commit is a new key), the roster's hires (hire date, site, zone: read each
time, a few milliseconds), the dates, the band and the providers asked for. A cache that cannot be
reached costs speed, never a page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any


def key(*parts: Any) -> str:
    """The cache key of everything a measured ramp depends on (``repr`` of each part, in order)."""
    return "concord:ramp:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached(k: str, compute: Callable[[], Any]) -> Any:
    """The metric cache's get-or-compute (``performance.cache.cached``) under a ramp key."""
    from concord.performance import cache as metric_cache

    return metric_cache.cached(k, compute)
