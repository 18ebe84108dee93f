"""Interval and roster metrics: occupancy, ACD service level, productivity, attrition, tenure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from concord.metrics import MetricRef

from .metric_fixtures import interaction, interval, only, roster_row

INTERVALS = [
    interval(
        offered=58,
        answered=50,
        abandoned=5,
        short_abandoned=3,
        answered_within_threshold=40,
        handle_seconds=1800.0,
        available_seconds=900.0,
    ),
    interval(
        offered=55,
        answered=40,
        abandoned=10,
        short_abandoned=5,
        answered_within_threshold=30,
        handle_seconds=2700.0,
        available_seconds=300.0,
        site="S2",
    ),
]


def test_interval_metrics(measure):
    keys = ["occupancy", "interval_service_level", "interval_abandon_rate", "contacts_per_productive_hour"]
    values = measure(keys, intervals=INTERVALS).rows[0].values
    # handle 4500 / (4500 + available 1200) = 78.947 %
    assert values["occupancy"].value == pytest.approx(4500 / 5700 * 100)
    assert values["occupancy"].volume == 1  # 5700 s = 1.58 productive hours
    # within threshold 70 / (answered 90 + abandoned 15) = 66.67 %
    assert values["interval_service_level"].value == pytest.approx(70 / 105 * 100)
    # abandoned 15 / offered 113
    assert values["interval_abandon_rate"].value == pytest.approx(15 / 113 * 100)
    # answered 90 / 1.5833 h = 56.84 per hour
    assert values["contacts_per_productive_hour"].value == pytest.approx(90 / (5700 / 3600))


def test_interval_metrics_by_site_and_zero_volume(measure):
    result = measure(["occupancy"], intervals=INTERVALS, group_by=("site",))
    assert [r.values["occupancy"].value for r in result.rows] == [
        pytest.approx(200 / 3),  # S1: 1800 / 2700
        pytest.approx(90.0),  # S2: 2700 / 3000
    ]
    empty = measure(["occupancy", "contacts_per_productive_hour"], intervals=[])
    assert all(v.value is None and v.volume == 0 for v in empty.rows[0].values.values())


def test_interval_metrics_cannot_be_cut_by_agent(measure):
    with pytest.raises(ValueError, match="intervals table, which has no agent"):
        measure(["occupancy"], intervals=INTERVALS, group_by=("agent",))


# Weekly roster snapshots in March 2026 (Mondays 2, 9, 16, 23, 30).
SNAPSHOTS = [date(2026, 3, 2) + timedelta(days=7 * i) for i in range(5)]
LONG_AGO = date(2025, 1, 1)


def _roster():
    rows = []
    for snap in SNAPSHOTS:
        rows += [roster_row(f"A{i}", snap, LONG_AGO) for i in range(10)]
        # X leaves on the 12th (voluntary); the rows after keep the exit date
        rows.append(roster_row("X", snap, date(2025, 6, 1), date(2026, 3, 12)))
        # Z leaves on the 25th (involuntary), at site S2
        rows.append(roster_row("Z", snap, date(2025, 6, 1), date(2026, 3, 25), exit_reason="involuntary", site="S2"))
        # W left in February: never active, never a March exit
        rows.append(roster_row("W", snap, LONG_AGO, date(2026, 2, 20)))
        if snap >= date(2026, 3, 16):
            rows.append(roster_row("Y", snap, date(2026, 3, 10)))  # new hire
    return rows


def test_attrition_annualises_monthly_exits_over_average_headcount(measure):
    result = measure(
        ["attrition", "headcount", MetricRef("attrition", {"reason": "voluntary"})],
        roster=_roster(),
        grain="month",
    )
    values = only(result, "attrition")
    # active per snapshot: 12 (A0-9, X, Z), 12, 12 (X gone, Y in), 12 (Z leaves on the 25th), 11
    # average headcount 59 / 5 = 11.8; exits X and Z = 2; x12 for a month:
    # 2 / 11.8 * 12 * 100 = 203.39 %
    assert values.numerator == 2.0
    assert values.denominator == pytest.approx(11.8)
    assert values.value == pytest.approx(2 / 11.8 * 1200)
    assert values.volume == 12
    assert result.rows[0].period_start == date(2026, 3, 1)
    assert only(result, "headcount").value == pytest.approx(11.8)
    assert only(result, "attrition(reason=voluntary)").value == pytest.approx(1 / 11.8 * 1200)


def test_attrition_without_grain_annualises_over_the_range(measure):
    result = measure(["attrition"], roster=_roster())
    # 31 days in the range: 2 / 11.8 * 365 / 31 * 100
    assert only(result, "attrition").value == pytest.approx(2 / 11.8 * 365 / 31 * 100)


def test_attrition_by_site_attributes_exits_where_the_agent_last_worked(measure):
    result = measure(["attrition"], roster=_roster(), group_by=("site",), grain="month")
    s1 = result.value("attrition", date(2026, 3, 1), site="S1")
    s2 = result.value("attrition", date(2026, 3, 1), site="S2")
    # S1: exit X; headcount (11 + 11 + 11 + 11 + 11) / 5 = 11
    assert (s1.numerator, s1.denominator) == (1.0, pytest.approx(11.0))
    # S2: exit Z; headcount (1 + 1 + 1 + 1 + 0) / 5 = 0.8
    assert (s2.numerator, s2.denominator) == (1.0, pytest.approx(0.8))
    assert s2.too_little_volume


def test_tenure_mix(measure):
    snap = date(2026, 3, 2)
    rows = [
        roster_row("old", snap, snap - timedelta(days=100)),
        roster_row("new", snap, snap - timedelta(days=10)),
        roster_row("gone", snap, snap - timedelta(days=400), snap - timedelta(days=1)),
    ]
    result = measure(
        ["tenure_mean", "tenure_share", MetricRef("tenure_share", {"min_days": 90, "max_days": None})],
        roster=rows,
    )
    values = result.rows[0].values
    assert values["tenure_mean"].value == pytest.approx(55.0)  # (100 + 10) / 2 employed
    assert values["tenure_share"].value == pytest.approx(50.0)  # "new" is under 90 days
    assert values["tenure_share(max_days=None,min_days=90)"].value == pytest.approx(50.0)


def test_empty_roster(measure):
    values = measure(["attrition", "headcount", "tenure_mean"], roster=[]).rows[0].values
    assert all(v.value is None and v.volume == 0 for v in values.values())


def test_sources_merge_on_dimensions_and_period(measure):
    result = measure(
        ["contacts_offered", "occupancy", "headcount"],
        interactions=[interaction(provider="P1"), interaction(provider="P3")],
        intervals=[interval(handle_seconds=3600.0, available_seconds=3600.0)],
        roster=[roster_row("a", date(2026, 3, 2), LONG_AGO)],
        group_by=("provider",),
    )
    by_provider = {r.dimensions["provider"]: r.values for r in result.rows}
    assert by_provider["P1"]["occupancy"].value == 50.0
    assert by_provider["P1"]["headcount"].value == 1.0
    assert by_provider["P3"]["contacts_offered"].value == 1.0
    assert by_provider["P3"]["occupancy"].value is None  # P3 has no interval rows
    assert by_provider["P3"]["occupancy"].volume == 0
