"""Sizing one interval, or a week of them, with Erlang C or Erlang A: the one glue the
staffing page, the API and ``concord staffing`` share.

``required_agents`` finds the smallest count meeting the targets, ``erlang_c`` /
``erlang_a`` give that count's figures, ``scheduled_agents`` adds shrinkage. Pure: no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import erlang_a as ea
from . import queueing as q

#: The keys ``concord staffing erlang-c --json`` prints, in its order (Erlang A adds one).
ERLANG_C_KEYS = (
    "traffic_erlangs",
    "agents",
    "scheduled_agents",
    "probability_wait",
    "service_level",
    "asa_seconds",
    "occupancy",
)
ERLANG_A_KEYS = (*ERLANG_C_KEYS[:4], "probability_abandon", *ERLANG_C_KEYS[4:])

#: The engine names its arguments by seconds; people enter the interval in minutes.
_ENGINE_TO_FIELD = {"interval_seconds": "interval_minutes"}


@dataclass(frozen=True)
class StaffingInput:
    """One interval to size: the options of ``concord staffing erlang-c`` / ``erlang-a``."""

    volume: float
    interval_minutes: float
    aht_seconds: float
    target_sl: float = 0.8
    target_seconds: float = 20.0
    max_occupancy: float | None = None
    target_asa: float | None = None
    shrinkage: float = 0.0
    agents: int | None = None
    patience_seconds: float | None = None  # set: Erlang A
    short_abandon_seconds: float | None = None  # Erlang A: abandons within this leave the SL denominator

    @property
    def interval_seconds(self) -> float:
        return self.interval_minutes * 60.0


def engine_error_field(exc: ValueError) -> tuple[str | None, str]:
    """The input field an engine ValueError is about (its first word), and its message."""
    message = str(exc)
    first = message.split(" ", 1)[0]
    if first in _ENGINE_TO_FIELD:
        field = _ENGINE_TO_FIELD[first]
        # the value it quotes is in seconds; the person typed minutes
        message = message.replace(first, field, 1).split(" (got ", 1)[0]
        return field, message
    if first in StaffingInput.__dataclass_fields__:
        return first, message
    return None, message


def _finite(x: float) -> float | None:
    # JSON has no infinity (nor NaN): an unbounded ASA is null, as in the CLI.
    return float(x) if math.isfinite(x) else None


def validate_staffing(inp: StaffingInput) -> None:
    """Raise the engine's ValueError naming the first bad input."""
    q.validate_inputs(
        volume=inp.volume,
        interval_seconds=inp.interval_seconds,
        aht_seconds=inp.aht_seconds,
        target_sl=inp.target_sl,
        target_seconds=inp.target_seconds,
        max_occupancy=inp.max_occupancy,
        target_asa=inp.target_asa,
        shrinkage=inp.shrinkage,
        agents=inp.agents,
        patience_seconds=inp.patience_seconds,
    )
    if inp.short_abandon_seconds is not None:
        if inp.patience_seconds is None:
            raise ValueError("short_abandon_seconds needs a mean patience (Erlang A): without one nobody abandons")
        if not inp.short_abandon_seconds >= 0:
            raise ValueError(f"short_abandon_seconds must be >= 0 (got {inp.short_abandon_seconds!r})")


def staffing_figures(inp: StaffingInput) -> dict:
    """The smallest agent count meeting the targets (or the figures of ``inp.agents``).

    Returns the CLI's JSON keys; raises ValueError naming the bad input.
    """
    interval = inp.interval_seconds
    validate_staffing(inp)
    extra = {}
    if inp.patience_seconds is None:
        n = inp.agents
        if n is None:
            n = int(
                q.required_agents(
                    inp.volume,
                    interval,
                    inp.aht_seconds,
                    inp.target_sl,
                    inp.target_seconds,
                    max_occupancy=inp.max_occupancy,
                    target_asa=inp.target_asa,
                )
            )
        m = q.erlang_c(n, inp.volume, interval, inp.aht_seconds, inp.target_seconds)
    else:
        n = inp.agents
        if n is None:
            n = int(
                ea.required_agents(
                    inp.volume,
                    interval,
                    inp.aht_seconds,
                    inp.patience_seconds,
                    inp.target_sl,
                    inp.target_seconds,
                    max_occupancy=inp.max_occupancy,
                    target_asa=inp.target_asa,
                    short_abandon_seconds=inp.short_abandon_seconds,
                )
            )
        m = ea.erlang_a(
            n, inp.volume, interval, inp.aht_seconds, inp.patience_seconds, inp.target_seconds,
            inp.short_abandon_seconds,
        )  # fmt: skip
        extra = {"probability_abandon": float(m.probability_abandon)}
        if m.probability_short_abandon is not None:
            extra["probability_short_abandon"] = float(m.probability_short_abandon)
    return {
        "traffic_erlangs": float(m.traffic_erlangs),
        "agents": int(n),
        "scheduled_agents": int(q.scheduled_agents(n, inp.shrinkage)),
        "probability_wait": float(m.probability_wait),
        **extra,
        "service_level": float(m.service_level),
        "asa_seconds": _finite(float(m.asa_seconds)),
        "occupancy": float(m.occupancy),
    }


