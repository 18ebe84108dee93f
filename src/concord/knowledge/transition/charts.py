"""The plan's timeline as one Vega-Lite spec: phases as bars, each milestone's plan against its actual date.

A milestone met or still open after its due date draws a red line from the planned date to the date
met (or today): the length of the line is the slippage the table beside it gives in days.
"""

from __future__ import annotations

import altair as alt

from concord.web import palette
from concord.web.charts import spec as chart_spec

STATE_COLOURS = {"met": palette.GOOD, "met late": palette.WARN, "late": palette.BAD, "open": palette.NEUTRAL,
                 "unknown": palette.NEUTRAL, "not shown": palette.NEUTRAL}  # fmt: skip


def timeline(report, *, width: int | str = "container") -> dict:
    """``width``: "container" in the page; a number for the SVG download, which has no page to fill."""
    phase_rows = [
        {"row": f"Phase: {p.name}", "start": p.start.isoformat(), "end": p.end.isoformat(), "days": p.days}
        for p in report.phases
    ]
    points, spans = [], []
    for m in report.milestones:
        actual = m.progress.met_on or (report.today if m.state == "late" else None)
        row = m.label
        points.append({"row": row, "date": m.milestone.due.isoformat(), "what": "planned", "state": m.state,
                       "slip": m.slip_days})  # fmt: skip
        if actual is not None:
            points.append({"row": row, "date": actual.isoformat(), "what": "met" if m.progress.met_on else "today",
                           "state": m.state, "slip": m.slip_days})  # fmt: skip
        if m.slip_days:
            spans.append({"row": row, "start": m.milestone.due.isoformat(), "end": actual.isoformat(),
                          "slip": m.slip_days})  # fmt: skip
    order = [r["row"] for r in phase_rows] + [m.label for m in report.milestones]
    y = alt.Y("row:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    x_title = "Date (reporting time zone)"
    bars = (
        alt.Chart(alt.Data(values=phase_rows))
        .mark_bar(color=palette.SERIES, opacity=0.35)
        .encode(x=alt.X("start:T", title=x_title), x2="end:T", y=y,
                tooltip=[alt.Tooltip("row:N", title="Phase"), alt.Tooltip("start:T", title="From"),
                         alt.Tooltip("days:Q", title="Days")])
    )  # fmt: skip
    slips = (
        alt.Chart(alt.Data(values=spans or [{"row": order[0], "start": None, "end": None, "slip": 0}]))
        .mark_rule(color=palette.BAD, strokeWidth=3)
        .encode(x="start:T", x2="end:T", y=y, tooltip=[alt.Tooltip("slip:Q", title="Days late")])
    )
    marks = (
        alt.Chart(alt.Data(values=points))
        .mark_point(size=90, filled=True)
        .encode(
            x="date:T", y=y,
            shape=alt.Shape("what:N", title="Date", scale=alt.Scale(domain=["planned", "met", "today"],
                                                                     range=["diamond", "circle", "triangle-right"])),
            color=alt.Color("state:N", title="State", scale=alt.Scale(domain=list(STATE_COLOURS),
                                                                      range=list(STATE_COLOURS.values()))),
            tooltip=[alt.Tooltip("row:N", title="Milestone"), alt.Tooltip("what:N", title="Date"),
                     alt.Tooltip("date:T", title="On"), alt.Tooltip("slip:Q", title="Days late")],
        )
    )  # fmt: skip
    today = (
        alt.Chart(alt.Data(values=[{"date": report.today.isoformat()}]))
        .mark_rule(color=palette.NEUTRAL, strokeDash=[4, 3])
        .encode(x="date:T")
    )
    chart = alt.layer(bars, slips, today, marks).properties(width=width, height=32 * len(order) + 40)
    return chart_spec(chart)
