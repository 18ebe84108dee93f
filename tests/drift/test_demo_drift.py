"""On the demo: Atlas CX's slide over its last two months is caught; the other partners raise few alerts.

The demo generator (``concord.ingest.demo``) lowers Atlas CX's FCR and CSAT and raises its transfers
over the last ``DRIFT_DAYS`` days (a ramp from nothing to full); the demo's last step runs the daily scan.
"""

from __future__ import annotations

import datetime as dt

import pytest

from concord.demo import build
from concord.ingest.demo import DRIFT_DAYS
from concord.performance import drift_services
from concord.performance.models import DriftAlert, DriftScan, Scorecard

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def demo_alerts(db, settings):
    # a quarter of the demo's contacts (250k), over a small organisation: enough daily volume per provider
    settings.DEMO_INTERACTIONS_FACTOR = 5.0
    build(seed=7, scale=0.05, today=TODAY)
    return list(DriftAlert.objects.select_related("provider", "line__scorecard__program"))


@pytest.mark.slow
def test_the_demo_catches_atlas_and_spares_the_others(demo_alerts):
    # one demo load for every check: it takes a minute
    drift_start = TODAY - dt.timedelta(days=DRIFT_DAYS)
    scan = DriftScan.objects.get()
    assert scan.status == DriftScan.Status.SUCCEEDED and scan.through == TODAY - dt.timedelta(days=1)
    atlas = [a for a in demo_alerts if a.provider.code == "ATLAS"]
    others = [a for a in demo_alerts if a.provider.code != "ATLAS"]
    for a in demo_alerts:
        print(a.provider.code, a.line.scorecard.program.code, a.metric_key, a.direction, a.since, a.day)
    # Atlas: each drifting metric caught, the bad way, within three weeks of the slide's start, in each program
    caught = {
        (a.metric_key, a.line.scorecard.program.code): a
        for a in atlas
        if drift_start <= a.day <= drift_start + dt.timedelta(days=21) and a.worse
    }
    programs = {a.line.scorecard.program.code for a in demo_alerts} | {"RETAIL", "TECH"}
    for metric in ("fcr", "csat", "transfer_rate"):
        for program in sorted(programs):
            assert (metric, program) in caught, f"Atlas CX's {metric} in {program} not caught"
    # and no Atlas alert before the slide began
    assert all(a.day >= drift_start for a in atlas)
    # the others: series watched x months monitored, at most the detector's designed 5 % a month, with slack
    # for a month's chance (a Poisson count: the 99th percentile of its expectation)
    series = sum(
        1
        for card in Scorecard.objects.all()
        for line in card.lines.all()
        if drift_services.watchable(line)
        for provider in card.program.providers.exclude(code="ATLAS")
    )
    months = (drift_services.SCAN_DAYS - drift_services.BASELINE_DAYS) / 30
    expected = 0.05 * series * months
    print(f"other partners: {len(others)} alerts over {series} series x {months:.1f} months (5 %: {expected:.1f})")
    assert len(others) <= expected + 3 * expected**0.5
    # scanning the same data again changes nothing
    before = DriftAlert.objects.count()
    scan = drift_services.run_scan(through=TODAY - dt.timedelta(days=1))
    assert scan.alerts_raised == 0 and DriftAlert.objects.count() == before