def staffing_curve(inp: StaffingInput, agents: int, *, points: int = 16) -> list[dict]:
    """SL and ASA for agent counts around ``agents`` (one vectorised engine call), for a chart."""
    traffic = float(q.traffic_erlangs(inp.volume, inp.interval_seconds, inp.aht_seconds))
    low = max(1, min(agents - points // 2, math.floor(traffic) + 1))
    counts = np.arange(low, max(agents, low) + points // 2 + 1)
    if inp.patience_seconds is None:
        m = q.erlang_c(counts, inp.volume, inp.interval_seconds, inp.aht_seconds, inp.target_seconds)
    else:
        m = ea.erlang_a(
            counts, inp.volume, inp.interval_seconds, inp.aht_seconds, inp.patience_seconds, inp.target_seconds,
            inp.short_abandon_seconds,
        )  # fmt: skip
    return [
        {"agents": int(n), "service_level": float(sl), "asa_seconds": _finite(float(asa))}
        for n, sl, asa in zip(counts, m.service_level, m.asa_seconds, strict=True)
    ]


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class IntradayStaffing:
    """Required agents for every interval of a week profile (rows: interval of the day, columns: weekday)."""

    labels: list[str]  # interval starts, "HH:MM"
    volume: np.ndarray
    agents: np.ndarray
    scheduled: np.ndarray
    interval_minutes: float

    def cells(self) -> list[dict]:
        rows = []
        for i, label in enumerate(self.labels):
            for d, day in enumerate(WEEKDAYS):
                rows.append(
                    {
                        "interval": label,
                        "weekday": day,
                        "volume": round(float(self.volume[i, d]), 2),
                        "agents": int(self.agents[i, d]),
                        "scheduled": int(self.scheduled[i, d]),
                    }
                )
        return rows

    def daily(self) -> list[dict]:
        """Per weekday: peak agents and scheduled agent-hours."""
        hours = self.interval_minutes / 60.0
        return [
            {
                "weekday": day,
                "volume": float(self.volume[:, d].sum()),
                "peak_agents": int(self.agents[:, d].max(initial=0)),
                "scheduled_hours": float(self.scheduled[:, d].sum() * hours),
            }
            for d, day in enumerate(WEEKDAYS)
        ]


def intraday_staffing(inp: StaffingInput, volume: np.ndarray, labels: list[str]) -> IntradayStaffing:
    """Size every cell of an (intervals x 7) volume matrix in one vectorised engine call."""
    volume = np.asarray(volume, dtype=float)
    common = {"max_occupancy": inp.max_occupancy, "target_asa": inp.target_asa}
    if inp.patience_seconds is None:
        agents = q.required_agents(
            volume, inp.interval_seconds, inp.aht_seconds, inp.target_sl, inp.target_seconds, **common
        )
    else:
        agents = ea.required_agents(
            volume,
            inp.interval_seconds,
            inp.aht_seconds,
            inp.patience_seconds,
            inp.target_sl,
            inp.target_seconds,
            short_abandon_seconds=inp.short_abandon_seconds,
            **common,
        )
    scheduled = q.scheduled_agents(agents, inp.shrinkage)
    return IntradayStaffing(
        labels=labels, volume=volume, agents=agents, scheduled=scheduled, interval_minutes=inp.interval_minutes
    )


#: Weekday weights for a profile given as one column (Monday is the busiest day).
WEEKDAY_WEIGHTS = np.array([1.15, 1.05, 1.0, 1.0, 0.95, 0.6, 0.4])


def preset_profile(interval_minutes: float, peak_volume: float, *, open_hour=8, close_hour=20):
    """A typical service-desk day: closed at night, a morning peak and a smaller afternoon one.

    Scaled so that the busiest interval (Monday's morning peak) carries ``peak_volume``.
    Returns (labels, volume matrix intervals x 7).
    """
    per_day = round(24 * 60 / interval_minutes)
    starts = np.arange(per_day) * interval_minutes / 60.0  # hours
    mid = starts + interval_minutes / 120.0
    shape = np.exp(-0.5 * ((mid - 10.5) / 1.6) ** 2) + 0.75 * np.exp(-0.5 * ((mid - 15.0) / 1.8) ** 2)
    shape = np.where((mid >= open_hour) & (mid < close_hour), shape + 0.1, 0.0)
    matrix = np.outer(shape, WEEKDAY_WEIGHTS)
    top = matrix.max()
    matrix = matrix * (peak_volume / top) if top > 0 else matrix
    return interval_labels(interval_minutes, per_day), np.round(matrix, 1)


def interval_labels(interval_minutes: float, count: int, start_minutes: int = 0) -> list[str]:
    out = []
    for i in range(count):
        minutes = round(start_minutes + i * interval_minutes) % (24 * 60)
        out.append(f"{minutes // 60:02d}:{minutes % 60:02d}")
    return out
