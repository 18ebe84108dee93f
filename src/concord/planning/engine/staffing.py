"""Sizing one interval, or a week of them, with Erlang C or Erlang A: the one glue the
staffing page, the API and ``concord staffing`` share.

``required_agents`` finds the smallest count meeting the targets, ``erlang_c`` /
``erlang_a`` give that count's figures, ``scheduled_agents`` adds shrinkage. Pure: no Django.

People type and read percentages as percentages (80 means 80%): ``StaffingInput`` holds
them so, with one set of defaults for the page, the API and the CLI, and is checked here
in the person's terms; the queueing engine gets shares, converted only in this module.
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

#: The defaults of the page, the API and the CLI alike (percentages as percentages).
DEFAULT_TARGET_SL = 80.0
DEFAULT_TARGET_SECONDS = 20.0
DEFAULT_MAX_OCCUPANCY = 85.0
DEFAULT_SHRINKAGE = 30.0


@dataclass(frozen=True)
class StaffingInput:
    """One interval to size: the options of ``concord staffing erlang-c`` / ``erlang-a``, in people's units."""

    volume: float  # calls offered in the interval
    interval_minutes: float
    aht_seconds: float
    target_sl: float = DEFAULT_TARGET_SL  # % of calls answered within target_seconds
    target_seconds: float = DEFAULT_TARGET_SECONDS
    max_occupancy: float | None = DEFAULT_MAX_OCCUPANCY  # %; None: no cap
    target_asa: float | None = None  # seconds
    shrinkage: float = DEFAULT_SHRINKAGE  # % of paid time off the phones
    agents: int | None = None
    patience_seconds: float | None = None  # set: Erlang A
    short_abandon_seconds: float | None = None  # Erlang A: abandons within this leave the SL denominator

    @property
    def interval_seconds(self) -> float:
        return self.interval_minutes * 60.0

    # the engine's shares: the only place a percentage becomes a share
    @property
    def sl_share(self) -> float:
        return self.target_sl / 100.0

    @property
    def occupancy_share(self) -> float | None:
        return None if self.max_occupancy is None else self.max_occupancy / 100.0

    @property
    def shrinkage_share(self) -> float:
        return self.shrinkage / 100.0


class StaffingInputError(ValueError):
    """A value out of range, said in the person's terms, with the field it is about."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


#: field -> (label with unit, lowest, lowest allowed?, highest, highest allowed?); None = unbounded.
_RANGES = {
    "volume": ("Calls offered per interval", 0, True, None, False),
    "interval_minutes": ("Interval length (minutes)", 0, False, 24 * 60, True),
    "aht_seconds": ("Average handle time (seconds)", 0, True, None, False),
    "target_sl": ("Service level target", 0, False, 100, True),
    "target_seconds": ("Answered within (seconds)", 0, True, None, False),
    "max_occupancy": ("Maximum occupancy", 0, False, 100, True),
    "target_asa": ("ASA target (seconds)", 0, False, None, False),
    "shrinkage": ("Shrinkage", 0, True, 100, False),
    "agents": ("Agent count", 0, True, None, False),
    "patience_seconds": ("Mean caller patience (seconds)", 0, False, None, False),
    "short_abandon_seconds": ("Short abandons (seconds)", 0, True, None, False),
}
_PERCENT = ("target_sl", "max_occupancy", "shrinkage")


def _range_text(low: float, low_ok: bool, high: float | None, high_ok: bool, unit: str) -> str:
    if high is None:
        return f"{'at least' if low_ok else 'more than'} {low:g}"
    return f"between {low:g} and {high:g}{unit}" + ("" if high_ok else f", below {high:g}{unit}")


#: An infinite patience or answer time is meaningful (nobody abandons; any wait counts).
_MAY_BE_INFINITE = ("patience_seconds", "target_seconds")


def check_person_ranges(inp: StaffingInput) -> None:
    """Raise StaffingInputError for the first value out of range, in the person's terms."""
    for name, (label, low, low_ok, high, high_ok) in _RANGES.items():
        value = getattr(inp, name)
        if value is None:
            continue
        unit = "%" if name in _PERCENT else ""
        if math.isnan(value) or (math.isinf(value) and name not in _MAY_BE_INFINITE):
            raise StaffingInputError(name, f"{label} must be a number.")
        above = value >= low if low_ok else value > low
        below = high is None or (value <= high if high_ok else value < high)
        if not (above and below):
            message = f"{label} must be {_range_text(low, low_ok, high, high_ok, unit)} (got {value:g}{unit})."
            raise StaffingInputError(name, message)
        if unit and 0 < value < 1:  # a share typed where a percentage is asked
            raise StaffingInputError(
                name, f"{label} is in percent: {value:g} means {value:g}%; for {value * 100:g}% type {value * 100:g}."
            )


