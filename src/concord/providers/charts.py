"""Chart specs for the providers pages."""

from __future__ import annotations

import altair as alt

from concord.web.charts import spec as chart_spec


def headcount_chart(rows: list[dict]) -> dict:
    """Agents on the roster at each month end, one line per site."""
    data = alt.Data(values=rows)
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("yearmonth(month_end):T", title="Month end", axis=alt.Axis(format="%b %Y", labelAngle=-40)),
            y=alt.Y("headcount:Q", title="Agents on the roster"),
            color=alt.Color("site:N", title="Site"),
            tooltip=[
                alt.Tooltip("site:N"),
                alt.Tooltip("month_end:T", title="Month end", format="%d %b %Y"),
                alt.Tooltip("headcount:Q", title="Agents"),
            ],
        )
        .properties(width="container", height=260)
    )
    return chart_spec(chart)
