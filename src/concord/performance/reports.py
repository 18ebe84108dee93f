"""What the pages, exports, API and CLI show, built from the selectors' reports.

One shape per screen; the CSV/Excel export of a table and the JSON of a query
come from the same numbers the page shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from concord.providers.models import Provider

from . import charts, selectors
from . import grain as grains
from .exports import TableData
from .models import Scorecard
from .selectors import ScorecardReport, ScoreRow

TREND_MONTHS = 6
STATUS_LABELS = {"included": "scored", "too_little_volume": "too little volume", "no_data": "no data"}


def _current(report: ScorecardReport, period: dt.date, **dims) -> ScoreRow:
    return report.row(period, **dims) or report.empty_row(period, **dims)


# --- portfolio -----------------------------------------------------------------------------


@dataclass
class PortfolioRow:
    provider: Provider
    row: ScoreRow
    categories: dict[str, float | None]
    spark_id: str
    spark: dict | None
    category_scores: list[float | None]


@dataclass
class Portfolio:
    scorecard: Scorecard
    period: dt.date
    report: ScorecardReport
    rows: list[PortfolioRow]
    grain: str = "month"

    @property
    def categories(self) -> list[str]:
        return self.report.categories


def portfolio(user, card: Scorecard, period: dt.date, grain: str = "month") -> Portfolio:
    report = grains.score(user, card, grain=grain, period=period, periods=TREND_MONTHS)
    rows = []
    for prov in selectors.providers(user, card):
        current = _current(report, period, provider=prov.code)
        history = []
        for month in grains.periods_to(period, grain, TREND_MONTHS):
            r = report.row(month, provider=prov.code)
            if r is not None and r.index.index is not None:
                history.append({"month": month.isoformat(), "index": round(r.index.index, 2)})
        spark = charts.sparkline(history) if history else None
        cats = current.categories()
        scores = [cats.get(c) for c in report.categories]
        rows.append(PortfolioRow(prov, current, cats, f"spark-{prov.pk}", spark, scores))
    return Portfolio(card, period, report, rows, grain)


def portfolio_table(p: Portfolio) -> TableData:
    lines = p.report.lines
    columns = [
        "provider",
        "code",
        "kind",
        "period",
        *(f"{c} score" for c in p.categories),
        *(ln.label for ln in lines),
        "index",
        "volume",
    ]
    table = TableData(f"{p.scorecard.name} {grains.param(p.period, p.grain)}", columns)
    for r in p.rows:
        table.rows.append(
            [
                r.provider.name,
                r.provider.code,
                r.provider.get_kind_display(),
                grains.param(p.period, p.grain),
                *(r.categories.get(c) for c in p.categories),
                *(ls.value.value if ls.value else None for ls in r.row.lines),
                r.row.index.index,
                r.row.volume,
            ]
        )
    return table


# --- one provider --------------------------------------------------------------------------


@dataclass
class MetricTrend:
    line: object
    chart_id: str
    spec: dict


@dataclass
class ProviderScorecard:
    provider: Provider
    scorecard: Scorecard
    period: dt.date
    by: str
    agent: str | None
    current: ScoreRow
    trends: list[MetricTrend]
    breakdown: ScorecardReport
    trend_report: ScorecardReport
    grain: str = "month"
    #: employee id -> name, for the agents on this page
    agent_names: dict[str, str] = field(default_factory=dict)
    #: on an agent's page: the whole provider scored on the same components, the fair comparison
    provider_same_terms: ScoreRow | None = None

    @property
    def agent_name(self) -> str | None:
        return self.agent_names.get(self.agent, self.agent) if self.agent else None


def provider_scorecard(
    user,
    prov: Provider,
    card: Scorecard,
    period: dt.date,
    *,
    by: str = "site",
    agent: str | None = None,
    grain: str = "month",
) -> ProviderScorecard:
    trend = provider_trend(user, prov, card, period, agent=agent, grain=grain)
    breakdown = grains.score(user, card, grain=grain, period=period, by=by, provider=prov, agent=agent)
    current = _current(trend, period, provider=prov.code)
    trends = metric_trends(trend, prov, period, grain, changes=knowledge_marks(user, card, period, grain))
    names = selectors.agent_names(user, prov) if agent or by == "agent" else {}
    same_terms = None
    if agent:
        whole = grains.score(user, card, grain=grain, period=period, provider=prov, level="agent")
        same_terms = _current(whole, period, provider=prov.code)
    return ProviderScorecard(prov, card, period, by, agent, current, trends, breakdown, trend, grain, names, same_terms)


def own_scorecard(user, card: Scorecard, period: dt.date, *, grain: str = "month") -> ProviderScorecard:
    """An agent's own numbers and their trend: the same shape as a provider's page, cut to one agent."""
    own = selectors.own_agent(user)
    trend = provider_trend(user, own.provider, card, period, agent=own.employee_id, grain=grain)
    current = _current(trend, period, provider=own.provider.code)
    trends = metric_trends(trend, own.provider, period, grain, changes=knowledge_marks(user, card, period, grain))
    names = {own.employee_id: own.display_name}
    return ProviderScorecard(
        own.provider, card, period, "agent", own.employee_id, current, trends, trend, trend, grain, names
    )


def provider_trend(
    user, prov: Provider, card: Scorecard, period: dt.date, *, agent: str | None = None, grain: str = "month"
):
    return grains.score(user, card, grain=grain, period=period, periods=TREND_MONTHS, provider=prov, agent=agent)


def knowledge_marks(user, card: Scorecard, period: dt.date, grain: str = "month") -> list[dict]:
    """The card's program's knowledge changes inside the trend's periods that the user may see, for the charts."""
    from concord.knowledge.selectors import knowledge_changes

    first = grains.periods_to(period, grain, TREND_MONTHS)[0]
    changes = knowledge_changes(
        user=user, program_ids=[card.program_id], start=first, end=grains.end_of(period, grain)
    )
    return [{"day": c.day.isoformat(), "title": f"{c.title} (v{c.number})"} for c in changes]


