"""Drawing an attempt's questions and marking it; certification dates (no Django).

A question counts only when the chosen set is exactly the right set: a multiple-choice question
half right is wrong, as in most certification exams (no partial credit, no guessing bonus).
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


def draw(bank: Sequence[Mapping], count: int, seed: int) -> list[dict]:
    """``count`` questions of the bank in the order shown; the same bank and seed give the same draw."""
    ordered = sorted(bank, key=lambda q: q["key"])  # the bank's order in the document does not change a draw
    return [dict(q) for q in random.Random(seed).sample(ordered, count)]


@dataclass(frozen=True)
class Mark:
    right: int
    total: int
    score_percent: Decimal
    passed: bool


def mark(questions: Sequence[Mapping], answers: Mapping[str, Sequence[int]], pass_percent: Decimal) -> Mark:
    right = sum(1 for q in questions if sorted(set(answers.get(q["key"], []))) == sorted(q["correct"]))
    total = len(questions)
    score = (Decimal(right) * 100 / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP) if total else Decimal(0)
    return Mark(right, total, score, score >= Decimal(pass_percent))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def renewal(
    held: tuple[dt.date, dt.date] | None, passed_on: dt.date, *, valid_months: int, window_days: int
) -> tuple[dt.date, dt.date] | None:
    """The (certified_on, expires_on) a pass on ``passed_on`` awards, or None when it awards nothing.

    - Not held, or held but expired by then: certified from the pass, for ``valid_months``.
    - Passed within ``window_days`` before expiry: renewed from the old expiry, so recertifying early
      in the window costs no days.
    - Passed earlier than the window: still certified; nothing changes.
    """
    if held is None or passed_on >= held[1]:
        return passed_on, add_months(passed_on, valid_months)
    if passed_on >= held[1] - dt.timedelta(days=window_days):
        return passed_on, add_months(held[1], valid_months)
    return None


CERTIFIED, EXPIRING, EXPIRED, NOT_CERTIFIED = "certified", "expiring_soon", "expired", "not_certified"
STATE_LABELS = {
    CERTIFIED: "Certified",
    EXPIRING: "Expiring soon",
    EXPIRED: "Expired",
    NOT_CERTIFIED: "Not certified",
}


def state(held: Sequence[tuple[dt.date, dt.date]], as_of: dt.date, *, window_days: int) -> str:
    """An agent's state for one certification on ``as_of`` from every (certified_on, expires_on) they held.

    Expiring soon = inside the recertification window (the last ``window_days`` before expiry).
    """
    started = [h for h in held if h[0] <= as_of]
    if not started:
        return NOT_CERTIFIED
    current = [h for h in started if h[1] > as_of]
    if not current:
        return EXPIRED
    expires = max(h[1] for h in current)
    return EXPIRING if (expires - as_of).days <= window_days else CERTIFIED
