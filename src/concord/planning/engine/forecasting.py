"""Volume forecasting per queue: statsforecast models, rolling-origin backtests, planner events.

A contact centre is not open around the clock, nor on every day. The history is
therefore laid out on its *open calendar*: the weekdays it opens (a weekday seen in at
least half the weeks) times the time-of-day slots it opens (a slot seen on at least
half the open days). Closed slots and closed weekdays are left out rather than filled
with zeros, so one season is one open day (``slots``) and one week is ``open weekdays x
slots``. An open day with no data at all (a holiday, a feed gap) is *missing*, not zero:
it is filled from the same slot one week earlier (or later) so the weekly rhythm stays
aligned, never scored in a backtest, and the count of filled days is reported. An open
slot with no contacts on a day that has data is a real zero.

History ends at the end of its last *complete* day (``complete_until``): a day whose data
stops before the time the queue's days usually end (the feed stopped at 00:57) is left
out whole, so its unobserved remainder never enters as zeros. Forecasts come back on the
future open calendar as real timestamps.

Models (statsforecast): seasonal naive over a week (the baseline), AutoETS (daily
season), MSTL (daily and weekly seasons with an ETS trend) and optionally AutoARIMA.
The model with the lowest backtest WAPE is chosen and the choice is explained.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from . import day_events

GRAINS = {"15min": "15min", "30min": "30min", "60min": "60min", "1h": "60min", "D": "D", "1D": "D", "day": "D"}
BASELINE = "SeasonalNaive"


@dataclass(frozen=True)
class PlannerEvent:
    """A planner's adjustment over [start, end): multiply by ``value`` or add ``value``
    contacts per interval (e.g. a marketing send x1.3, an outage +200)."""

    start: pd.Timestamp
    end: pd.Timestamp
    value: float
    kind: Literal["multiplicative", "additive"] = "multiplicative"
    label: str = ""


@dataclass(frozen=True)
class OpenCalendar:
    """Where the queue is open: weekdays (0 = Monday) and time-of-day slots."""

    grain: str
    weekdays: tuple[int, ...]
    slots: tuple[pd.Timedelta, ...]  # offsets from midnight; (0,) for daily grain

    @property
    def season_lengths(self) -> list[int]:
        per_day = len(self.slots)
        week = per_day * len(self.weekdays)
        return [per_day, week] if per_day > 1 else [week]

    def future(self, after: pd.Timestamp, count: int) -> pd.DatetimeIndex:
        out: list[pd.Timestamp] = []
        day = after.normalize()
        while len(out) < count:
            if day.weekday() in self.weekdays:
                out.extend(t for s in self.slots if (t := day + s) > after)
            day += pd.Timedelta(days=1)
        return pd.DatetimeIndex(out[:count])

    def steps_for_days(self, last: pd.Timestamp, days: int) -> int:
        """Open intervals in the ``days`` calendar days after the day of ``last`` (the last observed
        interval), plus what is left of that day: a '14d' horizon is 14 calendar days, closed ones included."""
        end = last.normalize() + pd.Timedelta(days=days + 1)
        future = self.future(last, (days + 1) * max(1, len(self.slots)))
        return int((future < end).sum())


@dataclass(frozen=True)
class PreparedSeries:
    calendar: OpenCalendar
    index: pd.DatetimeIndex  # open-calendar timestamps, history
    values: np.ndarray  # counts on that index (holidays filled)
    filled_days: tuple[pd.Timestamp, ...]
    filled: np.ndarray  # per position: True where the value was filled, not observed
    end: pd.Timestamp  # exclusive: midnight after the last complete day used
    dropped_partial: pd.Timestamp | None = None  # a day seen only in part, left out

    def daily(self) -> pd.Series:
        """Observed contacts per day (filled days left out)."""
        per_day = pd.Series(self.values, index=self.index.normalize())[~self.filled]
        return per_day.groupby(level=0).sum()


@dataclass(frozen=True)
class BacktestScore:
    model: str
    wape: float
    mase: float
    folds: int


@dataclass(frozen=True)
class ForecastResult:
    grain: str
    model: str
    explanation: str
    forecast: pd.Series  # timestamps -> contacts, after events
    base_forecast: pd.Series  # before events
    scores: list[BacktestScore]
    calendar: OpenCalendar
    filled_days: tuple[pd.Timestamp, ...] = field(default_factory=tuple)
    prepared: PreparedSeries | None = None  # the one series both the backtest and the forecast used
    event_days: tuple = ()  # daily grain: per event, the [(day, share of the day's contacts)] it acted on


#: How many of the latest earlier days say when a day usually ends.
CLOSE_LOOKBACK_DAYS = 28


def day_closes(stamps: pd.DatetimeIndex) -> pd.Series:
    """The last timestamp seen on each day (day -> time of day), from stamps at any resolution."""
    stamps = pd.DatetimeIndex(stamps)
    days = stamps.normalize()
    return pd.Series(stamps - days, index=days).groupby(level=0).max()


def complete_until(closes: pd.Series, *, observed_until: pd.Timestamp | None = None) -> pd.Timestamp:
    """The exclusive end of the complete days: midnight after the last day the data covers in full.

    ``closes`` is ``day_closes`` of the history; ``observed_until`` the last moment the data is
    known to cover (the lake's last contact; default: the last close). The day holding it is
    complete when it reaches the earliest close of the days before it (the queue has been seen
    to end its day that early); otherwise the data stopped mid-day and the day is left out."""
    if closes.empty:
        raise ValueError("series has no values")
    last = observed_until if observed_until is not None else closes.index.max() + closes.iloc[-1]
    day = last.normalize()
    earlier = closes[closes.index < day].tail(CLOSE_LOOKBACK_DAYS)
    if earlier.empty or last - day >= earlier.min():
        return day + pd.Timedelta(days=1)
    return day


def wape(actual: np.ndarray, predicted: np.ndarray) -> float:
    """Weighted absolute percentage error: sum |y - yhat| / sum |y|."""
    denom = float(np.abs(actual).sum())
    return float(np.abs(actual - predicted).sum() / denom) if denom else float("nan")


def mase(actual: np.ndarray, predicted: np.ndarray, history: np.ndarray, season: int) -> float:
    """Mean absolute error scaled by the in-sample seasonal-naive error (lag ``season``)."""
    if history.size <= season:
        return float("nan")
    scale = float(np.mean(np.abs(history[season:] - history[:-season])))
    return float(np.mean(np.abs(actual - predicted)) / scale) if scale else float("nan")


def prepare(series: pd.Series, grain: str, *, end: pd.Timestamp | None = None) -> PreparedSeries:
    """Aggregate counts indexed by timestamp to ``grain`` and lay them on the open calendar.

    ``end`` (exclusive, a midnight) is where the complete history ends; by default the last
    complete day judged from the series' own timestamps (``complete_until``)."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {sorted(GRAINS)} (got {grain!r})")
    freq = GRAINS[grain]
    if not isinstance(series.index, pd.DatetimeIndex):
        raise ValueError("series must be indexed by timestamps")
    s = series.dropna().astype(float)
    if s.empty:
        raise ValueError("series has no values")
    if end is None:
        end = complete_until(day_closes(s.index))
    end = pd.Timestamp(end).normalize()
    partial = s.index.max().normalize() if s.index.max() >= end else None
    s = s[s.index < end]
    if s.empty:
        raise ValueError(f"series has no complete day before {end:%Y-%m-%d}")
    s = s.groupby(s.index.floor(freq)).sum()
    days = s.index.normalize()
    day_list = pd.DatetimeIndex(days.unique())
    weeks = max(1, day_list.to_period("W").nunique())
    per_weekday = pd.Series(day_list.weekday).value_counts()
    weekdays = tuple(sorted(int(d) for d, c in per_weekday.items() if c >= 0.5 * weeks))
    if freq == "D":
        slots: tuple[pd.Timedelta, ...] = (pd.Timedelta(0),)
    else:
        offsets = pd.Series(s.index - days)
        per_slot = offsets.value_counts()
        slots = tuple(sorted(o for o, c in per_slot.items() if c >= 0.5 * len(day_list)))
    calendar = OpenCalendar(grain=grain, weekdays=weekdays, slots=slots)

    # days after the last one seen, up to the end of the coverage, are missing: filled, not zeros
    first, last = day_list.min(), end - pd.Timedelta(days=1)
    open_days = [d for d in pd.date_range(first, last, freq="D") if d.weekday() in weekdays]
    index = pd.DatetimeIndex([d + o for d in open_days for o in slots])
    values = s.reindex(index)
    grid = values.to_numpy().reshape(len(open_days), len(slots))
    present = set(day_list)
    missing_days = [i for i, d in enumerate(open_days) if d not in present]
    per_week = len(weekdays)
    for i in missing_days:  # a week back, else a week ahead, else the slot mean
        for j in (i - per_week, i + per_week):
            if 0 <= j < len(open_days) and open_days[j] in present:
                grid[i] = grid[j]
                break
        else:
            grid[i] = np.nanmean(grid, axis=0)
    grid = np.where(np.isnan(grid), 0.0, grid)  # an open slot with no calls that day
    filled = np.zeros(grid.shape, dtype=bool)
    filled[missing_days] = True
    return PreparedSeries(
        calendar=calendar,
        index=index,
        values=grid.ravel(),
        filled_days=tuple(open_days[i] for i in missing_days),
        filled=filled.ravel(),
        end=end,
        dropped_partial=partial,
    )


def _model_factories(calendar: OpenCalendar, include_arima: bool) -> dict[str, Callable]:
    from statsforecast.models import MSTL, AutoARIMA, AutoETS, SeasonalNaive

    seasons = calendar.season_lengths
    daily, weekly = seasons[0], seasons[-1]
    models: dict[str, Callable] = {
        BASELINE: lambda: SeasonalNaive(season_length=weekly, alias=BASELINE),
        "AutoETS": lambda: AutoETS(season_length=daily, alias="AutoETS"),
    }
    if len(seasons) > 1:
        models["MSTL"] = lambda: MSTL(season_length=seasons, trend_forecaster=AutoETS(model="ZZN"), alias="MSTL")
    if include_arima:
        models["AutoARIMA"] = lambda: AutoARIMA(season_length=daily, alias="AutoARIMA")
    return models


def backtest(
    prepared: PreparedSeries,
    horizon: int,
    folds: int = 3,
    models: Sequence[str] | None = None,
    include_arima: bool = False,
) -> tuple[list[BacktestScore], dict[str, Callable]]:
    """Rolling-origin backtest: ``folds`` windows of ``horizon`` steps, each refit on all
    history before it. WAPE pools the folds; MASE is scaled by the lag-one-day naive.
    Filled (holiday) positions are never scored: they are not observations."""
    from statsforecast import StatsForecast

    factories = _model_factories(prepared.calendar, include_arima)
    chosen = list(models) if models else list(factories)
    if BASELINE not in chosen:
        chosen.insert(0, BASELINE)
    unknown = set(chosen) - set(factories)
    if unknown:
        raise ValueError(f"unknown or unavailable models: {sorted(unknown)}")
    needed = horizon * folds + 2 * prepared.calendar.season_lengths[-1]
    if prepared.values.size < needed:
        raise ValueError(
            f"need at least {needed} open intervals of history for this backtest (have {prepared.values.size})"
        )
    frame = pd.DataFrame({"unique_id": "q", "ds": np.arange(prepared.values.size), "y": prepared.values})
    sf = StatsForecast(models=[factories[m]() for m in chosen], freq=1)
    cv = sf.cross_validation(df=frame, h=horizon, n_windows=folds, step_size=horizon)
    season = prepared.calendar.season_lengths[0]
    cv = cv[~prepared.filled[cv["ds"].to_numpy(dtype=int)]]
    scores = []
    for name in chosen:
        pred = np.clip(cv[name].to_numpy(), 0, None)
        actual = cv["y"].to_numpy()
        mases = []
        for cutoff, part in cv.groupby("cutoff"):
            history = prepared.values[: int(cutoff) + 1]
            mases.append(mase(part["y"].to_numpy(), np.clip(part[name].to_numpy(), 0, None), history, season))
        scores.append(BacktestScore(model=name, wape=wape(actual, pred), mase=float(np.mean(mases)), folds=folds))
    return scores, {m: factories[m] for m in chosen}


def apply_events(forecast: pd.Series, events: Sequence[PlannerEvent]) -> pd.Series:
    """Planner events in order: multiplicative scale, additive shift; never below zero."""
    out = forecast.astype(float).copy()
    for event in events:
        if event.kind not in ("multiplicative", "additive"):
            raise ValueError(f"event kind must be multiplicative or additive (got {event.kind!r})")
        window = (out.index >= event.start) & (out.index < event.end)
        if event.kind == "multiplicative":
            out[window] *= event.value
        else:
            out[window] += event.value
    return out.clip(lower=0.0)


def forecast(
    series: pd.Series,
    grain: str,
    horizon: int,
    *,
    events: Sequence[PlannerEvent] = (),
    folds: int = 3,
    backtest_horizon: int | None = None,
    models: Sequence[str] | None = None,
    include_arima: bool = False,
    prepared: PreparedSeries | None = None,
    day_profile: day_events.Profile | None = None,
) -> ForecastResult:
    """Backtest the candidate models, choose the lowest WAPE, forecast ``horizon`` open
    intervals (or days) after the history, then apply the planner's events.

    The backtest and the forecast read one prepared series (``prepared``, else ``prepare(series,
    grain)``): the model is chosen on exactly the history it then forecasts from. At the daily grain
    an event acts on the share of each day its window holds, read from ``day_profile`` (``day_events``)."""
    from statsforecast import StatsForecast

    prepared = prepared or prepare(series, grain)
    step = backtest_horizon or min(horizon, prepared.calendar.season_lengths[-1])
    scores, factories = backtest(prepared, step, folds, models, include_arima)
    ranked = sorted(scores, key=lambda s: (np.nan_to_num(s.wape, nan=np.inf), s.model != BASELINE))
    best = ranked[0]
    base = next(s for s in scores if s.model == BASELINE)
    frame = pd.DataFrame({"unique_id": "q", "ds": np.arange(prepared.values.size), "y": prepared.values})
    sf = StatsForecast(models=[factories[best.model]()], freq=1)
    predicted = np.clip(sf.forecast(df=frame, h=horizon)[best.model].to_numpy(), 0, None)
    when = prepared.calendar.future(prepared.index[-1], horizon)
    base_forecast = pd.Series(predicted, index=when, name="forecast")
    others = ", ".join(f"{s.model} {s.wape:.1%}" for s in ranked[1:])
    if best.model == BASELINE:
        why = f"{BASELINE} kept: no model beat the weekly seasonal naive on backtest WAPE ({best.wape:.1%}; {others})."
    else:
        gain = (base.wape - best.wape) / base.wape if base.wape else 0.0
        why = (
            f"{best.model} chosen: lowest WAPE over {folds} rolling-origin folds of {step} "
            f"intervals, {best.wape:.1%} against {base.wape:.1%} for the weekly seasonal "
            f"naive ({gain:.0%} less error; MASE {best.mase:.2f}). Others: {others}."
        )
    last_day = prepared.end - pd.Timedelta(days=1)
    why += f" History to {last_day:%a %d %b %Y} (last complete day)"
    if prepared.dropped_partial is not None:
        why += f"; {prepared.dropped_partial:%a %d %b}, seen only in part, left out"
    why += "."
    if prepared.filled_days:
        why += f" {len(prepared.filled_days)} open-calendar days with no data filled from a week away."
    if grain == "D":
        adjusted, event_days = day_events.apply_to_days(base_forecast, events, day_profile)
    else:
        adjusted, event_days = apply_events(base_forecast, events), []
    return ForecastResult(
        grain=grain,
        model=best.model,
        explanation=why,
        forecast=adjusted,
        event_days=tuple(event_days),
        base_forecast=base_forecast,
        scores=scores,
        calendar=prepared.calendar,
        filled_days=prepared.filled_days,
        prepared=prepared,
    )


# --- the sanity guard: a forecast far from recent actuals is not stored without a reason ---------

#: A forecast day under LOW or over HIGH times its weekday's recent mean needs a planner's event.
LOW, HIGH = 0.5, 2.0
RECENT_WEEKS = 4
_DAY_NAMES = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


def level_departures(
    prepared: PreparedSeries, forecast: pd.Series, *, explained: Sequence[PlannerEvent] = ()
) -> list[str]:
    """Why the forecast departs wildly from recent actuals, one sentence per weekday; empty when sane.

    Each whole forecast day is compared with the mean of the same weekday over the last
    RECENT_WEEKS weeks of complete history (observed days only); a day an event overlaps is
    the planner's stated reason and is not judged."""
    per_day = len(prepared.calendar.slots)
    actual = prepared.daily()
    actual = actual[actual.index >= prepared.end - pd.Timedelta(weeks=RECENT_WEEKS)]
    recent = actual.groupby(actual.index.weekday).mean()
    days = forecast.groupby(forecast.index.normalize()).agg(["sum", "count"])
    problems: dict[int, tuple[float, pd.Timestamp, float]] = {}
    for day, row in days.iterrows():
        mean = recent.get(day.weekday())
        if row["count"] < per_day or not mean:
            continue  # a part day, or a weekday with no recent actuals to judge by
        if any(e.start < day + pd.Timedelta(days=1) and e.end > day for e in explained):
            continue
        ratio = row["sum"] / mean
        if not LOW <= ratio <= HIGH:
            worst = problems.get(day.weekday())
            if worst is None or abs(np.log(max(ratio, 1e-9))) > abs(np.log(max(worst[0], 1e-9))):
                problems[day.weekday()] = (ratio, day, float(row["sum"]))
    out = []
    for weekday, (ratio, day, total) in sorted(problems.items()):
        side = "under half" if ratio < LOW else "over double"
        out.append(
            f"{_DAY_NAMES[weekday]}: {total:,.0f} contacts forecast for {day:%a %d %b}, {side} the mean of "
            f"{recent[weekday]:,.0f} over the last {RECENT_WEEKS} weeks"
        )
    return out
