"""A page that places a chart loads the script that draws it.

Seen walking the demo: the ramp page showed its chart's caption over a blank space; the page
included the chart partial but not vega and ``charts.js``, and no test looked at the page's scripts.
"""

from __future__ import annotations

from pathlib import Path

import concord

ROOT = Path(concord.__file__).parent


def test_every_full_page_with_a_chart_loads_charts_js():
    missing = []
    for template in ROOT.rglob("templates/**/*.html"):
        text = template.read_text()
        if "{% extends" not in text:
            continue  # a partial: the page including it loads the scripts
        if ("data-chart" in text or "_chart.html" in text) and "charts.js" not in text:
            missing.append(str(template.relative_to(ROOT)))
    assert missing == []


def test_the_stylesheet_hides_what_templates_mark_visually_hidden():
    # Seen on the demo's adoption page: a caption meant for screen readers drawn over the table, because
    # 15 templates used the class and the stylesheet never defined it.
    users = [t for t in ROOT.rglob("templates/**/*.html") if "visually-hidden" in t.read_text()]
    css = (ROOT / "web/static/concord/concord.css").read_text()
    assert users and ".visually-hidden {" in css and "clip-path: inset(50%)" in css
