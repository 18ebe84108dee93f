"""The composite index, computed by hand (cap 1.2: on target everywhere scores 83.33)."""

from __future__ import annotations

import pytest

from concord.performance.index import ComponentInput, attainment, composite


def _card(b_too_little=False):
    return [
        ComponentInput("aht", value=360.0, target=300.0, weight=2, kind="lower", volume=500),
        ComponentInput(
            "service_level", value=100.0, target=80.0, weight=1, kind="higher", too_little_volume=b_too_little
        ),
        ComponentInput("occupancy", value=80.0, target=None, weight=1, kind="band", band_low=75, band_high=90),
    ]


def test_attainment_per_direction():
    # given / when / then: higher, lower, inside and outside a band
    assert attainment(90, kind="higher", target=80) == pytest.approx(1.125)
    assert attainment(360, kind="lower", target=300) == pytest.approx(300 / 360)
    assert attainment(0, kind="lower", target=300) == float("inf")
    assert attainment(80, kind="band", band_low=75, band_high=90) == 1.0
    assert attainment(60, kind="band", band_low=75, band_high=90) == pytest.approx(0.8)
    assert attainment(100, kind="band", band_low=75, band_high=90) == pytest.approx(0.9)


def test_index_weights_capped_attainments():
    # given aht 300/360 = 0.8333 (w2), service level 100/80 = 1.25 capped to 1.2 (w1), occupancy in band 1.0 (w1)
    result = composite(_card())
    # then points = 100 * w/4 * capped/1.2: 34.722 + 25 + 20.833 = 80.556
    assert result.component("aht").points == pytest.approx(34.7222, abs=1e-4)
    assert result.component("service_level").capped == pytest.approx(1.2)
    assert result.component("service_level").attainment == pytest.approx(1.25)
    assert result.component("service_level").points == pytest.approx(25.0)
    assert result.component("occupancy").points == pytest.approx(20.8333, abs=1e-4)
    assert result.index == pytest.approx(80.5556, abs=1e-4)


def test_too_little_volume_is_excluded_and_its_weight_redistributed():
    # given service level has too little volume
    result = composite(_card(b_too_little=True))
    sl = result.component("service_level")
    # then it is shown (with its attainment) but weighs nothing
    assert sl.status == "too_little_volume" and sl.effective_weight == 0 and sl.points == 0
    # and aht / occupancy share the 4 weight units 2:1 -> 2.667 and 1.333
    assert result.component("aht").effective_weight == pytest.approx(8 / 3)
    assert result.component("occupancy").effective_weight == pytest.approx(4 / 3)
    # index = 83.333 * (2 * 0.8333 + 1 * 1.0) / 3 = 74.074
    assert result.index == pytest.approx(74.0741, abs=1e-4)


def test_on_target_everywhere_scores_100_over_the_cap():
    result = composite([ComponentInput("a", 80, 80, 1, "higher"), ComponentInput("b", 300, 300, 3, "lower")])
    assert result.index == pytest.approx(100 / 1.2)
    assert composite([ComponentInput("a", 80, 80, 1, "higher")], cap=1.0).index == pytest.approx(100)


def test_no_scorable_component_gives_no_index():
    result = composite(
        [ComponentInput("a", None, 80, 1, "higher"), ComponentInput("b", 5, 10, 1, "higher", too_little_volume=True)]
    )
    assert result.index is None
    assert [c.status for c in result.components] == ["no_data", "too_little_volume"]


def test_a_lower_metric_at_zero_reaches_the_cap_not_infinity():
    result = composite([ComponentInput("abandon", 0.0, 5.0, 1, "lower")])
    assert result.index == pytest.approx(100.0)


def test_bad_targets_are_refused():
    with pytest.raises(ValueError, match="above zero"):
        attainment(5, kind="higher", target=0)
    with pytest.raises(ValueError, match="low <= high"):
        attainment(5, kind="band", band_low=9, band_high=1)
