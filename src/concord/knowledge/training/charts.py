"""Chart specs for the training pages."""

from __future__ import annotations

import altair as alt

from concord.web.charts import spec as chart_spec


def certified_chart(rows: list[dict]) -> dict:
    """Certified agents at each month end, one line per provider."""
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            # one tick a month, each month-end point drawn at its month: ticked at month starts, February's
            # last day sat under "Mar 2026", and Vega ticked twice a month ("Feb 2026, Feb 2026, ...")
            x=alt.X(
                "day:T",
                timeUnit="yearmonth",
                title="Month (at its end)",
                axis=alt.Axis(format="%b %Y", labelAngle=-40, tickCount={"interval": "month", "step": 1}),
            ),
            y=alt.Y("certified:Q", title="Certified agents"),
            color=alt.Color("provider:N", title="Provider"),
            tooltip=[
                alt.Tooltip("provider:N"),
                alt.Tooltip("day:T", title="Day", format="%d %b %Y"),
                alt.Tooltip("certified:Q", title="Certified agents"),
            ],
        )
        .properties(width="container", height=240)
    )
    return chart_spec(chart)