def metric_trends(
    trend: ScorecardReport, prov: Provider, period: dt.date, grain: str = "month", *, changes: list[dict] | None = None
) -> list[MetricTrend]:
    """One chart per line of the card: the metric by period against its target (and knowledge changes)."""
    trends = []
    for i, ln in enumerate(trend.lines):
        points = []
        for month in grains.periods_to(period, grain, TREND_MONTHS):
            r = trend.row(month, provider=prov.code)
            value = r.lines[i].value if r else None
            if value is not None and value.value is not None:
                points.append({"month": month.isoformat(), "value": value.value, "volume": value.volume})
        band = ln.band() if ln.kind == "band" else None
        spec = charts.metric_trend(
            points, label=ln.label, target=ln.target, band=band, grain=grain, unit=ln.unit, changes=changes
        )
        trends.append(MetricTrend(ln, f"trend-{ln.pk}", spec))
    return trends


def index_trend(trend: ScorecardReport, prov: Provider, period: dt.date, grain: str = "month") -> dict:
    """The composite index by period (the portfolio's sparkline, full size for download)."""
    points = []
    for month in grains.periods_to(period, grain, TREND_MONTHS):
        r = trend.row(month, provider=prov.code)
        if r is not None and r.index.index is not None:
            points.append({"month": month.isoformat(), "value": round(r.index.index, 2), "volume": r.volume})
    return charts.metric_trend(points, label="Index (0-100)", target=None, band=None, grain=grain, unit="score")


