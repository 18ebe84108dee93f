"""Transparent huge pages off while ingest runs are in progress (Linux only).

An ingest streams gigabytes through short-lived buffers, and the allocators
hand memory back to the kernel and take it again all run long. With the
kernel's transparent huge pages on ("always", as on this project's machines),
every fault on fresh memory zeroes a whole 2 MiB page: measured at 5-8% of a
10M-row ingest on 2 cores. Databases advise turning them off for the same
reason. ``PR_SET_THP_DISABLE`` does that for this process only, and is
restored once the last concurrent run ends; elsewhere this does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
import threading
from collections.abc import Iterator

_PR_SET_THP_DISABLE = 41
_PR_GET_THP_DISABLE = 42

_lock = threading.Lock()
_active = 0
_was_disabled = False


def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()


@contextlib.contextmanager
def no_huge_pages() -> Iterator[None]:
    """Within this block (and any overlapping one on another thread), no transparent huge pages for this process."""
    global _active, _was_disabled
    with _lock:
        if _active == 0 and _PRCTL is not None:
            _was_disabled = _PRCTL(_PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1
            if not _was_disabled:
                _PRCTL(_PR_SET_THP_DISABLE, 1, 0, 0, 0)
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _PRCTL is not None and not _was_disabled:
                _PRCTL(_PR_SET_THP_DISABLE, 0, 0, 0, 0)


def huge_pages_disabled() -> bool | None:
    """Whether transparent huge pages are off for this process now (None: not Linux)."""
    return None if _PRCTL is None else _PRCTL(_PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1
