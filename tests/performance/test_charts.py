"""Issue #10.6: a chart's axis reads in the unit its table uses, sparklines show change, one palette."""

from __future__ import annotations

import re
from pathlib import Path

import vl_convert

from concord.performance import charts
from concord.web import palette

AHT = [
    {"month": "2026-06-01", "value": 450.0, "volume": 900},
    {"month": "2026-07-01", "value": 488.0, "volume": 950},
]


def _axis_labels(spec) -> set[str]:
    svg = vl_convert.vegalite_to_svg({**spec, "width": 400})
    return set(re.findall(r"<text[^>]*>([^<]+)</text>", svg))


def test_handle_time_axis_reads_minutes_and_seconds():
    # the table shows 7m 30s and 8m 08s: the axis ticks read 7:30 ... 8:00, not 450 ... 480
    labels = _axis_labels(charts.metric_trend(AHT, label="AHT", target=450.0, band=None, unit="seconds"))
    assert "7:30" in labels and "8:00" in labels
    assert "450" not in labels and "480" not in labels
    assert "AHT (m:ss)" in labels


def test_percentage_axis_carries_the_percent_sign():
    points = [{"month": "2026-06-01", "value": 69.4, "volume": 1}, {"month": "2026-07-01", "value": 75.0, "volume": 1}]
    labels = _axis_labels(charts.metric_trend(points, label="Service level", target=80.0, band=None, unit="percent"))
    assert "70%" in labels and "80%" in labels


def test_a_sparkline_is_scaled_to_its_series():
    spec = charts.sparkline([{"month": "2026-06-01", "index": 66.0}, {"month": "2026-07-01", "index": 70.0}])
    scale = spec["encoding"]["y"]["scale"]
    assert "domain" not in scale and scale["zero"] is False  # 0-100 drew every provider as a flat line


def test_one_palette_for_charts_and_badges():
    spec = charts.metric_trend(AHT, label="AHT", target=450.0, band=None, unit="seconds")
    layers = spec["layer"]
    assert layers[0]["mark"]["color"] == palette.SERIES and layers[1]["mark"]["color"] == palette.NEUTRAL
    css = (Path(charts.__file__).parents[1] / "web/static/concord/concord.css").read_text()
    for name, colour in (("good", palette.GOOD), ("bad", palette.BAD), ("warn", palette.WARN)):
        assert f"--{name}: {colour}" in css


def _layer_data(spec) -> list[list[dict]]:
    return [layer["data"]["values"] for layer in spec["layer"]]


def test_trends_of_one_shape_each_carry_their_own_numbers_and_changes():
    # given two views of the same line (same label, target and unit) with different numbers, e.g. before
    # and after a lake commit, and a knowledge change whose title holds a control character
    later = [*AHT, {"month": "2026-08-01", "value": 470.0, "volume": 990}]
    change = [{"day": "2026-07-15", "title": "Refunds\x07 (v2)"}]
    # when both specs are built, the second after the first
    first = charts.metric_trend(AHT, label="AHT", target=450.0, band=None, unit="seconds")
    second = charts.metric_trend(later, label="AHT", target=450.0, band=None, unit="seconds", changes=change)
    third = charts.metric_trend(AHT, label="AHT", target=450.0, band=None, unit="seconds")
    # then each holds exactly its own points (3 months vs 2), the target, and its change, stripped
    assert _layer_data(first) == [AHT, [{"target": 450.0}]]
    stripped = [{"day": "2026-07-15", "title": "Refunds (v2)"}]
    # a rule, and a label layer for each line labels take turns on
    assert _layer_data(second) == [later, [{"target": 450.0}], stripped, *[stripped] * charts.LABEL_LINES]
    assert _layer_data(third) == _layer_data(first)
    # and filling one spec never changes another's
    second["layer"][0]["data"]["values"].append({"month": "2026-09-01", "value": 1.0, "volume": 1})
    assert _layer_data(charts.metric_trend(later, label="AHT", target=450.0, band=None, unit="seconds"))[0] == later


def test_knowledge_changes_days_apart_are_labelled_on_lines_of_their_own():
    # the demo's last month: five changes within a week drew their titles over each other in one smudge
    points = [{"month": f"2026-{m:02d}-01", "value": 80.0 + m, "volume": 100} for m in range(6, 12)]
    days = range(20, 30, 2)
    changes = [{"day": f"2026-11-{d}", "title": f"Refund policy change {i} (v2)"} for i, d in enumerate(days)]
    spec = charts.metric_trend(points, label="Service level", target=80.0, band=None, unit="percent", changes=changes)
    svg = vl_convert.vegalite_to_svg({**spec, "width": 400})
    label = r'<text[^>]*transform="translate\([-\d.]+,([-\d.]+)\)"[^>]*>(Refund policy[^<]*)<'
    lines = {title: float(y) for y, title in re.findall(label, svg)}
    assert sorted(lines) == [c["title"] for c in changes]
    assert len(set(lines.values())) == 5, lines  # each on a line of its own, the first at the top
    assert lines["Refund policy change 0 (v2)"] == min(lines.values())
