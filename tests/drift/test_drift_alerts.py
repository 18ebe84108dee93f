"""Drift alerts: raised once per drift episode, shown per partner, the evidence chart on the page and as SVG."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from tests.access.drift_objects import _drift_alert

from concord.metrics import drift
from concord.performance import drift_selectors, drift_services
from concord.performance.models import DriftAlert, Scorecard, ScorecardMetric

START = dt.date(2026, 3, 2)  # a Monday


@pytest.fixture
def fcr_line(world):
    card = Scorecard.objects.create(program=world.program_shared, name="Card")
    return ScorecardMetric.objects.create(scorecard=card, metric_key="fcr", target=80)


def _series(provider, line, drops: dict[int, float], days: int = 160):
    """80 % resolved of 200 contacts a day, seeded noise; ``drops``: from day index -> lower share."""
    rng = np.random.default_rng(5)
    p = np.full(days, 0.80)
    for start, share in drops.items():
        p[start:] = share
    n = np.full(days, 200)
    x = rng.binomial(n, p)
    calendar = [START + dt.timedelta(days=i) for i in range(days)]
    return drift_services.Series(provider, line, calendar, list(map(float, x)), list(map(float, n)))


def _detect(series):
    return drift.detect(
        series.days, series.numerators, series.denominators, baseline_days=84, direction="down", min_volume=10
    )


def test_a_sustained_drift_is_one_alert_and_scanning_again_raises_nothing(world, fcr_line):
    # a drop of 8 points from day 100: sigma = sqrt(0.8 * 0.2 / 200) = 2.8 points, so ~2.8 sigma
    series = _series(world.partner_a, fcr_line, {100: 0.72})
    result = _detect(series)
    assert len(result.alarms) > 3  # the chart restarts after each alarm and alarms again
    (alert,) = drift_services.alerts_for(series, result, {"interactions": 3}, None)
    assert alert.day == result.alarms[0] and alert.direction == "down" and alert.worse
    assert START + dt.timedelta(days=95) <= alert.since <= alert.day <= START + dt.timedelta(days=107)
    assert alert.evidence["parameters"]["h"] == 5.0 and alert.evidence["lake_versions"] == {"interactions": 3}
    assert alert.evidence["values"][0] == pytest.approx(100 * series.numerators[0] / 200)  # shown in percent
    assert drift_services.alerts_for(series, result, {}, None) == []
    assert DriftAlert.objects.count() == 1


def test_a_second_drift_after_a_quiet_month_is_a_second_alert(world, fcr_line):
    # two sharp drops 40 days apart: more than REALERT_DAYS between their first alarms
    series = _series(world.partner_a, fcr_line, {95: 0.72, 140: 0.60})
    result = _detect(series)
    raised = drift_services.alerts_for(series, result, {}, None)
    episodes = [raised[0].day]
    for day in result.alarms[1:]:
        if (day - result.alarms[result.alarms.index(day) - 1]).days > drift_services.REALERT_DAYS:
            episodes.append(day)
    assert [a.day for a in raised] == episodes


def test_alerts_are_scoped_and_filtered(world):
    mine, other = _drift_alert(world)
    lead = world.users["partner_a_lead"]
    assert list(drift_selectors.alerts(user=lead)) == [mine]
    admin = world.users["client_admin"]
    assert set(drift_selectors.alerts(user=admin)) == {mine, other}
    assert list(drift_selectors.alerts(user=admin, provider=world.partner_b)) == [other]
    assert list(drift_selectors.alerts(user=admin, start=dt.date(2026, 5, 3))) == []
    assert len(drift_selectors.alerts(user=admin, start=dt.date(2026, 5, 2), end=dt.date(2026, 5, 3))) == 2


def test_pages_show_the_alert_and_its_evidence_chart(world, login):
    mine, _ = _drift_alert(world)
    client = login(world.users["partner_a_lead"])
    page = client.get("/performance/drift/")
    assert page.status_code == 200
    assert b"Partner A" in page.content and b"Partner B" not in page.content
    detail = client.get(f"/performance/drift/{mine.pk}/")
    assert detail.status_code == 200
    values, cusum = detail.context["panels"]
    assert values["title"] == "Daily value and baseline" and cusum["title"] == "CUSUM against its limit h"
    assert detail.context["sigma"] == "2.00 percentage points"
    svg = client.get(f"/performance/drift/{mine.pk}/chart.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert client.get("/performance/drift/?month=someday").status_code == 400


def test_api_lists_and_shows_alerts(world, login):
    mine, other = _drift_alert(world)
    client = login(world.users["client_admin"])
    listed = client.get("/api/drift-alerts/?provider=PB").json()
    assert [a["id"] for a in listed] == [other.pk]
    assert listed[0] | {"id": 0} == {
        "id": 0,
        "provider": "PB",
        "scorecard": other.line.scorecard_id,
        "line": other.line_id,
        "metric_key": "fcr",
        "label": "First-contact resolution",
        "day": "2026-05-02",
        "since": "2026-05-01",
        "direction": "down",
    }
    detail = client.get(f"/api/drift-alerts/{mine.pk}/").json()
    assert detail["evidence"]["parameters"]["h"] == 5.0
    bad = client.get("/api/drift-alerts/?start=May")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json()["detail"]


def test_the_scheduled_scan_records_its_run_and_books_the_next(world, fcr_line, settings):
    from django_tasks_db.models import DBTaskResult

    from concord.performance.models import DriftScan
    from concord.performance.tasks import drift_scan_task, ensure_drift_scan_scheduled

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert ensure_drift_scan_scheduled() is True
    assert ensure_drift_scan_scheduled() is False  # one chain, however often Concord restarts
    out = drift_scan_task.call(True)  # what the worker runs: an empty lake, nothing to check
    scan = DriftScan.objects.get(pk=out["scan"])
    assert scan.status == DriftScan.Status.SUCCEEDED and scan.series_checked == 0 and out["alerts_raised"] == 0
    # the internal team is measured like every partner
    assert sorted(scan.skipped) == [f"{code} First-contact resolution (Card): no data" for code in ("INT", "PA", "PB")]
    assert DBTaskResult.objects.filter(task_path=drift_scan_task.module_path).count() == 2  # + tomorrow's run
