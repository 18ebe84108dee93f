"""Issue #10.7: an agent sees their own scorecard and its trend, and nobody else's.

Tiny lake (conftest): PA-001 handled two May contacts at talk 200 s (AHT 3m 20s) and two April ones at
360 s (6m 00s); PA-002 two May contacts at 400 s (6m 40s). The world's partner A agent login is linked
to roster entry PA-001 ("Agent of Partner A").
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from concord.accounts.access import LOGIN_SOURCE
from concord.performance import grain
from concord.providers.models import AgentExternalId


def test_an_agent_sees_their_own_numbers_and_trend(world, lake_uri, card, login):
    client = login(world.users["partner_a_agent"])
    page = client.get("/performance/me/", {"period": "2026-05"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Agent of Partner A" in html and "PA-001" in html
    assert "3m 20s" in html  # their May AHT
    assert "6m 40s" not in html and "PA-002" not in html  # not a colleague's
    assert 'data-chart="trend-' in html  # the trend charts
    # the trend holds April too: 360 s on the AHT chart's data
    assert '"value": 360.0' in html


def test_the_agent_nav_links_to_their_numbers(world, login):
    html = login(world.users["partner_a_agent"]).get("/").content.decode()
    assert 'href="/performance/me/"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/performance/",
        "/performance/providers/{pa}/?agent=PA-002",
        "/performance/providers/{pa}/scorecards/{card}/chart.svg",
        "/api/scorecards/query/?provider=PA",
    ],
)
def test_an_agent_cannot_reach_anyone_elses_numbers(world, lake_uri, card, login, url):
    client = login(world.users["partner_a_agent"])
    response = client.get(url.format(pa=world.partner_a.pk, card=card.pk))
    assert response.status_code == 403


def test_asking_for_a_colleague_or_another_partner_is_404(world, lake_uri, card):
    agent_user = world.users["partner_a_agent"]
    may = dt.date(2026, 5, 1)
    with pytest.raises(Http404):
        grain.score(agent_user, card, grain="month", period=may, agent="PA-002")
    with pytest.raises(Http404):
        grain.score(agent_user, card, grain="month", period=may, provider=world.partner_b)
    # and with nothing named, the numbers are theirs alone, even by=site
    report = grain.score(agent_user, card, grain="month", period=may, by="site")
    assert {r.volume for r in report.rows} == {2}


def test_other_roles_get_403_and_an_unlinked_agent_a_clear_404(world, lake_uri, card, login):
    assert login(world.users["partner_a_lead"]).get("/performance/me/").status_code == 403
    assert login(world.users["client_admin"]).get("/performance/me/").status_code == 403
    AgentExternalId.objects.filter(source=LOGIN_SOURCE).delete()
    response = login(world.users["partner_a_agent"]).get("/performance/me/")
    assert response.status_code == 404