def engine_error_field(exc: ValueError) -> tuple[str | None, str]:
    """The input field an engine ValueError is about (its first word), and its message."""
    if isinstance(exc, StaffingInputError):
        return exc.field, str(exc)
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
    """Raise a ValueError naming the first bad input, in the person's terms where it can."""
    check_person_ranges(inp)
    q.validate_inputs(
        volume=inp.volume,
        interval_seconds=inp.interval_seconds,
        aht_seconds=inp.aht_seconds,
        target_sl=inp.sl_share,
        target_seconds=inp.target_seconds,
        max_occupancy=inp.occupancy_share,
        target_asa=inp.target_asa,
        shrinkage=inp.shrinkage_share,
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

    Returns the CLI's JSON keys, probabilities, service level and occupancy in percent
    (``PERCENT_FIGURES``); raises ValueError naming the bad input.
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
                    inp.sl_share,
                    inp.target_seconds,
                    max_occupancy=inp.occupancy_share,
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
                    inp.sl_share,
                    inp.target_seconds,
                    max_occupancy=inp.occupancy_share,
                    target_asa=inp.target_asa,
                    short_abandon_seconds=inp.short_abandon_seconds,
                )
            )
        m = ea.erlang_a(
            n, inp.volume, interval, inp.aht_seconds, inp.patience_seconds, inp.target_seconds,
            inp.short_abandon_seconds,
        )  # fmt: skip
        extra = {"probability_abandon": _percent(m.probability_abandon)}
        if m.probability_short_abandon is not None:
            extra["probability_short_abandon"] = _percent(m.probability_short_abandon)
    return {
        "traffic_erlangs": float(m.traffic_erlangs),
        "agents": int(n),
        "scheduled_agents": int(q.scheduled_agents(n, inp.shrinkage_share)),
        "probability_wait": _percent(m.probability_wait),
        **extra,
        "service_level": _percent(m.service_level),
        "asa_seconds": _finite(float(m.asa_seconds)),
        "occupancy": _percent(m.occupancy),
    }


#: The figures given in percent (as the inputs are): everything else is a count, Erlangs or seconds.
PERCENT_FIGURES = ("probability_wait", "probability_abandon", "probability_short_abandon", "service_level", "occupancy")


def _percent(share) -> float:
    return float(share) * 100.0


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
        {"agents": int(n), "service_level": _percent(sl), "asa_seconds": _finite(float(asa))}
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
    common = {"max_occupancy": inp.occupancy_share, "target_asa": inp.target_asa}
    if inp.patience_seconds is None:
        agents = q.required_agents(
            volume, inp.interval_seconds, inp.aht_seconds, inp.sl_share, inp.target_seconds, **common
        )
    else:
        agents = ea.required_agents(
            volume,
            inp.interval_seconds,
            inp.aht_seconds,
            inp.patience_seconds,
            inp.sl_share,
            inp.target_seconds,
            short_abandon_seconds=inp.short_abandon_seconds,
            **common,
        )
    scheduled = q.scheduled_agents(agents, inp.shrinkage_share)
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
