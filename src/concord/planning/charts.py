"""Chart specs for the planning pages (altair -> Vega-Lite dicts)."""

from __future__ import annotations

import altair as alt

from concord.web.charts import spec as chart_spec

from .selectors import WEEKDAYS


def staffing_curve_chart(rows: list[dict], agents: int, target_sl: float) -> dict:
    """Service level (percent, as the table) and ASA against the agent count; the chosen count marked."""
    data = alt.Data(values=rows)
    base = alt.Chart(data).encode(x=alt.X("agents:Q", title="Agents on the phones", axis=alt.Axis(tickMinStep=1)))
    percent_axis = alt.Axis(labelExpr="datum.value + '%'")
    sl = base.mark_line(point=True, color="#1f6feb").encode(
        y=alt.Y("service_level:Q", title="Service level (%)", axis=percent_axis, scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("agents:Q"), alt.Tooltip("service_level:Q", title="Service level (%)", format=".1f")],
    )
    asa = base.mark_line(point=True, strokeDash=[4, 3], color="#d1242f").encode(
        y=alt.Y("asa_seconds:Q", title="ASA (seconds, dashed)"),
        tooltip=[alt.Tooltip("agents:Q"), alt.Tooltip("asa_seconds:Q", title="ASA (s)", format=".1f")],
    )
    marks = alt.Chart(alt.Data(values=[{"agents": agents, "target": target_sl}]))
    chosen = marks.mark_rule(color="#555", strokeDash=[2, 2]).encode(x="agents:Q")
    target = marks.mark_rule(color="#1f6feb", opacity=0.4).encode(y=alt.Y("target:Q", scale=alt.Scale(domain=[0, 100])))
    chart = alt.layer(alt.layer(sl, target, chosen), asa).resolve_scale(y="independent")
    return chart_spec(chart.properties(width="container", height=260))


def intraday_heatmap(cells: list[dict], columns: list[str] | tuple[str, ...] = WEEKDAYS) -> dict:
    """Required agents per interval of the day (rows) and weekday or date (columns, in ``weekday``)."""
    data = alt.Data(values=cells)
    angle = 0 if len(columns) <= 7 else -45
    base = alt.Chart(data).encode(
        x=alt.X("weekday:O", title=None, sort=list(columns), axis=alt.Axis(orient="top", labelAngle=angle)),
        y=alt.Y("interval:O", title="Interval start", sort="ascending"),
    )
    rect = base.mark_rect().encode(
        color=alt.Color("agents:Q", title="Agents", scale=alt.Scale(scheme="blues")),
        tooltip=[
            alt.Tooltip("weekday:O", title="Day"),
            alt.Tooltip("interval:O", title="Start"),
            alt.Tooltip("volume:Q", title="Calls"),
            alt.Tooltip("agents:Q", title="Agents"),
            alt.Tooltip("scheduled:Q", title="Scheduled"),
        ],
    )
    text = base.mark_text(fontSize=9).encode(
        text=alt.Text("agents:Q"),
        color=alt.condition("datum.agents > 0", alt.value("#111"), alt.value("#bbb")),
    )
    rows = len({c["interval"] for c in cells})
    return chart_spec((rect + text).properties(width="container", height=max(160, 14 * rows)))


#: The chart's axis reads in the table's unit: contacts per interval of the forecast's grain.
_PER_GRAIN = {"D": "day", "15min": "15 minutes", "30min": "30 minutes", "60min": "hour"}


def forecast_chart(rows: list[dict], grain: str = "30min") -> dict:
    """Recent actuals, the forecast in force and (dashed) the model before planner events."""
    data = alt.Data(values=rows)
    chart = (
        alt.Chart(data)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("when:T", title=None),
            y=alt.Y("contacts:Q", title=f"Contacts offered per {_PER_GRAIN.get(grain, 'interval')}"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=["Actual", "Forecast", "Model before events"], range=["#222", "#1f6feb", "#9bb7e0"]
                ),
            ),
            strokeDash=alt.condition(alt.datum.series == "Model before events", alt.value([4, 3]), alt.value([1, 0])),
            tooltip=[
                alt.Tooltip("series:N"),
                alt.Tooltip("when:T", format="%a %d %b %H:%M"),
                alt.Tooltip("contacts:Q", title="Contacts", format=",.0f"),
            ],
        )
        .properties(width="container", height=280)
    )
    return chart_spec(chart)


def hiring_chart(plans: list[dict]) -> dict:
    """Hires to start each week, stacked by provider; effective FTE against required as lines."""
    rows = []
    for entry in plans:
        name, plan = entry["terms"].name, entry["plan"]
        for week in range(len(plan.hires)):
            rows.append(
                {
                    "week": week + 1,
                    "provider": name,
                    "hires": int(plan.hires[week]),
                    "effective_fte": round(float(plan.effective_fte[week]), 1),
                    "required_fte": round(float(plan.required_fte[week]), 1),
                }
            )
    data = alt.Data(values=rows)
    base = alt.Chart(data).encode(x=alt.X("week:O", title="Week"), color=alt.Color("provider:N", title="Provider"))
    bars = base.mark_bar(opacity=0.55).encode(
        y=alt.Y("sum(hires):Q", title="Hires starting training"),
        tooltip=["provider:N", "week:O", "hires:Q"],
    )
    lines = base.mark_line().encode(
        y=alt.Y("effective_fte:Q", title="Effective FTE (line)"),
        tooltip=["provider:N", "week:O", "effective_fte:Q", "required_fte:Q"],
    )
    return chart_spec(alt.layer(bars, lines).resolve_scale(y="independent").properties(width="container", height=260))
