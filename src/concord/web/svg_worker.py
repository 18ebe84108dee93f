"""The chart renderer's child process: imports vl-convert and nothing of Django, so it starts quickly.

Kept apart from ``concord.web.charts`` because a spawned child imports the module of the
function it runs; this one's only import is the renderer itself.
"""

from __future__ import annotations

from typing import Any

import vl_convert


def warm_up() -> None:
    """Start vl-convert's JavaScript runtime before the first request needs it."""
    vl_convert.vegalite_to_svg({"data": {"values": []}, "mark": "point"})


def render_svg(spec: dict[str, Any]) -> str:
    return vl_convert.vegalite_to_svg(spec)
