"""Trend charts label each period once (seen in a demo QBR pack: "2026 Q2, 2026 Q2, 2026 Q2, 2026 Q3")."""

from __future__ import annotations

import re

import vl_convert

from concord.performance.charts import metric_trend


def _labels(points, grain):
    svg = vl_convert.vegalite_to_svg(
        metric_trend(points, label="Index", target=None, band=None, grain=grain, unit="score")
    )
    return re.findall(r">(\d{4} Q\d|[A-Z][a-z]{2} \d{4})<", svg)


def test_a_quarterly_trend_of_two_quarters_has_one_tick_a_quarter():
    points = [{"month": "2026-04-01", "value": 78.4, "volume": 1}, {"month": "2026-07-01", "value": 75.1, "volume": 1}]
    assert _labels(points, "quarter") == ["2026 Q2", "2026 Q3"]


def test_a_monthly_trend_labels_each_month_once():
    points = [{"month": f"2026-{m:02d}-01", "value": 70 + m, "volume": 1} for m in (9, 10, 11)]
    assert _labels(points, "month") == ["Sep 2026", "Oct 2026", "Nov 2026"]
