"""Forecasting on synthetic shapes and on real bank call-centre arrivals."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from concord.planning.engine import forecasting as fc

BANK = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "bank_calls_5min_2003.csv"


def test_wape_and_mase_by_hand():
    y = np.array([10.0, 20.0, 30.0])
    assert fc.wape(y, np.array([12.0, 18.0, 30.0])) == pytest.approx(4 / 60)
    history = np.array([1.0, 3.0, 1.0, 5.0])  # lag-2 naive errors: |1-1|, |5-3| -> scale 1
    assert fc.mase(np.array([2.0]), np.array([4.0]), history, 2) == pytest.approx(2.0)


def test_open_calendar_skips_closed_hours_and_fills_holidays():
    # Weekdays 08:00-11:45 in 15-minute slots for 3 weeks; the second Wednesday is a holiday.
    idx = [
        d + pd.Timedelta(minutes=15 * k)
        for d in pd.date_range("2024-01-01 08:00", periods=21, freq="D")
        if d.weekday() < 5
        for k in range(16)
    ]
    s = pd.Series(np.arange(len(idx), dtype=float) % 16 + 1, index=pd.DatetimeIndex(idx))
    s = s[s.index.normalize() != pd.Timestamp("2024-01-10")]
    prepared = fc.prepare(s, "30min")
    assert prepared.calendar.weekdays == (0, 1, 2, 3, 4)
    assert len(prepared.calendar.slots) == 8 and prepared.calendar.season_lengths == [8, 40]
    assert prepared.filled_days == (pd.Timestamp("2024-01-10"),)
    assert prepared.values.size == 15 * 8
    # the holiday took the previous Wednesday's half-hours: 1+2, 3+4, ...
    wed = prepared.values[7 * 8 : 8 * 8]
    assert wed.tolist() == [3, 7, 11, 15, 19, 23, 27, 31]
    # the future skips the weekend and the closed night
    nxt = prepared.calendar.future(prepared.index[-1], 9)
    assert nxt[0] == pd.Timestamp("2024-01-22 08:00") and nxt[8] == pd.Timestamp("2024-01-23 08:00")


def test_events_scale_and_shift_a_window():
    idx = pd.date_range("2024-03-04 09:00", periods=4, freq="60min")
    base = pd.Series([100.0, 100.0, 100.0, 100.0], index=idx)
    out = fc.apply_events(
        base,
        [
            fc.PlannerEvent(idx[1], idx[3], 1.5, "multiplicative", "mail-out"),
            fc.PlannerEvent(idx[2], idx[3] + pd.Timedelta(hours=1), -300, "additive", "outage fixed"),
        ],
    )
    assert out.tolist() == [100.0, 150.0, 0.0, 0.0]


def test_bad_grain_and_short_history_are_refused():
    s = pd.Series([1.0, 2.0], index=pd.date_range("2024-01-01", periods=2, freq="D"))
    with pytest.raises(ValueError, match="grain"):
        fc.prepare(s, "7min")
    with pytest.raises(ValueError, match="history"):
        fc.forecast(s, "D", horizon=7, models=[fc.BASELINE])


def test_daily_grain_synthetic_weekly_shape_is_learned():
    days = pd.date_range("2024-01-01", periods=7 * 30, freq="D")
    shape = np.array([120, 100, 95, 90, 110, 40, 20], dtype=float)
    rng = np.random.default_rng(3)
    y = shape[days.weekday] * (1 + 0.002 * np.arange(days.size)) + rng.normal(0, 3, days.size)
    result = fc.forecast(pd.Series(y, index=days), "D", horizon=14, models=["AutoETS"])
    assert result.forecast.index[0] == pd.Timestamp(days[-1] + pd.Timedelta(days=1))
    assert len(result.forecast) == 14
    assert result.forecast.iloc[5] < result.forecast.iloc[0]  # Saturday below Monday
    assert {s.model for s in result.scores} == {"SeasonalNaive", "AutoETS"}


@pytest.mark.slow
def test_bank_calls_chosen_model_beats_seasonal_naive():
    # Weinberg, Brown & Stroud (2007) bank arrivals, 5-minute, weekdays 07:00-21:00,
    # aggregated to 30 minutes; rolling origin, 3 folds of one open week each.
    if not BANK.exists():
        pytest.skip(f"{BANK} not present")
    raw = pd.read_csv(BANK, parse_dates=["DateTime"])
    series = pd.Series(raw["Calls"].to_numpy(dtype=float), index=raw["DateTime"].dt.tz_localize(None))
    start = time.perf_counter()
    result = fc.forecast(series, "30min", horizon=29 * 10, models=["MSTL"], folds=3)
    elapsed = time.perf_counter() - start
    by_model = {s.model: s for s in result.scores}
    base, best = by_model[fc.BASELINE], by_model[result.model]
    print(
        f"\nbank calls 30min: {fc.BASELINE} WAPE {base.wape:.2%} MASE {base.mase:.3f}; "
        f"{result.model} WAPE {best.wape:.2%} MASE {best.mase:.3f}; {elapsed:.1f} s"
    )
    print(result.explanation)
    assert result.calendar.weekdays == (0, 1, 2, 3, 4)
    assert len(result.calendar.slots) == 29  # 07:00 .. 21:00 half-hours
    assert len(result.filled_days) == 6  # the six missing weekdays of the data set
    assert result.model != fc.BASELINE
    assert best.wape < base.wape
    assert result.forecast.index[0] == pd.Timestamp("2003-10-27 07:00")  # next Monday
    assert (result.forecast >= 0).all()
