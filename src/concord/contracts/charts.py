"""Chart specs for contract pages: each SLA's stored monthly results against its target."""

from __future__ import annotations

import altair as alt

from concord.web import palette
from concord.web.charts import spec as chart_spec

from .models import SLA, SLAResult

HISTORY_MONTHS = 12
#: (colour, label) per status, the labels as ``get_status_display`` gives them
STATUS_COLOURS = [
    (palette.GOOD, SLAResult.Status.MET.label),
    (palette.BAD, SLAResult.Status.MISSED.label),
    (palette.WARN, SLAResult.Status.NOT_MEASURED.label),
    (palette.NEUTRAL, SLAResult.Status.ERROR.label),
]


def history_points(sla: SLA) -> list[dict]:
    results = SLAResult.objects.filter(sla=sla, value__isnull=False).order_by("-period")[:HISTORY_MONTHS]
    return [
        {"month": r.period.isoformat(), "value": r.value, "status": r.get_status_display(), "volume": r.volume}
        for r in sorted(results, key=lambda r: r.period)
    ]


def sla_history(sla: SLA, points: list[dict]) -> dict:
    """The SLA's value by month (points coloured met / missed) and its target as a dashed rule."""
    base = alt.Chart(alt.Data(values=points))
    line = base.mark_line(color="#888").encode(x=alt.X("month:T", title="Month", timeUnit="yearmonth"), y="value:Q")
    dots = base.mark_point(filled=True, size=60).encode(
        x=alt.X("month:T", timeUnit="yearmonth"),
        y=alt.Y("value:Q", title=sla.get_metric_key_display()),
        # one colour per status on every chart (met green, missed red), never the order the legend met them in
        color=alt.Color(
            "status:N",
            title="Result",
            scale=alt.Scale(domain=[label for _, label in STATUS_COLOURS], range=[c for c, _ in STATUS_COLOURS]),
        ),
        tooltip=[
            alt.Tooltip("month:T", title="Month", format="%b %Y"),
            alt.Tooltip("value:Q", title="Value", format=".2f"),
            alt.Tooltip("status:N", title="Result"),
            alt.Tooltip("volume:Q", title="Volume"),
        ],
    )
    rule = alt.Chart(alt.Data(values=[{"target": sla.target}])).mark_rule(strokeDash=[4, 4], color="gray")
    rule = rule.encode(y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target")])
    return chart_spec(alt.layer(line, dots, rule).properties(width="container", height=160))
