"""Scorecard numbers from a tiny lake, and who may see which."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from concord.accounts.models import AuditEntry
from concord.performance import selectors, services
from concord.performance.models import Scorecard

MAY = dt.date(2026, 5, 1)


def test_client_sees_every_provider_scored(world, lake_uri, card):
    # when the client admin scores May
    report = selectors.score(world.users["client_admin"], card, period=MAY)
    # then each provider has the hand-computed index and components
    pa_row = report.row(MAY, provider="PA")
    assert pa_row.index.index == pytest.approx(100 * (1.0 + 1.2) / 2 / 1.2)
    aht, sl, csat = pa_row.lines
    assert aht.value.value == pytest.approx(300) and aht.value.volume == 4
    assert sl.value.value == pytest.approx(100) and sl.component.capped == pytest.approx(1.2)
    assert csat.component.status == "no_data" and csat.component.effective_weight == 0
    assert report.row(MAY, provider="PB").index.index == pytest.approx(100 * 0.5 / 2 / 1.2)
    assert report.row(MAY, provider="INT").lines[0].value.value == pytest.approx(240)
    assert pa_row.volume == 4
    assert report.versions == {"interactions": 0}


def test_partner_query_is_cut_to_their_provider_whatever_they_ask(world, lake_uri, card):
    lead = world.users["partner_a_lead"]
    # when partner A scores without naming a provider
    report = selectors.score(lead, card, period=MAY)
    # then only PA's rows come back
    assert {r.dimensions["provider"] for r in report.rows} == {"PA"}
    # and naming partner B is a 404, not B's numbers
    with pytest.raises(Http404):
        selectors.score(lead, card, period=MAY, provider=world.partner_b)


def test_breakdown_by_agent_and_trend(world, lake_uri, card):
    admin = world.users["client_admin"]
    by_agent = selectors.score(admin, card, period=MAY, by="agent", provider=world.partner_a)
    assert by_agent.row(MAY, agent="PA-001").lines[0].value.value == pytest.approx(200)
    assert by_agent.row(MAY, agent="PA-002").lines[0].value.value == pytest.approx(400)
    trend = selectors.score(admin, card, period=MAY, months=2, provider=world.partner_a)
    assert trend.row(dt.date(2026, 4, 1), provider="PA").lines[0].value.value == pytest.approx(360)


def test_agent_is_scored_on_their_own_contacts_only(world, lake_uri, card):
    # issue #10.7: an agent reads their own numbers (PA-001: two May contacts), not their provider's four
    report = selectors.score(world.users["partner_a_agent"], card, period=MAY)
    assert [(r.dimensions, r.volume) for r in report.rows] == [({"provider": "PA"}, 2)]
    world.users["partner_a_agent"].role = "not-a-role"  # no capability at all
    with pytest.raises(PermissionDenied):
        selectors.score(world.users["partner_a_agent"], card, period=MAY)


def test_partner_cannot_create_a_scorecard_and_nothing_changes(world):
    before = Scorecard.objects.count(), AuditEntry.objects.count()
    with pytest.raises((PermissionDenied, Http404)):
        services.scorecard_create(actor=world.users["partner_a_lead"], program=world.program_shared, name="Mine")
    assert (Scorecard.objects.count(), AuditEntry.objects.count()) == before


def test_lines_are_validated(world, card):
    admin = world.users["client_admin"]
    with pytest.raises(ValidationError, match="target"):
        services.line_create(actor=admin, scorecard=card, metric_key="aht", target=0)
    with pytest.raises(ValidationError, match="parameter"):
        services.line_create(actor=admin, scorecard=card, metric_key="aht", target=1, params={"nope": 1})
    with pytest.raises(ValidationError, match="both ends"):
        services.line_create(actor=admin, scorecard=card, metric_key="occupancy", band_low=70)
    # a metric whose own direction is a band needs no target
    line = services.line_create(actor=admin, scorecard=card, metric_key="occupancy")
    assert line.kind == "band" and line.band() == (75.0, 90.0)


def test_period_parsing():
    assert selectors.parse_period("2026-05") == MAY
    with pytest.raises(ValueError, match="2026-05"):
        selectors.parse_period("May")
