"""Scorecards at the card's grain: week, month or quarter, in the reporting time zone.

Months go through ``selectors.score`` unchanged; weeks (Monday to Sunday) and
quarters are scored the same way with the metric engine's own period cut, so a
card whose grain is a week shows weeks on its pages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.conf import settings
from django.http import Http404

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.metrics.query import MetricRef, MetricRequest, MetricValue
from concord.metrics.sources import SOURCE_DIMENSIONS
from concord.providers.models import Provider

from . import cache, selectors
from .models import Scorecard, ScorecardMetric
from .selectors import BREAKDOWNS, DROPPABLE_FILTERS, VOLUME, ScorecardReport, score_row, shift_month

GRAINS = ("week", "month", "quarter")


def start_of(day: dt.date, grain: str) -> dt.date:
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def shift(start: dt.date, grain: str, n: int) -> dt.date:
    if grain == "week":
        return start + dt.timedelta(weeks=n)
    return shift_month(start, 3 * n if grain == "quarter" else n)


def periods_to(period: dt.date, grain: str, n: int) -> list[dt.date]:
    return [shift(period, grain, -k) for k in range(n - 1, -1, -1)]


def param(start: dt.date, grain: str) -> str:
    """How the period is written in a URL and a form: 2026-W20, 2026-05, 2026-Q2."""
    if grain == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


def label(start: dt.date, grain: str) -> str:
    if grain == "week":
        end = start + dt.timedelta(days=6)
        return f"week {param(start, grain)} ({start:%d %b} to {end:%d %b %Y})"
    if grain == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return f"{start:%B %Y}"


def parse(text: str | None, grain: str, *, today: dt.date | None = None) -> dt.date:
    """'2026-W20', '2026-Q2', '2026-05' or '2026-05-14' -> the start of that period; empty: the last complete one.

    People review finished periods; the running one is partial and its SLAs are not computed yet.
    """
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}; use one of {', '.join(GRAINS)}")
    text = (text or "").strip()
    if not text:
        return start_of(start_of(today or dt.date.today(), grain) - dt.timedelta(days=1), grain)
    try:
        if m := re.fullmatch(r"(\d{4})-W(\d{1,2})", text):
            day = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        elif m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
            day = dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
        elif re.fullmatch(r"\d{4}-\d{1,2}", text):
            day = selectors.parse_period(text)
        else:
            day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"period {text!r} is not a week (2026-W20), month (2026-05) or quarter (2026-Q2)") from None
    return start_of(day, grain)


def score(
    user,
    card: Scorecard,
    *,
    grain: str,
    period: dt.date,
    periods: int = 1,
    by: str | None = None,
    provider: Provider | None = None,
    agent: str | None = None,
) -> ScorecardReport:
    """``selectors.score`` at ``grain``: the card's numbers for ``periods`` periods ending at ``period``."""
    if grain == "month":
        return selectors.score(user, card, period=period, months=periods, by=by, provider=provider, agent=agent)
    access.require(user, Cap.VIEW_PERFORMANCE)
    if not selectors.scorecards(user).filter(pk=card.pk).exists():
        raise Http404("No such object.")
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"cannot break down by {by!r}; use one of {', '.join(BREAKDOWNS)}")
    lines = list(card.lines.all())
    start, end = shift(period, grain, -(periods - 1)), shift(period, grain, 1)
    group_by = ("provider", *((by,) if by else ()))
    codes = selectors.visible_codes(user, card, provider)
    filters: dict[str, list[str]] = {"provider": codes, "program": [card.program.code]}
    if agent:
        filters["agent"] = [agent]
    merged: dict[tuple, dict[str, MetricValue]] = defaultdict(dict)
    versions: dict[str, int | None] = {}
    notes: list[str] = []
    by_source: dict[str, list[ScorecardMetric]] = defaultdict(list)
    for ln in lines:
        by_source[ln.metric.source].append(ln)
    by_source.setdefault("interactions", [])
    store = selectors.lake()
    for source, src_lines in by_source.items():
        allowed = SOURCE_DIMENSIONS[source]
        missing = [d for d in (*group_by, *filters) if d not in allowed and d not in DROPPABLE_FILTERS]
        if missing:
            if src_lines:
                names = ", ".join(ln.label for ln in src_lines)
                notes.append(f"{names}: not available by {', '.join(missing)} (the {source} data has no such column).")
            continue
        if "program" not in allowed and src_lines:
            names = ", ".join(ln.label for ln in src_lines)
            notes.append(f"{names}: measured for the whole provider, not per program.")
        refs = [MetricRef(ln.metric_key, ln.query_params(), ln.min_volume, ln.alias) for ln in src_lines]
        if source == "interactions":
            refs.append(MetricRef("contacts_handled", alias=VOLUME))
        request = MetricRequest(
            metrics=refs,
            start=start,
            end=end,
            timezone=settings.REPORTING_TIMEZONE,
            grain=grain,
            group_by=group_by,
            filters={k: v for k, v in filters.items() if k in allowed},
        )
        result = cache.run(request, store)  # exact: pinned to the lake version it reads
        versions.update(result.versions)
        for row in result.rows:
            merged[(tuple(row.dimensions.get(d) for d in group_by), row.period_start)].update(row.values)
    rows = [
        score_row(lines, values, dict(zip(group_by, dims, strict=True)), period_start)
        for (dims, period_start), values in sorted(merged.items(), key=lambda kv: (kv[0][1], str(kv[0][0])))
    ]
    return ScorecardReport(card, lines, start, end, group_by, rows, versions, notes)
