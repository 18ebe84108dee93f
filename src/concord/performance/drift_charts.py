"""The evidence chart of a drift alert: the daily value against its baseline, and the CUSUM against its limit."""

from __future__ import annotations

import altair as alt

from concord.web import palette
from concord.web.charts import spec as chart_spec

from .charts import AXIS_LABELS, UNIT_TITLES


def evidence(alert) -> dict:
    """Both panels in one chart, a fixed width (the SVG download; packs)."""
    top, bottom = _panels(alert, width=720)
    return chart_spec(alt.vconcat(top, bottom).resolve_scale(x="shared"))


def evidence_panels(alert) -> list[dict]:
    """The two panels as charts of their own, as wide as the page (a phone too)."""
    return [chart_spec(panel) for panel in _panels(alert, width="container")]


def _panels(alert, *, width):
    """Two panels on the same days: the metric's daily value (dots) and its baseline expectation
    (line), the drift's start and the alarm day marked; under it the CUSUM on the watched side and h."""
    ev = alert.evidence or {}
    unit = ev.get("unit", "")
    label = ev.get("label") or alert.metric_key
    path = ev.get("upper" if alert.direction == "up" else "lower", [])
    rows = [
        {"day": d, "value": v, "expected": e, "cusum": c}
        for d, v, e, c in zip(ev.get("days", []), ev.get("values", []), ev.get("expected", []), path, strict=False)
    ]
    label_expr, value_format = AXIS_LABELS.get(unit, ("format(datum.value, ',.2~f')", ",.2f"))
    y_title = f"{label} ({UNIT_TITLES[unit]})" if unit in UNIT_TITLES else label
    data = alt.Data(values=rows)
    x = alt.X("day:T", title="Day", axis=alt.Axis(format="%d %b"))
    marks = [
        {"day": ev.get("baseline_start"), "what": "baseline from"},
        {"day": ev.get("baseline_end"), "what": "baseline to"},
        {"day": alert.since.isoformat(), "what": "drift from (estimate)"},
        {"day": alert.day.isoformat(), "what": "alarm"},
    ]
    rules = (
        alt.Chart(alt.Data(values=marks))
        .mark_rule(strokeDash=[4, 4])
        .encode(
            x="day:T",
            color=alt.Color(
                "what:N",
                title=None,
                scale=alt.Scale(
                    domain=["baseline from", "baseline to", "drift from (estimate)", "alarm"],
                    range=[palette.NEUTRAL, palette.NEUTRAL, palette.WARN, palette.BAD],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[alt.Tooltip("what:N", title="Marks"), alt.Tooltip("day:T", title="Day", format="%d %b %Y")],
        )
    )
    base = alt.Chart(data)
    values = base.mark_point(filled=True, size=18, color=palette.SERIES).encode(
        x=x,
        y=alt.Y("value:Q", title=y_title, axis=alt.Axis(labelExpr=label_expr), scale=alt.Scale(zero=False)),
        tooltip=[
            alt.Tooltip("day:T", title="Day", format="%a %d %b %Y"),
            alt.Tooltip("value:Q", title=label, format=value_format),
            alt.Tooltip("expected:Q", title="Baseline", format=value_format),
        ],
    )
    expected = base.mark_line(color=palette.NEUTRAL, strokeWidth=1).encode(x=x, y="expected:Q")
    top = alt.layer(expected, values, rules).properties(width=width, height=180, title="Daily value and baseline")
    limit = (
        alt.Chart(alt.Data(values=[{"h": ev.get("parameters", {}).get("h")}]))
        .mark_rule(color=palette.BAD)
        .encode(y="h:Q", tooltip=[alt.Tooltip("h:Q", title="Decision interval h")])
    )
    cusum = base.mark_area(line={"color": palette.WARN}, color=palette.WARN, opacity=0.3).encode(
        x=x,
        y=alt.Y("cusum:Q", title=f"CUSUM ({'rising' if alert.direction == 'up' else 'falling'})"),
        tooltip=[alt.Tooltip("day:T", title="Day", format="%d %b %Y"), alt.Tooltip("cusum:Q", format=".2f")],
    )
    bottom = alt.layer(cusum, limit).properties(width=width, height=110, title="CUSUM against its limit h")
    return top, bottom
