"""Benchmark, cohort curves, week reached and the derived ramp, against hand computations.

Internal team INT, tenured agents (tenure week > 26) with at least AHT's minimum volume (30):
  i1: week 30 30 contacts x 300 s, week 31 30 x 400 s -> pooled 21,000 / 60 = 350
  i2: week 40 30 x 400 s -> 400;  i3: week 27 30 x 500 s -> 500
  i4: week 26 only (not tenured) 30 x 100 s -> out;  i5: week 50, 10 contacts -> too little volume, out
  median(350, 400, 500) = 400; band 10 %: proficient at AHT <= 440.
Atlas (ATL) site S1, January cohort: 5 agents x 10 contacts a week (cohort volume 50 >= 30):
  week 0 AHT 800, week 1 600, week 2 450 (above 440), week 3 420 -> reached in week 3.
  ramp after training: 400/800, 400/600, 400/450 = 0.5, 0.6667, 0.8889.
Atlas S1 February cohort: 2 agents x 15 contacts at 300 s in week 0 -> reached in week 0, but too small
  (shown, not used).
Atlas S2 January cohort: 5 agents x 4 contacts at 400 s in week 1 (volume 20 < 30), 900 s in week 2:
  not yet.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from concord.knowledge.ramp.curves import benchmark, curves, in_band, observed, ramp_fractions, usable
from concord.knowledge.ramp.tenure import AgentWeek

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def _w(provider, agent, week, contacts, seconds, site="S1", month=JAN):
    return AgentWeek(provider, site, agent, month, week, month + timedelta(weeks=week), contacts * seconds, contacts,
                     contacts)  # fmt: skip


INTERNAL = [
    _w("INT", "i1", 30, 30, 300), _w("INT", "i1", 31, 30, 400), _w("INT", "i2", 40, 30, 400),
    _w("INT", "i3", 27, 30, 500), _w("INT", "i4", 26, 30, 100), _w("INT", "i5", 50, 10, 100),
]  # fmt: skip
JANUARY = [_w("ATL", f"a{n}", week, 10, s) for n in range(5) for week, s in enumerate((800, 600, 450, 420))]
FEBRUARY = [_w("ATL", f"f{n}", 0, 15, 300, month=FEB) for n in range(2)]
STALLED = [_w("ATL", f"s{n}", w, 4, s, site="S2") for n in range(5) for w, s in ((1, 400), (2, 900))]
ALL = INTERNAL + JANUARY + FEBRUARY + STALLED


def test_benchmark_is_the_median_of_tenured_internal_agents():
    b = benchmark(ALL, metric="aht", internal={"INT"})
    assert (b.value, b.agents) == (400, 3)
    assert benchmark(ALL, metric="aht", internal={"NOBODY"}).value is None


def test_cohort_curves_and_the_week_each_reaches_the_band():
    by_key = {(c.site, c.hire_month): c for c in curves(ALL, metric="aht", level="cohort", bench=400)
              if c.provider == "ATL"}  # fmt: skip
    jan = by_key[("S1", JAN)]
    assert [(p.week, p.value, p.volume, p.agents) for p in jan.points] == [
        (0, 800, 50, 5), (1, 600, 50, 5), (2, 450, 50, 5), (3, 420, 50, 5)
    ]
    assert (jan.agents, jan.too_small, jan.reached_week) == (5, False, 3)
    feb = by_key[("S1", FEB)]
    assert (feb.agents, feb.too_small, feb.reached_week) == (2, True, 0)
    stalled = by_key[("S2", JAN)]
    assert [(p.week, p.value, p.enough) for p in stalled.points] == [(1, 400, False), (2, 900, False)]
    assert stalled.reached_week is None  # "not yet": week 1 is in the band on 20 contacts only


def test_a_wider_band_is_reached_sooner():
    jan = next(c for c in curves(JANUARY, metric="aht", level="cohort", bench=400, band_percent=15))
    assert jan.reached_week == 2  # 450 <= 400 x 1.15 = 460


def test_band_direction_follows_the_metric():
    assert in_band(81.0, 90.0, metric="fcr") and not in_band(80.9, 90.0, metric="fcr")
    assert in_band(95.0, 90.0, metric="csat")  # better than the internal team is proficient too
    assert in_band(440.0, 400.0, metric="aht") and not in_band(440.5, 400.0, metric="aht")


def test_provider_curve_from_usable_cohorts_gives_the_hiring_ramp():
    kept = usable(ALL)
    assert {w.agent for w in kept if w.provider == "ATL"} == {f"a{n}" for n in range(5)} | {f"s{n}" for n in range(5)}
    atlas = next(c for c in curves(kept, metric="aht", level="provider", bench=400) if c.provider == "ATL")
    # S2's week 1 (20 contacts at 400) pools with January's week 1: (50 x 600 + 20 x 400) / 70 = 542.857
    assert atlas.points[1].value == pytest.approx(38_000 / 70)
    # week 2: (50 x 450 + 20 x 900) / 70 = 578.571; week 3: 420 -> reached in week 3
    assert atlas.reached_week == 3
    assert ramp_fractions(atlas, 400, metric="aht") == pytest.approx((0.5, 400 / (38_000 / 70), 400 / (40_500 / 70)))
    jan = next(c for c in curves(JANUARY, metric="aht", level="cohort", bench=400))
    assert ramp_fractions(jan, 400, metric="aht") == pytest.approx((0.5, 2 / 3, 400 / 450))


def test_no_ramp_from_a_curve_that_never_reaches_the_band():
    stalled = next(c for c in curves(STALLED, metric="aht", level="provider", bench=400))
    assert ramp_fractions(stalled, 400, metric="aht") is None


def test_cohorts_hired_before_the_data_begins_are_left_out():
    # the data begins 1 January (JANUARY's week 0); a December cohort first seen in its week 5 is not observed
    december = [_w("ATL", f"d{n}", 5, 10, 420, month=date(2025, 12, 1)) for n in range(5)]
    kept = observed(JANUARY + december)
    assert {w.agent for w in kept} == {f"a{n}" for n in range(5)}
    assert {w.agent for w in usable(JANUARY + december)} == {f"a{n}" for n in range(5)}
