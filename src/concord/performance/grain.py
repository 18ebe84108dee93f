"""Scorecards at the card's grain: week, month or quarter, in the reporting time zone.

Every grain is scored by ``selectors.score_window``, with the metric engine's
own period cut: weeks run Monday to Sunday, so a card whose grain is a week
shows weeks on its pages.
"""

from __future__ import annotations

import datetime as dt

from concord import reporting
from concord.periods import PeriodError, end_of, label, param, shift
from concord.periods import parse as parse_any
from concord.providers.models import Provider

from . import selectors
from .models import Scorecard
from .selectors import ScorecardReport

__all__ = ["GRAINS", "PeriodError", "label", "param", "parse", "periods_to", "score"]

#: the grains a scorecard is read at; days are too few contacts to score
GRAINS = ("week", "month", "quarter")


def parse(text: str | None, grain: str, *, today: dt.date | None = None) -> dt.date:
    """'2026-W20', '2026-Q2', '2026-05' or '2026-05-14' -> the start of that period; empty: the last complete one.

    People review finished periods; the running one is partial and its SLAs are not computed yet.
    "Today" is the reporting zone's, so a week opens on the latest complete week there.
    """
    if grain not in GRAINS:
        raise PeriodError(f"unknown grain {grain!r}; use one of {', '.join(GRAINS)}")
    return parse_any(text, grain, today=today or reporting.today())


def periods_to(last: dt.date, grain: str, n: int) -> list[dt.date]:
    """The ``n`` periods ending at ``last``, fewer at the start of the supported years."""
    out = []
    for k in range(n - 1, -1, -1):
        try:
            out.append(shift(last, grain, -k))
        except PeriodError:
            continue  # before the first supported year: a trend near 1990 is shorter, not an error
    return out


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
    level: str | None = None,
) -> ScorecardReport:
    """``selectors.score`` at ``grain``: the card's numbers for ``periods`` periods ending at ``period``."""
    return selectors.score_window(
        user,
        card,
        grain=grain,
        start=periods_to(period, grain, periods)[0],
        end=end_of(period, grain),
        by=by,
        provider=provider,
        agent=agent,
        level=level,
    )
