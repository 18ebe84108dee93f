"""Chart specs for the performance pages: sparklines of the index, a trend per metric against its target."""

from __future__ import annotations

import copy
import functools
import json

import altair as alt

from concord.web import palette
from concord.web.charts import spec as chart_spec

#: unit -> (axis label expression, tooltip format): the axis reads like the table beside it
#: (handle times in m:ss, percentages with %, counts with thousands separators)
_M_SS = "floor(datum.value / 60) + ':' + (datum.value % 60 < 9.5 ? '0' : '') + format(datum.value % 60, '.0f')"
AXIS_LABELS = {
    "seconds": (_M_SS, ".0f"),
    "percent": ("format(datum.value, '.2~f') + '%'", ".1f"),
    "count": ("format(datum.value, ',.0f')", ",.0f"),
    "people": ("format(datum.value, ',.0f')", ",.1f"),
    "score": ("format(datum.value, '.0f')", ".1f"),
}
UNIT_TITLES = {"seconds": "m:ss", "percent": "%", "per_hour": "per hour", "days": "days"}


def sparkline(points: list[dict]) -> dict:
    """The composite index by period, small enough for a table cell, scaled to its own series so that
    a change shows (a fixed 0-100 scale drew every provider as a flat line)."""
    chart = (
        alt.Chart(alt.Data(values=points))
        .mark_line(point=True, strokeWidth=1.5, color=palette.SERIES)
        .encode(
            x=alt.X("month:T", axis=None),
            y=alt.Y("index:Q", axis=None, scale=alt.Scale(zero=False, nice=False, padding=3)),
            tooltip=[alt.Tooltip("month:T", title="Month", format="%b %Y"), alt.Tooltip("index:Q", format=".1f")],
        )
        .properties(width=110, height=28)
        .configure_view(stroke=None)
    )
    return chart_spec(chart)


#: grain -> (Vega-Lite time unit, axis title) of a trend's x axis
TIME_UNITS = {
    "week": ("yearmonthdate", "Week starting"),
    "month": ("yearmonth", "Month"),
    "quarter": ("yearquarter", "Quarter"),
}


def metric_trend(
    points: list[dict],
    *,
    label: str,
    target: float | None,
    band: tuple | None,
    grain: str = "month",
    unit: str = "",
) -> dict:
    """One metric by period (``points``' "month" is the period's start) against its target or band,
    its axis in the metric's unit as the table shows it."""
    # Building (and validating) an altair spec costs ~20-30 ms; a page draws one per card line on every view,
    # from numbers that only change with the lake, so specs are memoised by their inputs.
    key = json.dumps([points, label, target, band, grain, unit], sort_keys=True, default=str)
    return copy.deepcopy(_metric_trend(key))


@functools.lru_cache(maxsize=1024)
def _metric_trend(key: str) -> dict:
    points, label, target, band, grain, unit = json.loads(key)
    time_unit, title = TIME_UNITS.get(grain, TIME_UNITS["month"])
    label_expr, value_format = AXIS_LABELS.get(unit, ("format(datum.value, ',.2~f')", ",.2f"))
    y_title = f"{label} ({UNIT_TITLES[unit]})" if unit in UNIT_TITLES else label
    axis = alt.Axis(labelExpr=label_expr)
    base = alt.Chart(alt.Data(values=points))
    line = base.mark_line(point=True, color=palette.SERIES).encode(
        x=alt.X("month:T", title=title, timeUnit=time_unit),
        y=alt.Y("value:Q", title=y_title, axis=axis, scale=alt.Scale(zero=False)),
        tooltip=[
            alt.Tooltip("month:T", title=title, format="%d %b %Y" if grain == "week" else "%b %Y"),
            alt.Tooltip("value:Q", title=y_title, format=value_format),
            alt.Tooltip("volume:Q", title="Volume", format=",.0f"),
        ],
    )
    layers = [line]
    if band is not None and band[0] is not None:
        area = alt.Chart(alt.Data(values=[{"low": band[0], "high": band[1]}])).mark_rect(
            opacity=0.15, color=palette.GOOD
        )
        layers.insert(0, area.encode(y="low:Q", y2="high:Q"))
    elif target is not None:
        rule = alt.Chart(alt.Data(values=[{"target": target}])).mark_rule(strokeDash=[4, 4], color=palette.NEUTRAL)
        layers.append(rule.encode(y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target", format=value_format)]))
    return chart_spec(alt.layer(*layers).properties(width="container", height=160))
