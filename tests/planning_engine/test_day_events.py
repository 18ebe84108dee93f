"""Issue #10 gap: a planner event shorter than a day shows as applied to a daily forecast, so it must be.

Hand computations: the day's share in the window, then day x (1 + (f - 1) x share) or day + a x share."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from concord.planning.engine import day_events
from concord.planning.engine import forecasting as fc

MONDAY = pd.Timestamp("2026-03-02")


def _profile_history() -> pd.Series:
    """Four Mondays, each with 100 contacts: 30 between 09:00 and 13:00, 10 at 14:00, 60 at 18:00."""
    stamps, counts = [], []
    for week in range(1, 5):
        day = MONDAY - pd.Timedelta(weeks=week)
        for hour, n in ((9, 10), (10, 10), (12, 10), (14, 10), (18, 60)):
            stamps.append(day + pd.Timedelta(hours=hour))
            counts.append(float(n))
    return pd.Series(counts, index=pd.DatetimeIndex(stamps))


def test_a_sub_day_event_acts_on_the_share_of_the_day_its_window_holds():
    profile = day_events.hour_profile(_profile_history(), MONDAY)
    assert profile[0][9:13].sum() == pytest.approx(0.3) and profile[0].sum() == pytest.approx(1.0)
    daily = pd.Series([1000.0, 800.0], index=pd.DatetimeIndex([MONDAY, MONDAY + pd.Timedelta(days=1)]))
    events = [
        fc.PlannerEvent(MONDAY + pd.Timedelta(hours=9), MONDAY + pd.Timedelta(hours=13), 1.3, "multiplicative"),
        fc.PlannerEvent(MONDAY + pd.Timedelta(hours=14), MONDAY + pd.Timedelta(hours=15), 15, "additive"),
    ]
    out, applied = day_events.apply_to_days(daily, events, profile)
    # 1000 x (1 + 0.3 x 0.3) = 1090, then + 15 x 0.1 = 1091.5; Tuesday untouched
    assert out.tolist() == pytest.approx([1091.5, 800.0])
    assert [[(d, round(s, 6)) for d, s in a] for a in applied] == [[(MONDAY, 0.3)], [(MONDAY, 0.1)]]


def test_without_a_profile_the_clock_decides_and_a_whole_day_acts_as_at_any_grain():
    daily = pd.Series([600.0], index=pd.DatetimeIndex([MONDAY]))
    half_hour_past = [fc.PlannerEvent(MONDAY + pd.Timedelta(hours=8, minutes=30), MONDAY + pd.Timedelta(hours=12,
                                      minutes=30), 2.5, "multiplicative")]  # fmt: skip
    out, _ = day_events.apply_to_days(daily, half_hour_past, None)
    assert out.iloc[0] == pytest.approx(600 * (1 + 1.5 * 4 / 24))  # 4 of 24 hours: 750
    whole = [fc.PlannerEvent(MONDAY - pd.Timedelta(days=1), MONDAY + pd.Timedelta(days=2), 1.3, "multiplicative")]
    out, _ = day_events.apply_to_days(daily, whole, {0: np.eye(24)[9]})
    assert out.iloc[0] == pytest.approx(780.0)


def test_the_daily_engine_forecast_applies_the_sub_day_event():
    days = pd.date_range("2026-01-05", periods=56, freq="D")  # eight weeks, Monday to Sunday
    history = pd.Series(100.0, index=days)
    event = fc.PlannerEvent(pd.Timestamp("2026-03-02 09:00"), pd.Timestamp("2026-03-02 13:00"), 2.0)
    result = fc.forecast(history, "D", 7, events=[event], models=[fc.BASELINE], day_profile=None)
    changed = result.forecast[result.forecast != result.base_forecast]
    assert list(changed.index) == [pd.Timestamp("2026-03-02")]
    assert changed.iloc[0] == pytest.approx(result.base_forecast.iloc[0] * (1 + 4 / 24))
