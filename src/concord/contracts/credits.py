"""Service credits and earn-back, in money (Decimal), with no Django.

- at risk = monthly fee x at-risk % (the most a month can cost the provider)
- each missed SLA costs at risk x its pool allocation %; allocations may sum to
  more than 100 % (a "pool" of, say, 250 %) so that a few misses reach the cap
- the month's total is capped at the at-risk amount; when capped, each missed
  SLA's credit is scaled down in proportion so the credits still add up to the cap
- earn-back: a missed month's credit is returned when the same SLA is met in each
  of the N following months
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(x) -> Decimal:
    return Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)


def at_risk_amount(monthly_fee: Decimal, at_risk_percent: Decimal) -> Decimal:
    if monthly_fee < 0 or not (0 <= at_risk_percent <= 100):
        raise ValueError("the fee must be >= 0 and the at-risk share between 0 and 100 %")
    return money(Decimal(monthly_fee) * Decimal(at_risk_percent) / 100)


def prorated(amount: Decimal, days_in_force: int, days_in_month: int) -> Decimal:
    """A monthly amount for a month partly in force: by days in force (DOMAIN.md, partial months)."""
    if not 0 <= days_in_force <= days_in_month or days_in_month <= 0:
        raise ValueError("days in force must be between 0 and the days of the month")
    return money(Decimal(amount) * days_in_force / days_in_month)


@dataclass(frozen=True)
class MonthCredits:
    at_risk: Decimal
    uncapped_total: Decimal
    total: Decimal
    capped: bool
    per_sla: dict[str, Decimal]  # missed SLAs only; met ones owe nothing


def month_credits(at_risk: Decimal, allocations: Mapping[str, Decimal], missed: Sequence[str]) -> MonthCredits:
    """Credits for one month: ``allocations`` is SLA -> pool allocation %, ``missed`` the SLAs missed."""
    for key in missed:
        if key not in allocations:
            raise KeyError(f"SLA {key!r} has no pool allocation")
    if any(Decimal(a) < 0 for a in allocations.values()):
        raise ValueError("a pool allocation cannot be negative")
    raw = {key: Decimal(at_risk) * Decimal(allocations[key]) / 100 for key in missed}
    uncapped = sum(raw.values(), Decimal(0))
    capped = uncapped > at_risk
    scale = (Decimal(at_risk) / uncapped) if capped else Decimal(1)
    per_sla = {key: money(v * scale) for key, v in raw.items()}
    target_total = money(at_risk) if capped else money(uncapped)
    # rounding each share may leave a cent over or under: the largest share absorbs it
    drift = target_total - sum(per_sla.values(), Decimal(0))
    if per_sla and drift:
        largest = max(per_sla, key=lambda k: (per_sla[k], k))
        per_sla[largest] += drift
    return MonthCredits(money(at_risk), money(uncapped), sum(per_sla.values(), money(0)), capped, per_sla)


def earned_back(history: Sequence[bool | None], periods: int) -> list[bool]:
    """For a month-by-month history of one SLA (True missed, False met, None not measured):
    which misses are earned back, i.e. followed by ``periods`` months all met.

    A month not measured (too little volume, no result yet) breaks the run: nothing is
    earned back across a gap. ``periods`` 0 means the contract has no earn-back.
    """
    out = []
    for i, missed in enumerate(history):
        following = history[i + 1 : i + 1 + periods]
        out.append(bool(missed) and periods > 0 and len(following) == periods and all(m is False for m in following))
    return out
