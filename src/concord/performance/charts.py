"""Chart specs for the performance pages: sparklines of the index, a trend per metric against its target."""

from __future__ import annotations

import copy
import functools
import json

import altair as alt


def sparkline(points: list[dict]) -> dict:
    """The composite index by month, small enough for a table cell."""
    chart = (
        alt.Chart(alt.Data(values=points))
        .mark_line(point=True, strokeWidth=1.5)
        .encode(
            x=alt.X("month:T", axis=None),
            y=alt.Y("index:Q", axis=None, scale=alt.Scale(domain=[0, 100])),
            tooltip=[alt.Tooltip("month:T", title="Month", format="%b %Y"), alt.Tooltip("index:Q", format=".1f")],
        )
        .properties(width=110, height=28)
        .configure_view(stroke=None)
    )
    return chart.to_dict()


#: grain -> (Vega-Lite time unit, axis title) of a trend's x axis
TIME_UNITS = {
    "week": ("yearmonthdate", "Week starting"),
    "month": ("yearmonth", "Month"),
    "quarter": ("yearquarter", "Quarter"),
}


def metric_trend(
    points: list[dict], *, label: str, target: float | None, band: tuple | None, grain: str = "month"
) -> dict:
    """One metric by period (``points``' "month" is the period's start) against its target or band."""
    # Building (and validating) an altair spec costs ~20-30 ms; a page draws one per card line on every view,
    # from numbers that only change with the lake, so specs are memoised by their inputs.
    key = json.dumps([points, label, target, band, grain], sort_keys=True, default=str)
    return copy.deepcopy(_metric_trend(key))


@functools.lru_cache(maxsize=1024)
def _metric_trend(key: str) -> dict:
    points, label, target, band, grain = json.loads(key)
    unit, title = TIME_UNITS.get(grain, TIME_UNITS["month"])
    base = alt.Chart(alt.Data(values=points))
    line = base.mark_line(point=True).encode(
        x=alt.X("month:T", title=title, timeUnit=unit),
        y=alt.Y("value:Q", title=label),
        tooltip=[
            alt.Tooltip("month:T", title="Month", format="%b %Y"),
            alt.Tooltip("value:Q", title=label, format=".2f"),
            alt.Tooltip("volume:Q", title="Volume"),
        ],
    )
    layers = [line]
    if band is not None and band[0] is not None:
        area = alt.Chart(alt.Data(values=[{"low": band[0], "high": band[1]}])).mark_rect(opacity=0.15, color="green")
        layers.insert(0, area.encode(y="low:Q", y2="high:Q"))
    elif target is not None:
        rule = alt.Chart(alt.Data(values=[{"target": target}])).mark_rule(strokeDash=[4, 4], color="gray")
        layers.append(rule.encode(y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target")]))
    return alt.layer(*layers).properties(width="container", height=160).to_dict()
