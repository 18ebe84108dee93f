"""The adoption curve as a Vega-Lite chart: share acknowledged by days since publication, a line per provider."""

from __future__ import annotations

import altair as alt

from concord.web.charts import spec as chart_spec


def adoption_chart(points: list[dict]) -> dict | None:
    if not points:
        return None
    lines = (
        alt.Chart(alt.Data(values=points))
        .mark_line(point=True)
        .encode(
            x=alt.X("day:Q", title="Days since the version was published", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("share_percent:Q", title="Acknowledged (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("provider_name:N", title="Provider"),
            tooltip=[
                alt.Tooltip("provider_name:N", title="Provider"),
                alt.Tooltip("day:Q", title="Day"),
                alt.Tooltip("share_percent:Q", title="Acknowledged (%)", format=".1f"),
                alt.Tooltip("pairs:Q", title="Acknowledgements asked"),
            ],
        )
    )
    return chart_spec(lines.properties(width="container", height=240))
