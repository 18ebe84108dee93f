"""The ramp report for a user: numbers from tests/ramp/conftest.py, who sees which cohorts, page, API, CLI."""

from __future__ import annotations

import datetime
import json

import pytest
from django.http import Http404
from tests.performance.conftest import contact, write_lake
from typer.testing import CliRunner

from concord.cli import _mount_subcommands, app
from concord.knowledge.ramp import selectors

from .conftest import monday_m

_mount_subcommands()
pytestmark = pytest.mark.django_db


def _cohorts(report):
    return {(c.provider, c.hire_month): c for c in report.cohorts}


def test_client_sees_every_cohort_against_the_internal_median(ramp_world):
    report = selectors.ramp_report(ramp_world.users["client_admin"], metric="aht")
    assert (report.benchmark.value, report.benchmark.agents) == (400, 3)
    month = monday_m().replace(day=1)
    pa = _cohorts(report)[("PA", month)]
    assert [(p.week, p.value, p.volume) for p in pa.points] == [(0, 800, 30), (1, 600, 30), (2, 430, 30)]
    assert (pa.agents, pa.too_small, pa.reached_week) == (5, False, 2)
    pb = _cohorts(report)[("PB", month)]
    assert (pb.agents, pb.too_small, pb.reached_week) == (2, True, 0)
    # the provider curves use only cohorts of five or more: PB has none
    assert [c.provider for c in report.providers] == ["PA"]


def test_partner_sees_own_cohorts_and_the_internal_median_only(ramp_world):
    report = selectors.ramp_report(ramp_world.users["partner_a_lead"], metric="aht")
    assert report.benchmark.value == 400
    assert {c.provider for c in report.cohorts} == {"PA"}
    with pytest.raises(Http404):
        selectors.provider_by_code(ramp_world.users["partner_a_lead"], "PB")


def test_measured_ramp_for_the_hiring_plan(ramp_world):
    ramps = selectors.measured_ramps(ramp_world.users["client_admin"], ["PA", "PB"])
    assert ramps["PA"].fractions == pytest.approx((0.5, 400 / 600))
    assert "tenure week 2" in ramps["PA"].why
    assert ramps["PB"].fractions is None
    assert ramps["PB"].why == "no hiring cohort of 5 or more agents measured"


def test_api_gives_the_cohort_week_reached(ramp_world, client):
    client.force_login(ramp_world.users["partner_a_lead"])
    body = client.get("/api/ramp/", {"provider": "PA", "metric": "aht"}).json()
    assert body["benchmark"] == {"value": 400, "band_limit": 440, "tenured_internal_agents": 3}
    assert [(c["provider"], c["reached"], c["too_small"]) for c in body["cohorts"]] == [("PA", "week 2", False)]
    assert client.get("/api/ramp/", {"provider": "PB"}).status_code == 404
    bad = client.get("/api/ramp/", {"metric": "headcount"})
    assert bad.status_code == 400 and "'headcount' has no ramp; use one of aht, fcr, csat, qa_score" in bad.text


def test_page_shows_own_cohorts_and_not_yet(ramp_world, client):
    client.force_login(ramp_world.users["partner_b_lead"])
    page = client.get("/ramp/", {"metric": "csat"}).content.decode()
    assert "No hiring cohort measured on this metric." in page  # no survey answered
    page = client.get("/ramp/").content.decode()
    assert "PB-S1" in page and "PA-S1" not in page and "too few: not used" in page
    assert 'data-chart="ramp-curves"' not in page  # PB's only cohort is too small to draw a provider curve
    client.force_login(ramp_world.users["client_admin"])
    page = client.get("/ramp/").content.decode()
    assert 'data-chart="ramp-curves"' in page and "week 2" in page
    # handle times read as the tables read them: the median 400 s is 6m 40s, band limit 440 s is 7m 20s,
    # and the chart's axis (titled m:ss) labels its ticks in m:ss, not raw seconds (seen on the demo)
    assert "<strong>6m 40s</strong>" in page and "band limit 7m 20s" in page
    import re

    import vl_convert

    from concord.knowledge.ramp import present, selectors

    report = selectors.ramp_report(ramp_world.users["client_admin"], metric="aht", program=None, provider=None)
    svg = vl_convert.vegalite_to_svg(present.chart(report) | {"width": 500})
    assert re.search(r">\d+:\d\d<", svg) and "(m:ss)" in svg


def test_cli_prints_the_report_as_json(ramp_world):
    result = CliRunner().invoke(app, ["ramp", "--provider", "PA", "--metric", "aht", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["cohorts"][0]["reached_week"] == 2 and body["cohorts"][0]["agents"] == 5
    refused = CliRunner().invoke(app, ["ramp", "--provider", "NOPE"])
    assert refused.exit_code == 1 and "--provider: no provider with code 'NOPE'" in refused.output


def test_measured_ramps_are_kept_per_lake_version(ramp_world, settings, monkeypatch):
    # the allocation page asks on every view: the second ask reads nothing, a new lake commit is read afresh
    reads = []
    real = selectors._read
    monkeypatch.setattr(selectors, "_read", lambda *a, **kw: reads.append(1) or real(*a, **kw))
    user = ramp_world.users["client_admin"]
    first = selectors.measured_ramps(user, ["PA", "PB"])
    again = selectors.measured_ramps(user, ["PA", "PB"])
    assert len(reads) == 1 and again == first
    assert first["PA"].fractions == pytest.approx((0.5, 400 / 600))
    # a new commit: each PA agent handles 6 more contacts in tenure week 1 at 200 s, so week 1 is
    # (6 x 600 + 6 x 200) / 12 = 400 s per agent, inside the 440 s band: proficient in week 1, ramp (400/800,)
    m = monday_m()
    when = datetime.datetime(m.year, m.month, m.day, 12, tzinfo=datetime.UTC) + datetime.timedelta(weeks=1, days=1)
    write_lake(settings.LAKE_URI, [contact("PA", f"PA-10{n}", talk=200, wait=5, when=when)
                                   for n in range(1, 6) for _ in range(6)])  # fmt: skip
    after = selectors.measured_ramps(user, ["PA", "PB"])
    assert len(reads) == 2
    assert after["PA"].fractions == pytest.approx((0.5,)) and "tenure week 1" in after["PA"].why
    selectors.measured_ramps(user, ["PA", "PB"])
    assert len(reads) == 2
