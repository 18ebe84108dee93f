"""Where a forecast's history ends, and missing data told apart from zero volume (issue #10.1).

The real data sets are in ../shared/data (SOURCES.md there names their origin):
- anonymous_bank_1999_6min.csv: Technion "Anonymous Bank", 365 days x 240 six-minute intervals,
  open around the clock with real zero-call intervals at night;
- bank_calls_5min_2003.csv: Weinberg, Brown & Stroud (2007), weekdays 07:00-21:00, five minutes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from concord.planning.engine import forecasting as fc

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
MODELS = ["SeasonalNaive", "MSTL"]


def _anonymous_bank() -> pd.Series:
    raw = pd.read_csv(DATA / "anonymous_bank_1999_6min.csv")
    stamps = pd.to_datetime(raw["date"] + " " + raw["interval_start"])
    return pd.Series(raw["calls"].to_numpy(dtype=float), index=pd.DatetimeIndex(stamps))


def _bank_2003() -> pd.Series:
    raw = pd.read_csv(DATA / "bank_calls_5min_2003.csv", parse_dates=["DateTime"])
    return pd.Series(raw["Calls"].to_numpy(dtype=float), index=raw["DateTime"].dt.tz_localize(None))


def test_a_day_seen_only_in_part_is_left_out_not_read_as_a_quiet_day():
    # given 4 weeks of a 24/7 queue, 10 contacts every hour, and a last day whose data stops at 00:57
    hours = pd.date_range("2026-11-02", "2026-11-30 23:00", freq="60min")
    series = pd.Series(10.0, index=hours)
    series[pd.Timestamp("2026-12-01 00:57")] = 1.0
    # when it is prepared at daily grain
    prepared = fc.prepare(series, "D")
    # then the history ends at midnight on Dec 1; Tuesday Dec 1 (1 contact) is not a day of history
    assert prepared.end == pd.Timestamp("2026-12-01")
    assert prepared.dropped_partial == pd.Timestamp("2026-12-01")
    assert prepared.index[-1] == pd.Timestamp("2026-11-30")
    assert prepared.values.min() == 240.0  # every day of history is a full 24 x 10


def test_a_day_that_reaches_the_usual_close_is_complete():
    # an 08:00-20:00 queue whose last day's last contact is at 19:40, as on other days
    stamps = [d + pd.Timedelta(hours=h, minutes=40) for d in pd.date_range("2026-01-05", periods=14) for h in (8, 19)]
    closes = fc.day_closes(pd.DatetimeIndex(stamps))
    assert fc.complete_until(closes) == pd.Timestamp("2026-01-19")
    # the lake reaching only 12:10 on that day makes it partial
    assert fc.complete_until(closes, observed_until=pd.Timestamp("2026-01-18 12:10")) == pd.Timestamp("2026-01-18")


def test_days_after_the_last_contact_but_inside_the_coverage_are_missing_not_zero():
    # given 3 weeks of weekday data and a coverage that runs two more open days with no data (a feed gap)
    days = [d for d in pd.date_range("2026-01-05", periods=19) if d.weekday() < 5]
    series = pd.Series([100.0 + d.weekday() for d in days], index=pd.DatetimeIndex(days))
    prepared = fc.prepare(series, "D", end=pd.Timestamp("2026-01-27"))
    # then Mon 26 Jan is filled from the Monday before, flagged, never scored as a zero
    assert prepared.filled_days == (pd.Timestamp("2026-01-26"),)
    assert prepared.values[-1] == 100.0 and prepared.filled[-1]


def _cut_and_forecast(series: pd.Series, cut: pd.Timestamp, grain: str = "30min"):
    history = series[(series.index >= cut - pd.Timedelta(weeks=8)) & (series.index < cut)]
    prepared = fc.prepare(history, grain)
    steps = prepared.calendar.steps_for_days(prepared.index[-1], 15)
    return fc.forecast(history, grain, steps, models=MODELS, folds=2).forecast


def _wape_against(series: pd.Series, forecast: pd.Series, start: pd.Timestamp, days: int = 14) -> float:
    actual = series.groupby(series.index.floor("30min")).sum()
    window = forecast[(forecast.index >= start) & (forecast.index < start + pd.Timedelta(days=days))]
    return fc.wape(actual.reindex(window.index).fillna(0.0).to_numpy(), window.to_numpy())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("load", "wednesday"),
    [(_anonymous_bank, pd.Timestamp("1999-10-06")), (_bank_2003, pd.Timestamp("2003-09-17"))],
    ids=["anonymous-bank-1999", "bank-calls-2003"],
)
def test_a_history_ending_mid_day_forecasts_as_well_as_one_ending_at_midnight(load, wednesday):
    # given the same real history cut at a Wednesday's midnight and at 13:00 that Wednesday
    series = load()
    at_midnight = _cut_and_forecast(series, wednesday)
    mid_day = _cut_and_forecast(series, wednesday + pd.Timedelta(hours=13))
    # when both are scored on the same 14 days from that Wednesday against what really came
    reference = _wape_against(series, at_midnight, wednesday)
    partial = _wape_against(series, mid_day, wednesday)
    # then the mid-day cut is as good: its partial day is left out, not read as an afternoon of zeros
    assert reference < 0.30
    assert partial <= reference + 0.02, (partial, reference)
    assert mid_day.index[0] == at_midnight.index[0]
