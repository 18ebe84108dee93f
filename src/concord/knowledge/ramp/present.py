"""The ramp report as JSON (API and CLI print the same) and as a Vega-Lite chart (the page)."""

from __future__ import annotations

import altair as alt

from concord.performance.charts import AXIS_LABELS
from concord.web import palette
from concord.web.charts import spec as chart_spec

from .curves import MIN_COHORT_AGENTS, Curve
from .selectors import RampReport

#: a chart of more tenure weeks than this is all flat tail: the ramp happens early
CHART_WEEKS = 26


def reached_text(curve: Curve) -> str:
    return "not yet" if curve.reached_week is None else f"week {curve.reached_week}"


def curve_json(c: Curve) -> dict:
    return {
        "provider": c.provider,
        "site": c.site,
        "hire_month": f"{c.hire_month:%Y-%m}" if c.hire_month else None,
        "agents": c.agents,
        "too_small": c.too_small,
        "reached_week": c.reached_week,
        "reached": reached_text(c),
        "points": [
            {
                "week": p.week,
                "value": round(p.value, 4),
                "volume": p.volume,
                "agents": p.agents,
                "enough_volume": p.enough,
            }
            for p in c.points
        ],
    }


def payload(report: RampReport) -> dict:
    b = report.benchmark
    limit = None
    if b.value is not None:
        sign = 1 if report.metric.direction.kind == "lower" else -1
        limit = round(b.value * (1 + sign * report.band_percent / 100), 4)
    return {
        "metric": report.metric.key,
        "label": report.metric.label,
        "unit": report.metric.unit,
        "program": report.program.code if report.program else None,
        "provider": report.provider.code if report.provider else None,
        "range": {"start": report.start.isoformat(), "end": report.end.isoformat()},
        "band_percent": report.band_percent,
        "min_cohort_agents": MIN_COHORT_AGENTS,
        "benchmark": {
            "value": None if b.value is None else round(b.value, 4),
            "band_limit": limit,
            "tenured_internal_agents": b.agents,
        },
        "providers": [curve_json(c) for c in report.providers],
        "sites": [curve_json(c) for c in report.sites],
        "cohorts": [curve_json(c) for c in report.cohorts],
    }


def _label(report: RampReport, c: Curve) -> str:
    name = report.provider_names.get(c.provider, c.provider)
    if c.hire_month is not None:
        return f"{name} {c.site or ''} hired {c.hire_month:%b %Y}".replace("  ", " ")
    return name


def _label_expr(unit: str) -> str:
    return AXIS_LABELS.get(unit, ("format(datum.value, ',.2~f')", ""))[0]


def chart(report: RampReport) -> dict | None:
    """Weeks of tenure against the metric: each provider's curve (one provider chosen: its cohorts large
    enough to count), the internal median as a dashed rule and the proficient band shaded."""
    lines = report.providers if report.provider is None else [c for c in report.cohorts if not c.too_small]
    values = [
        {"week": p.week, "value": p.value, "volume": p.volume, "series": _label(report, c)}
        for c in lines for p in c.points if p.week <= CHART_WEEKS and p.enough
    ]  # fmt: skip
    if not values:
        return None
    unit = report.metric.unit
    title = f"{report.metric.label} ({'m:ss' if unit == 'seconds' else '%' if unit == 'percent' else unit})"
    line = alt.Chart(alt.Data(values=values)).mark_line(point=True).encode(
        x=alt.X("week:Q", title="Week of tenure (0 = hire week)", scale=alt.Scale(domain=[0, CHART_WEEKS])),
        # the axis reads like the tables beside it (handle times in m:ss, percentages with %)
        y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=False), axis=alt.Axis(labelExpr=_label_expr(unit))),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=[alt.Tooltip("series:N", title="Curve"), alt.Tooltip("week:Q", title="Week"),
                 alt.Tooltip("value:Q", title=title, format=",.1f"), alt.Tooltip("volume:Q", format=",.0f")],
    )  # fmt: skip
    layers = [line]
    bench = report.benchmark.value
    if bench is not None:
        other = bench * (1 + (1 if report.metric.direction.kind == "lower" else -1) * report.band_percent / 100)
        band = {"low": min(bench, other), "high": max(bench, other), "bench": bench}
        base = alt.Chart(alt.Data(values=[band]))
        layers.insert(0, base.mark_rect(opacity=0.15, color=palette.GOOD).encode(y="low:Q", y2="high:Q"))
        layers.append(base.mark_rule(strokeDash=[4, 4], color=palette.NEUTRAL).encode(
            y="bench:Q", tooltip=[alt.Tooltip("bench:Q", title="Internal team's median", format=",.1f")]))  # fmt: skip
    return chart_spec(alt.layer(*layers).properties(width="container", height=220))
