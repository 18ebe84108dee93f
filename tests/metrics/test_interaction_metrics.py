"""Every interaction metric on small fixtures whose answers are worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from concord.metrics import MetricRef

from .metric_fixtures import T0, interaction, only


def test_aht_sums_talk_hold_wrap_over_handled_contacts(measure):
    rows = [
        interaction(talk_seconds=100.0, hold_seconds=20.0, wrap_seconds=30.0),  # 150
        interaction(talk_seconds=200.0, hold_seconds=0.0, wrap_seconds=None),  # 200, missing wrap = 0
        interaction(talk_seconds=50.0, hold_seconds=10.0, wrap_seconds=40.0),  # 100
        interaction(abandoned=True, answer_after=30.0, talk_seconds=999.0),  # not handled
        interaction(answer_after=None, talk_seconds=999.0),  # never answered: not handled
    ]
    aht = only(measure(["aht"], interactions=rows), "aht")
    # (150 + 200 + 100) / 3 = 150
    assert aht.value == pytest.approx(150.0)
    assert (aht.numerator, aht.denominator, aht.volume) == (450.0, 3.0, 3)
    assert aht.too_little_volume  # default minimum 30
    relaxed = only(measure([MetricRef("aht", min_volume=3)], interactions=rows), "aht")
    assert not relaxed.too_little_volume


def test_asa_falls_back_to_answered_minus_created_when_wait_is_missing(measure):
    rows = [
        interaction(answer_after=10.0),
        interaction(answer_after=30.0),
        interaction(answer_after=45.0, wait_seconds=None),  # wait from the timestamps: 45
        interaction(abandoned=True, answer_after=100.0),  # abandoned: no answer
    ]
    asa = only(measure(["asa"], interactions=rows), "asa")
    # (10 + 30 + 45) / 3 = 28.333...
    assert asa.value == pytest.approx(85 / 3)
    assert asa.volume == 3


SL_ROWS = [
    interaction(answer_after=10.0),  # within 20 and 30
    interaction(answer_after=20.0),  # within 20 (<= T) and 30
    interaction(answer_after=25.0),  # within 30 only
    interaction(abandoned=True, answer_after=3.0),  # short abandon: out of SL entirely
    interaction(abandoned=True, answer_after=8.0),  # real abandon
    interaction(abandoned=True, answer_after=None, wait_seconds=None),  # unknown wait: real
]


def test_service_level_excludes_short_abandons_and_takes_params(measure):
    result = measure(
        [MetricRef("service_level"), MetricRef("service_level", {"threshold_seconds": 30})],
        interactions=SL_ROWS,
    )
    sl20 = only(result, "service_level")
    sl30 = only(result, "service_level(threshold_seconds=30)")
    # denominator: 3 answered + 2 abandons after 5 s = 5
    assert (sl20.numerator, sl20.denominator) == (2.0, 5.0)
    assert sl20.value == pytest.approx(40.0)  # 2 / 5
    assert sl30.value == pytest.approx(60.0)  # 3 / 5
    # With a 2-second short-abandon threshold the 3-second abandon counts: 2 / 6
    strict = measure([MetricRef("service_level", {"short_abandon_seconds": 2})], interactions=SL_ROWS)
    assert only(strict, "service_level(short_abandon_seconds=2)").value == pytest.approx(100 / 3)


def test_abandon_rate_counts_abandons_after_the_threshold_over_offered(measure):
    ab = only(measure(["abandon_rate"], interactions=SL_ROWS), "abandon_rate")
    # 2 real abandons / 6 offered
    assert (ab.numerator, ab.denominator) == (2.0, 6.0)
    assert ab.value == pytest.approx(100 / 3)


def test_everything_abandoned(measure):
    rows = [
        interaction(abandoned=True, answer_after=10.0),
        interaction(abandoned=True, answer_after=20.0),
        interaction(abandoned=True, answer_after=2.0),  # short
    ]
    result = measure(
        ["aht", "asa", "service_level", "abandon_rate", "transfer_rate", "contacts_handled"],
        interactions=rows,
    )
    values = result.rows[0].values
    assert values["aht"].value is None and values["aht"].volume == 0
    assert values["asa"].value is None
    assert values["transfer_rate"].value is None
    assert values["service_level"].value == 0.0  # 0 answered in time / 2 real abandons
    assert values["service_level"].volume == 2
    assert values["abandon_rate"].value == pytest.approx(200 / 3)  # 2 / 3
    assert values["contacts_handled"].value == 0.0


def test_zero_volume_gives_none_not_a_crash(measure):
    from concord.metrics import REGISTRY

    interaction_keys = [k for k, m in REGISTRY.items() if m.source == "interactions"]
    result = measure(interaction_keys, interactions=[])
    assert len(result.rows) == 1
    for key, value in result.rows[0].values.items():
        assert value.volume == 0, key
        if REGISTRY[key].unit == "count":
            assert value.value == 0.0
        else:
            assert value.value is None, key
            assert value.too_little_volume
    # grouped, nothing to group: no rows at all
    assert measure(["aht"], interactions=[], group_by=("provider",), grain="day").rows == []


def test_first_response_median_and_p90_over_async_channels(measure):
    rows = [
        interaction(channel="email", answer_after=s, wait_seconds=None) for s in (60.0, 120.0, 180.0, 240.0, 600.0)
    ] + [interaction(channel="voice", answer_after=5.0)]  # synchronous: not measured
    result = measure(["first_response_median", "first_response_p90"], interactions=rows)
    values = result.rows[0].values
    # sorted 60 120 180 240 600: median is the third, 180
    assert values["first_response_median"].value == pytest.approx(180.0)
    # p90 interpolates at (5 - 1) * 0.9 = 3.6: 240 + 0.6 * (600 - 240) = 456
    assert values["first_response_p90"].value == pytest.approx(456.0)
    assert values["first_response_p90"].volume == 5


def test_resolution_median_and_p90(measure):
    rows = [interaction(resolve_after=h * 3600.0) for h in (1, 2, 3, 4)] + [
        interaction(resolve_after=None)  # open: not measured
    ]
    result = measure(["resolution_median", "resolution_p90"], interactions=rows)
    values = result.rows[0].values
    # median of 1h 2h 3h 4h = 2.5 h = 9000 s
    assert values["resolution_median"].value == pytest.approx(9000.0)
    # p90 at (4 - 1) * 0.9 = 2.7: 3h + 0.7h = 3.7 h = 13320 s
    assert values["resolution_p90"].value == pytest.approx(13320.0)
    assert values["resolution_median"].volume == 4


def _at(day: int, hour: int = 10, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


FCR_ROWS = [
    interaction(created_at=_at(2), customer_key="A", resolve_after=60.0),  # A1: repeat on 5th
    interaction(created_at=_at(5), customer_key="A", resolve_after=60.0, provider="P2"),  # A2
    interaction(created_at=_at(10), customer_key="B", resolve_after=60.0),  # B1: next 8 days on
    interaction(created_at=_at(18), customer_key="B", resolve_after=60.0),  # B2
    interaction(created_at=_at(19), customer_key="C", resolve_after=60.0),  # C1: repeat on 22nd
    interaction(created_at=_at(22), customer_key="C", resolve_after=None),  # C2: after the range
    interaction(created_at=_at(3), customer_key=None, resolve_after=60.0),  # no customer: out
    interaction(created_at=_at(4), customer_key="E", resolve_after=None),  # unresolved: out
]
LATE = interaction(created_at=_at(30, month=4), customer_key="Z")  # moves the data horizon


def test_fcr_counts_repeats_past_the_range_end_and_on_other_providers(measure):
    result = measure(["fcr"], interactions=[*FCR_ROWS, LATE], start=date(2026, 3, 1), end=date(2026, 3, 20))
    fcr = only(result, "fcr")
    # resolved with a customer in range: A1 A2 B1 B2 C1 = 5; without repeat in 7 days:
    # A2, B1 (next is 8 days later), B2 = 3. C1's repeat lands after the range: still a repeat.
    assert (fcr.numerator, fcr.denominator) == (3.0, 5.0)
    assert fcr.value == pytest.approx(60.0)


def test_fcr_repeat_may_come_from_another_provider(measure):
    result = measure(
        ["fcr"],
        interactions=[*FCR_ROWS, LATE],
        start=date(2026, 3, 1),
        end=date(2026, 3, 20),
        filters={"provider": ["P1"]},
    )
    fcr = only(result, "fcr")
    # P1's resolved: A1 B1 B2 C1 = 4; A1 repeated at P2, C1 after the range: 2 / 4
    assert (fcr.numerator, fcr.denominator) == (2.0, 4.0)


def test_fcr_leaves_out_contacts_whose_window_is_not_over(measure):
    # Without the late contact the data ends on March 22 (C2): only contacts created by
    # March 15 have seen their 7 days: A1 A2 B1, of which A2 and B1 had no repeat.
    mature = measure(["fcr"], interactions=FCR_ROWS, start=date(2026, 3, 1), end=date(2026, 3, 20))
    assert (only(mature, "fcr").numerator, only(mature, "fcr").denominator) == (2.0, 3.0)
    everything = measure(
        [MetricRef("fcr", {"mature_only": False})],
        interactions=FCR_ROWS,
        start=date(2026, 3, 1),
        end=date(2026, 3, 20),
    )
    assert only(everything, "fcr(mature_only=False)").value == pytest.approx(60.0)


def test_fcr_repeat_exactly_at_the_window_edge_is_a_repeat(measure):
    rows = [
        interaction(created_at=_at(1), customer_key="F", resolve_after=60.0),
        interaction(created_at=_at(1) + timedelta(days=7), customer_key="F"),  # exactly 7 days
        interaction(created_at=_at(1), customer_key="G", resolve_after=60.0),
        interaction(created_at=_at(1) + timedelta(days=7, seconds=1), customer_key="G"),
        LATE,
    ]
    result = measure([MetricRef("fcr", {"window_days": 7})], interactions=rows, end=date(2026, 3, 2))
    fcr = only(result, "fcr(window_days=7)")
    assert (fcr.numerator, fcr.denominator) == (1.0, 2.0)  # G only
    shorter = measure([MetricRef("fcr", {"window_days": 3})], interactions=rows, end=date(2026, 3, 2))
    assert only(shorter, "fcr(window_days=3)").value == pytest.approx(100.0)


def test_reopen_transfer_escalation_rates(measure):
    rows = [
        interaction(resolve_after=60.0, reopened=True, transferred=True),
        interaction(resolve_after=60.0, escalated=True),
        interaction(resolve_after=60.0, escalated=True),
        interaction(resolve_after=60.0),
        interaction(reopened=True),  # reopened but not resolved: not in the reopen rate
        interaction(abandoned=True, transferred=True, escalated=True),  # not handled
    ]
    values = measure(["reopen_rate", "transfer_rate", "escalation_rate"], interactions=rows).rows[0].values
    assert values["reopen_rate"].value == pytest.approx(25.0)  # 1 / 4 resolved
    assert values["transfer_rate"].value == pytest.approx(20.0)  # 1 / 5 handled
    assert values["escalation_rate"].value == pytest.approx(40.0)  # 2 / 5 handled
    assert values["transfer_rate"].volume == 5


def test_csat_top_two_box_and_mean_count_responses_only(measure):
    rows = [interaction(csat=c) for c in (5, 4, 3, 1)] + [interaction(), interaction()]
    values = measure(["csat", "csat_mean"], interactions=rows).rows[0].values
    assert values["csat"].value == pytest.approx(50.0)  # 2 of 4 responses are 4-5
    assert values["csat"].volume == 4
    assert values["csat_mean"].value == pytest.approx(3.25)  # 13 / 4


def test_missing_surveys(measure):
    values = measure(["csat", "csat_mean", "nps"], interactions=[interaction()] * 3).rows[0].values
    for key in ("csat", "csat_mean", "nps"):
        assert values[key].value is None and values[key].volume == 0


def test_nps_promoters_minus_detractors(measure):
    # promoters 10 9, passives 8 7, detractors 6 0: (2 - 2) / 6 = 0
    balanced = [interaction(nps=n) for n in (10, 9, 8, 7, 6, 0)] + [interaction()]
    nps = only(measure(["nps"], interactions=balanced), "nps")
    assert nps.value == 0.0 and nps.volume == 6
    # promoters 10 10 9, passive 7, detractor 3: (3 - 1) / 5 * 100 = 40
    leaning = [interaction(nps=n) for n in (10, 10, 9, 7, 3)]
    assert only(measure(["nps"], interactions=leaning), "nps").value == pytest.approx(40.0)
    # all detractors: -100
    assert only(measure(["nps"], interactions=[interaction(nps=1)]), "nps").value == -100.0


def test_contacts_handled_and_offered(measure):
    rows = [interaction(), interaction(), interaction(abandoned=True), interaction(answer_after=None)]
    values = measure(["contacts_handled", "contacts_offered"], interactions=rows).rows[0].values
    assert values["contacts_handled"].value == 2.0
    assert values["contacts_offered"].value == 4.0
    assert not values["contacts_offered"].too_little_volume


def test_channel_param_restricts_service_level(measure):
    rows = [
        interaction(channel="voice", answer_after=10.0),
        interaction(channel="chat", answer_after=60.0),
    ]
    result = measure(
        [MetricRef("service_level", {"channels": ("voice",)}, alias="voice_sl"), "service_level"],
        interactions=rows,
    )
    assert only(result, "voice_sl").value == 100.0
    assert only(result, "service_level").value == 50.0


def test_group_by_and_filters(measure):
    rows = [
        interaction(provider="P1", site="S1", talk_seconds=100.0),
        interaction(provider="P1", site="S2", talk_seconds=200.0),
        interaction(provider="P2", site="S3", talk_seconds=300.0),
        interaction(provider="P2", site="S3", talk_seconds=500.0, language="es"),
    ]
    result = measure(["aht"], interactions=rows, group_by=("provider",))
    assert [(r.dimensions["provider"], r.values["aht"].value) for r in result.rows] == [
        ("P1", 150.0),
        ("P2", 400.0),
    ]
    filtered = measure(["aht"], interactions=rows, filters={"language": ["en"], "site": ["S2", "S3"]})
    assert only(filtered, "aht").value == pytest.approx(250.0)  # 200 and 300
    assert result.value("aht", provider="P2").volume == 2
    assert T0.tzinfo is UTC
