"""The drift detector on small series worked out by hand."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from concord.metrics import drift

MONDAY = dt.date(2026, 3, 2)


def _days(n: int, start: dt.date = MONDAY) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(n)]


def _alternating_baseline() -> tuple[list[float], list[float]]:
    # 28 days of 100 contacts, 80 and 70 resolved by turns: every weekday sees two of each
    return [80.0 if i % 2 == 0 else 70.0 for i in range(28)], [100.0] * 28


def test_a_sustained_drop_alarms_on_the_day_worked_out_by_hand():
    # given the baseline: pooled mean 0.75, Pearson unit variance 28 * 100 * 0.05^2 / 27 = 7/27
    # (above the binomial 0.75 * 0.25), sigma = sqrt(7/27 / 100) = 0.050918
    nums, dens = _alternating_baseline()
    nums += [60.0] * 4
    dens += [100.0] * 4
    result = drift.detect(_days(32), nums, dens, baseline_days=28, direction="down")
    sigma = math.sqrt(7 / 27 / 100)
    assert result.baseline.sigma == pytest.approx(sigma)
    assert result.baseline.weekday_effect is False
    # each day: x = (0.60 - 0.75) / sigma = -2.9459; S = 2.4459, 4.8918, 7.3377 > 5 on the third day
    x = 0.15 / sigma
    # the path shows the statistic as it crossed (it restarts at 0 the day after)
    assert result.lower[28:32] == pytest.approx([x - 0.5, 2 * (x - 0.5), 3 * (x - 0.5), x - 0.5])
    assert result.alarms == [MONDAY + dt.timedelta(days=30)]
    assert result.alarm_sides == ["down"]
    assert result.parameters.h == 5.0 and result.parameters.k == 0.5


def test_watching_upward_only_ignores_a_drop():
    nums, dens = _alternating_baseline()
    result = drift.detect(
        _days(32), [*nums, 60, 60, 60, 60], [*dens, 100, 100, 100, 100], baseline_days=28, direction="up"
    )
    assert result.alarms == []
    assert result.parameters.h == 5.0


def test_both_sides_use_the_wider_interval():
    nums, dens = _alternating_baseline()
    # S after 2 days 4.8918 (< 5.6), after 3 days 7.3377 > 5.6: still the third day
    result = drift.detect(_days(32), [*nums, 60, 60, 60, 60], [*dens, 100, 100, 100, 100], baseline_days=28)
    assert result.parameters.h == 5.6
    assert result.alarms == [MONDAY + dt.timedelta(days=30)]


def test_a_day_below_the_minimum_volume_does_not_move_the_chart():
    nums, dens = _alternating_baseline()
    nums += [60.0, 0.0, 60.0, 60.0]
    dens += [100.0, 5.0, 100.0, 100.0]
    result = drift.detect(_days(32), nums, dens, baseline_days=28, direction="down", min_volume=10)
    assert result.values[29] is None
    assert result.lower[29] == pytest.approx(result.lower[28])
    assert result.alarms == [MONDAY + dt.timedelta(days=31)]


def test_a_day_weighs_by_its_volume():
    # a day with twice the average volume counts twice: r = 200 * mean(1/100) = 2
    nums, dens = _alternating_baseline()
    result = drift.detect(_days(29), [*nums, 120.0], [*dens, 200.0], baseline_days=28, direction="down")
    x = 0.15 / math.sqrt(7 / 27 / 100)
    assert result.lower[28] == pytest.approx(2 * (x - 0.5))
    assert result.alarms == []  # 4.89 < 5


def test_a_steady_weekend_dip_is_the_baseline_not_drift():
    # weekdays 80 %, weekends 60 % on 1000 contacts: a weekday effect far beyond noise
    days = _days(70)
    nums = [600.0 if d.weekday() >= 5 else 800.0 for d in days]
    dens = [1000.0] * 70
    result = drift.detect(days, nums, dens, baseline_days=56, direction="both")
    assert result.baseline.weekday_effect is True
    assert result.baseline.means[5] == pytest.approx(0.6)
    assert result.baseline.means[0] == pytest.approx(0.8)
    assert result.alarms == []


def test_a_mean_per_unit_is_checked_like_a_rate():
    # handle time: seconds over contacts; no binomial floor (not a share)
    rng = np.random.default_rng(4)
    dens = rng.integers(80, 120, 90).astype(float)
    means = 300 + rng.normal(0, 60, 90) / np.sqrt(dens)
    means[60:] += 30  # 30 s longer: far beyond sigma ~ 6 s
    result = drift.detect(_days(90), list(means * dens), list(dens), baseline_days=56, direction="up")
    assert 5 < result.baseline.sigma < 8
    assert result.alarms and result.alarms[0] <= MONDAY + dt.timedelta(days=61)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"baseline_days": 14}, "at least 28"),
        ({"baseline_days": 40}, "nothing is left"),
        ({"baseline_days": 28, "direction": "sideways"}, "direction must be"),
        ({"baseline_days": 28, "min_volume": 1000}, "cannot set limits"),
    ],
)
def test_series_that_cannot_be_checked_say_why(kwargs, message):
    nums, dens = _alternating_baseline()
    with pytest.raises(drift.DriftInputError, match=message):
        drift.detect(_days(32), [*nums, 1, 1, 1, 1], [*dens, 2, 2, 2, 2], **kwargs)


def test_as_json_has_the_documented_keys():
    nums, dens = _alternating_baseline()
    out = drift.detect(_days(32), [*nums, 60, 60, 60, 60], [*dens, 100, 100, 100, 100], baseline_days=28).as_json()
    assert set(out) == {"alarms", "method", "parameters"}
    assert out["alarms"] == ["2026-04-01"]
    assert out["parameters"]["k"] == 0.5
