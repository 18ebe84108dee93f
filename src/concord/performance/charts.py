"""Chart specs for the performance pages: sparklines of the index, a trend per metric against its target."""

from __future__ import annotations

import copy
import functools
import json

import altair as alt

from concord.safetext import strip_control_deep
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
#: grain -> the x axis' tick interval: one tick a period. Left to itself Vega ticks a quarterly axis every
#: month and labels each with its quarter ("2026 Q2, 2026 Q2, 2026 Q2, 2026 Q3" in a review pack).
TICKS = {
    "week": {"interval": "week", "step": 1},
    "month": {"interval": "month", "step": 1},
    "quarter": {"interval": "month", "step": 3},
}


def metric_trend(
    points: list[dict],
    *,
    label: str,
    target: float | None,
    band: tuple | None,
    grain: str = "month",
    unit: str = "",
    changes: list[dict] | None = None,
) -> dict:
    """One metric by period (``points``' "month" is the period's start) against its target or band,
    its axis in the metric's unit as the table shows it. ``changes`` ({"day": ISO date, "title"}) are
    knowledge changes, drawn as dashed vertical rules so a reader sees whether the metric moved after."""
    # Building (and validating) an altair spec costs 20-150 ms; a page draws one per card line on every view,
    # and after each lake commit the numbers are new, so memoising whole specs by their numbers left the first
    # view after a commit ~1 CPU-s of chart building (bench/cold_page.py). The spec's shape depends on the
    # label, target, band, grain and unit only: it is built once with stand-ins for the data, which each view
    # fills with its own points and changes.
    data = json.loads(json.dumps({"points": points, "changes": changes or []}, default=str))
    shape = json.dumps([label, target, band, grain, unit, bool(changes)], sort_keys=True, default=str)
    return _fill(copy.deepcopy(_metric_trend(shape)), strip_control_deep(data))


#: key of the stand-in row a spec holds in place of its data until ``_fill`` puts the data there
_SLOT = "__concord_data__"


def _slot(name: str) -> alt.Data:
    return alt.Data(values=[{_SLOT: name}])


def _fill(node, data: dict[str, list]):
    """``node`` (a spec, changed in place) with each stand-in list replaced by ``data[its name]``."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        if isinstance(v, list) and len(v) == 1 and isinstance(v[0], dict) and set(v[0]) == {_SLOT}:
            node[k] = data[v[0][_SLOT]]
        else:
            _fill(v, data)
    return node


#: lines the knowledge-change labels take turns on, from the top of the plot down
LABEL_LINES = 5


def _change_rules() -> list:
    """A rule per knowledge change at its publication day, labelled with the article title."""
    base = alt.Chart(_slot("changes"))
    x = alt.X("day:T")
    rule = base.mark_rule(strokeDash=[2, 3], color=palette.WARN).encode(
        x=x,
        tooltip=[
            alt.Tooltip("title:N", title="Knowledge change"),
            alt.Tooltip("day:T", title="Published", format="%d %b %Y"),
        ],
    )
    # labelled on the rule's left: a change in the last period sits at the plot's right edge. Changes a few
    # days apart had their labels drawn over each other (the demo's last month: five titles in one smudge), so
    # successive labels go on successive lines, LABEL_LINES of them, each in a layer of its own (a text's
    # offset cannot come from the data, and a y scale of its own would move the metric's).
    numbered = base.transform_window(order="row_number()", sort=[alt.SortField("day")]).transform_calculate(
        line=f"(datum.order - 1) % {LABEL_LINES}"
    )
    labels = [
        numbered.transform_filter(f"datum.line == {n}")
        .mark_text(align="right", baseline="top", dx=-3, fontSize=9, color=palette.WARN, limit=140)
        .encode(x=x, y=alt.value(2 + 11 * n), text="title:N")
        for n in range(LABEL_LINES)
    ]
    return [rule, *labels]


@functools.lru_cache(maxsize=1024)
def _metric_trend(shape: str) -> dict:
    label, target, band, grain, unit, changes = json.loads(shape)
    time_unit, title = TIME_UNITS.get(grain, TIME_UNITS["month"])
    label_expr, value_format = AXIS_LABELS.get(unit, ("format(datum.value, ',.2~f')", ",.2f"))
    y_title = f"{label} ({UNIT_TITLES[unit]})" if unit in UNIT_TITLES else label
    axis = alt.Axis(labelExpr=label_expr)
    base = alt.Chart(_slot("points"))
    line = base.mark_line(point=True, color=palette.SERIES).encode(
        x=alt.X("month:T", title=title, timeUnit=time_unit, axis=alt.Axis(tickCount=TICKS.get(grain, TICKS["month"]))),
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
    if changes:
        layers += _change_rules()
    return chart_spec(alt.layer(*layers).properties(width="container", height=160))
