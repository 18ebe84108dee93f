"""Charts: one Vega-Lite spec, drawn interactively in the page and exported as SVG offline.

Pages embed the spec with ``json_script``; ``static/concord/charts.js`` draws
every ``[data-chart]`` with vega-embed, served from vl-convert's bundle (no CDN).
The same spec renders to SVG/PNG/PDF through vl-convert for downloads and packs.
"""

from __future__ import annotations

import functools
from typing import Any

import vl_convert
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

#: Vega compiles expressions with Function(); pages that draw charts allow it for themselves.
CHART_CSP = {"script-src": ["'unsafe-eval'"]}


def to_svg(spec: dict[str, Any]) -> str:
    return vl_convert.vegalite_to_svg(spec)


def svg_response(spec: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(to_svg(spec), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{filename}.svg"'
    return response


@functools.cache
def _bundle() -> str:
    return vl_convert.javascript_bundle()


@require_GET
@cache_control(max_age=86400, public=True)
def vega_bundle(request) -> HttpResponse:
    """vega, vega-lite and vega-embed, bundled by vl-convert, as one script."""
    return HttpResponse(_bundle(), content_type="text/javascript")
