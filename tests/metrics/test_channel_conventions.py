"""Each metric on the channels it means something for (DOMAIN.md: ASA, service level and abandonment on
live channels; handle time where handle time exists). Every expected number is worked out by hand."""

from __future__ import annotations

import pytest

from concord.metrics import MetricRef

from .metric_fixtures import interaction

MIXED = [
    # voice: answered after 10 s and 30 s (talk 100 s, 200 s), one abandon after 40 s of wait
    interaction(channel="voice", answer_after=10.0, talk_seconds=100.0),
    interaction(channel="voice", answer_after=30.0, talk_seconds=200.0),
    interaction(channel="voice", abandoned=True, answer_after=40.0),
    # chat: answered after 5 s, 60 s of talk
    interaction(channel="chat", answer_after=5.0, talk_seconds=60.0),
    # e-mail tickets: first response an hour later, no talk/hold/wrap time at all
    *[interaction(channel="email", answer_after=3600.0, wait_seconds=None) for _ in range(3)],
]
METRICS = ["aht", "asa", "service_level", "abandon_rate"]


def test_tickets_do_not_distort_voice_and_chat_metrics_by_default(measure):
    values = measure(METRICS, interactions=MIXED).rows[0].values
    # AHT over contacts with a handle time: (100 + 200 + 60) / 3 = 120 s (tickets left out, not 0 s)
    assert (values["aht"].value, values["aht"].volume) == (pytest.approx(120.0), 3)
    # ASA on voice and chat: (10 + 30 + 5) / 3 = 15 s
    assert (values["asa"].value, values["asa"].volume) == (pytest.approx(15.0), 3)
    # SL(20 s): 10 s and 5 s are within, 30 s is not; 3 answered + 1 abandon = 2 / 4 = 50%
    assert values["service_level"].value == pytest.approx(50.0)
    # abandon rate: 1 abandon / 4 live contacts offered = 25%
    assert values["abandon_rate"].value == pytest.approx(25.0)


def test_every_channel_is_still_there_to_ask_for(measure):
    refs = [MetricRef("service_level", {"channels": ()}), MetricRef("abandon_rate", {"channels": ()})]
    values = measure(refs, interactions=MIXED).rows[0].values
    # all 6 answered (3 tickets at 3600 s) + 1 abandon: 2 / 7 within 20 s; 1 / 7 abandoned
    assert values["service_level(channels=())"].value == pytest.approx(200 / 7)
    assert values["abandon_rate(channels=())"].value == pytest.approx(100 / 7)


def test_a_scorecard_by_channel_gives_each_metric_only_on_its_channels(measure):
    rows = {r.dimensions["channel"]: r.values for r in measure(METRICS, interactions=MIXED, group_by=("channel",)).rows}
    assert rows["voice"]["aht"].value == pytest.approx(150.0)  # (100 + 200) / 2
    assert rows["voice"]["service_level"].value == pytest.approx(100 / 3)  # 10 s within; 30 s and the abandon not
    for metric in METRICS:  # an e-mail has no handle time, no speed of answer, no service level, no abandon
        assert (rows["email"][metric].value, rows["email"][metric].volume) == (None, 0), metric


SL_ROWS = [
    interaction(answer_after=10.0),  # within 20 s
    interaction(answer_after=20.0),  # within (<= T)
    interaction(answer_after=25.0),  # late
    interaction(abandoned=True, answer_after=3.0),  # short abandon (< 5 s)
    interaction(abandoned=True, answer_after=8.0),  # abandon within T
    interaction(abandoned=True, answer_after=None, wait_seconds=None),  # abandon, wait unknown
]


@pytest.mark.parametrize(
    ("abandons", "expected"),
    [
        ("short_excluded", 100 * 2 / 5),  # 2 within / (3 answered + 2 abandons after 5 s)
        ("ignored", 100 * 2 / 3),  # 2 within / 3 answered
        ("against", 100 * 2 / 6),  # 2 within / (3 answered + 3 abandons)
        ("met_within", 100 * 4 / 6),  # (2 within + abandons at 3 s and 8 s) / 6; the unknown wait is not met
    ],
)
def test_service_level_variants_count_abandons_as_chosen(measure, abandons, expected):
    ref = MetricRef("service_level", {"abandons": abandons})
    [value] = measure([ref], interactions=SL_ROWS).rows[0].values.values()
    assert value.value == pytest.approx(expected)


def test_an_unknown_variant_names_the_choices(measure):
    with pytest.raises(ValueError, match="must be one of short_excluded, ignored, against, met_within"):
        measure([MetricRef("service_level", {"abandons": "sometimes"})], interactions=SL_ROWS)
