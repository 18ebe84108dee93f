"""Scorecards at the card's grain: week, month or quarter, in the reporting time zone.

Every grain is scored by ``selectors.score_window``, with the metric engine's
own period cut: weeks run Monday to Sunday, so a card whose grain is a week
shows weeks on its pages.
"""

from __future__ import annotations

import datetime as dt
import re

from concord.providers.models import Provider

from . import selectors
from .models import Scorecard
from .selectors import ScorecardReport, shift_month

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
    return selectors.score_window(
        user,
        card,
        grain=grain,
        start=shift(period, grain, -(periods - 1)),
        end=shift(period, grain, 1),
        by=by,
        provider=provider,
        agent=agent,
    )
