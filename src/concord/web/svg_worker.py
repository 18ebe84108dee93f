"""The chart renderer's child process: imports vl-convert and nothing of Django, so it starts quickly.

Kept apart from ``concord.web.charts`` because a spawned child imports the module of the
function it runs; this one's only import is the renderer itself.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import vl_convert

PARENT_CHECK_SECONDS = 2.0


def _exit_when_orphaned(parent: int) -> None:
    # A server killed outright (or runserver's os._exit) never shuts the pool down, and the
    # renderer would wait on its queue for ever. Not PR_SET_PDEATHSIG: that fires when the
    # spawning *thread* ends, and threaded servers spawn the pool from a request thread.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def warm_up() -> None:
    """Start vl-convert's JavaScript runtime before the first request needs it."""
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    vl_convert.vegalite_to_svg({"data": {"values": []}, "mark": "point"})


def ready() -> bool:
    """Nothing: submitted to start the process (and its ``warm_up``) ahead of the first chart."""
    return True


def render_svg(spec: dict[str, Any]) -> str:
    return vl_convert.vegalite_to_svg(spec)