def components_table(ps: ProviderScorecard) -> TableData:
    table = TableData(
        f"{ps.provider.code} {ps.period:%Y-%m}",
        [
            "metric",
            "category",
            "value",
            "numerator",
            "denominator",
            "volume",
            "target",
            "band low",
            "band high",
            "weight",
            "effective weight",
            "attainment",
            "capped attainment",
            "points",
            "status",
        ],
    )
    for ls in ps.current.lines:
        low, high = ls.line.band() if ls.line.kind == "band" else (None, None)
        v, c = ls.value, ls.component
        table.rows.append(
            [
                ls.line.label,
                ls.line.category,
                v.value if v else None,
                v.numerator if v else None,
                v.denominator if v else None,
                v.volume if v else 0,
                ls.line.target,
                low,
                high,
                ls.line.weight,
                c.effective_weight,
                c.attainment,
                c.capped,
                c.points,
                STATUS_LABELS[c.status],
            ]
        )
    table.rows.append(["index", "", ps.current.index.index, *[None] * 12])
    return table


def breakdown_table(ps: ProviderScorecard) -> TableData:
    report = ps.breakdown
    names = ["agent name"] if ps.by == "agent" else []
    table = TableData(
        f"{ps.provider.code} by {ps.by}",
        [ps.by, *names, *(ln.label for ln in report.lines), "index", "volume"],
    )
    for r in report.rows:
        key = r.dimensions.get(ps.by)
        table.rows.append(
            [
                key,
                *([ps.agent_names.get(key)] if names else []),
                *(ls.value.value if ls.value else None for ls in r.lines),
                r.index.index,
                r.volume,
            ]
        )
    return table


# --- JSON (API and CLI) --------------------------------------------------------------------


def _num(x):
    return None if x is None or x != x or x in (float("inf"), float("-inf")) else x


def report_json(report: ScorecardReport, *, period: dt.date | None = None) -> dict:
    rows = [r for r in report.rows if period is None or r.period == period]
    return {
        "scorecard": {
            "id": report.scorecard.pk,
            "name": report.scorecard.name,
            "program": report.scorecard.program.code,
        },
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "group_by": list(report.group_by),
        "lake_versions": report.versions,
        "notes": report.notes,
        "left_out": [{"metric": ln.metric_key, "label": ln.label, "reason": why} for ln, why in report.left_out],
        "rows": [
            {
                "dimensions": r.dimensions,
                "period": r.period.isoformat() if r.period else None,
                "index": _num(r.index.index),
                "index_components": r.used,
                "volume": r.volume,
                "components": [
                    {
                        "metric": ls.line.metric_key,
                        "label": ls.line.label,
                        "category": ls.line.category,
                        "params": ls.line.params,
                        "value": _num(ls.value.value) if ls.value else None,
                        "numerator": _num(ls.value.numerator) if ls.value else None,
                        "denominator": _num(ls.value.denominator) if ls.value else None,
                        "volume": ls.value.volume if ls.value else 0,
                        "too_little_volume": ls.value.too_little_volume if ls.value else None,
                        "target": ls.line.target,
                        "weight": ls.line.weight,
                        "effective_weight": ls.component.effective_weight,
                        "attainment": _num(ls.component.attainment),
                        "capped_attainment": _num(ls.component.capped),
                        "points": ls.component.points,
                        "status": ls.component.status,
                    }
                    for ls in r.lines
                ],
            }
            for r in rows
        ],
    }


def query(
    user, *, period: dt.date, provider: Provider | None = None, by: str | None = None, scorecard_id: int | None = None
) -> dict:
    """The scorecard query of the API and the CLI: every visible card (of the provider's programs)."""
    cards = selectors.scorecards_for(user, provider) if provider else selectors.scorecards(user)
    if scorecard_id is not None:
        cards = [selectors.scorecard(user, scorecard_id)]
    return {
        "provider": provider.code if provider else None,
        "period": f"{period:%Y-%m}",
        "by": by,
        "scorecards": [report_json(selectors.score(user, c, period=period, by=by, provider=provider)) for c in cards],
    }
