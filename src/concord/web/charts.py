"""Charts: one Vega-Lite spec, drawn interactively in the page and exported as SVG offline.

Pages embed the spec with ``json_script``; ``static/concord/charts.js`` draws
every ``[data-chart]`` with vega-embed, served from vl-convert's bundle (no CDN).
The same spec renders to SVG/PNG/PDF through vl-convert for downloads and packs.

vl-convert is a Rust extension: when it panics (it does on text XML forbids) it
aborts the whole process, not just the call. So every spec is stripped of control
characters (names typed before input was checked are already in the database),
and the SVG is drawn in a child process, so whatever else makes the renderer die
costs one error response, not the web server.
"""

from __future__ import annotations

import functools
import logging
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

import vl_convert
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from concord.safetext import strip_control_deep

from . import svg_worker

log = logging.getLogger(__name__)

#: Vega compiles expressions with Function(); pages that draw charts allow it for themselves.
CHART_CSP = {"script-src": ["'unsafe-eval'"]}

#: A chart that takes longer than this to draw is abandoned (and its renderer replaced).
RENDER_TIMEOUT_SECONDS = 30


class ChartRenderError(RuntimeError):
    """The renderer failed or died; the chart cannot be drawn, the server carries on."""


def spec(chart) -> dict[str, Any]:
    """An altair chart as the Vega-Lite dict pages and renderers get, every string stripped of control characters."""
    return strip_control_deep(chart.to_dict())


class _Renderer:
    """One long-lived child process that draws SVGs; replaced when it dies or hangs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the web process has threads (and maybe vl-convert's own runtime)
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=get_context("spawn"), initializer=svg_worker.warm_up
                )
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()  # a hung renderer would otherwise hold the pool's shutdown forever
        pool.shutdown(wait=False, cancel_futures=True)

    def svg(self, spec: dict[str, Any]) -> str:
        pool = self._executor()
        try:
            return pool.submit(svg_worker.render_svg, spec).result(timeout=RENDER_TIMEOUT_SECONDS)
        except BrokenProcessPool as exc:
            self._discard(pool)
            raise ChartRenderError("the chart renderer stopped while drawing this chart") from exc
        except TimeoutError as exc:
            self._discard(pool)
            raise ChartRenderError(f"the chart took longer than {RENDER_TIMEOUT_SECONDS} s to draw") from exc
        except Exception as exc:  # vl-convert's own ValueError for a spec it rejects
            raise ChartRenderError(str(exc)) from exc


_renderer = _Renderer()


def warm() -> None:
    """Start the renderer process now, without waiting for it: spawning it and starting vl-convert's runtime
    take seconds, which a caller that draws later (a review pack) overlaps with its queries."""
    _renderer._executor().submit(svg_worker.ready)


def to_svg(spec: dict[str, Any]) -> str:
    """The spec drawn as SVG, in the renderer process; ChartRenderError if it cannot be drawn."""
    return _renderer.svg(strip_control_deep(spec))


def svg_response(spec: dict[str, Any], filename: str) -> HttpResponse:
    try:
        svg = to_svg(spec)
    except ChartRenderError as exc:
        log.error("chart %s could not be drawn: %s", filename, exc)
        return HttpResponse(
            "This chart could not be drawn. The error has been logged; the page it belongs to shows the same figures.",
            content_type="text/plain; charset=utf-8",
            status=500,
        )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{strip_control_deep(filename)}.svg"'
    return response


@functools.cache
def _bundle() -> str:
    return vl_convert.javascript_bundle()


@require_GET
@cache_control(max_age=86400, public=True)
def vega_bundle(request) -> HttpResponse:
    """vega, vega-lite and vega-embed, bundled by vl-convert, as one script."""
    return HttpResponse(_bundle(), content_type="text/javascript")
