"""A plan's phases as dates: pure arithmetic on local dates in the reporting zone (no Django).

The plan runs from ``start`` to ``start + months`` (calendar months: 31 January + 1 month is 28 or
29 February, as ``dateutil.relativedelta`` clamps it, rather than our own month arithmetic).
Phase boundaries are cut on the cumulative share of the plan's days, rounded half up, so the three
phases always add up to the whole plan however the percentages round.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

PHASES = ("preparation", "transition", "stabilisation")
DEFAULT_SPLIT = (
    Decimal(30),
    Decimal(20),
    Decimal(50),
)  # seed 004: ~30% preparation, ~20% transition, ~50% stabilisation

#: milestone kind -> (phase, where in the phase its default due date falls: 0 first day .. 1 last day)
DEFAULT_MILESTONES: dict[str, tuple[str, float]] = {
    "articles_acknowledged": ("preparation", 0.6),
    "curriculum_delivered": ("preparation", 1.0),
    "cohort_certified": ("transition", 0.25),
    "parallel_run": ("transition", 0.5),
    "go_live": ("transition", 1.0),
    "stabilisation_exit": ("stabilisation", 1.0),
}


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Phase:
    name: str
    start: dt.date  # first day
    end: dt.date  # the day after the last day

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end


def check_split(split: tuple[Decimal, Decimal, Decimal]) -> None:
    if any(part <= 0 for part in split):
        raise ScheduleError("Each phase needs a share above 0%.")
    if sum(split) != 100:
        raise ScheduleError(f"The three phases must add up to 100% (they add up to {sum(split)}%).")


def phases(start: dt.date, months: int, split: tuple[Decimal, Decimal, Decimal] = DEFAULT_SPLIT) -> list[Phase]:
    if not 1 <= months <= 36:
        raise ScheduleError("A plan lasts from 1 to 36 months.")
    check_split(split)
    end = start + relativedelta(months=months)
    total = (end - start).days
    cuts = [start]
    running = Decimal(0)
    for part in split[:-1]:
        running += Decimal(part)
        cuts.append(start + dt.timedelta(days=math.floor(total * running / 100 + Decimal("0.5"))))
    cuts.append(end)
    out = [Phase(name, cuts[i], cuts[i + 1]) for i, name in enumerate(PHASES)]
    if any(p.days < 1 for p in out):
        raise ScheduleError("Each phase needs at least one day: lengthen the plan or change the split.")
    return out


def default_due(phase: Phase, fraction: float) -> dt.date:
    """The day ``fraction`` of the way through the phase (1.0: its last day)."""
    return phase.start + dt.timedelta(days=math.floor((phase.days - 1) * fraction + 0.5))  # half up, as the cuts


def phase_on(plan_phases: list[Phase], day: dt.date) -> str:
    """'before', a phase's name, or 'after' for ``day``."""
    if day < plan_phases[0].start:
        return "before"
    for phase in plan_phases:
        if phase.contains(day):
            return phase.name
    return "after"


def slippage_days(due: dt.date, met_on: dt.date | None, today: dt.date) -> int:
    """Days late against plan: met after its due date, or still open past it (counted to today); 0 on time."""
    return max(0, ((met_on or today) - due).days)
