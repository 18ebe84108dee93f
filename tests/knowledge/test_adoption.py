"""Acknowledgements and adoption, against a hand count; the LMS path attacked as the wrong partner and role."""

from __future__ import annotations

import datetime as dt
import json

from concord.knowledge import adoption as adoption_module
from concord.knowledge import services
from concord.knowledge.models import Acknowledgement

from .conftest import T0


def test_adoption_by_provider_is_the_hand_count(campaign, client_admin):
    # "returns" asks the 4 active agents of INT, PA (2) and PB; "devoluciones" only PA's Spanish speaker.
    # PA: 3 required, 3 given after 10, 30 and 2 hours (median 10); INT and PB: 1 each, none given, overdue
    # ten days after publication (due after 7). The exited agent is asked nothing.
    rows = adoption_module.adoption(client_admin, now=T0 + dt.timedelta(days=10))
    got = {r.provider: r.as_json() for r in rows}
    assert got["PA"] == {
        "provider": "PA",
        "site": "",
        "team": "",
        "required": 3,
        "acknowledged": 3,
        "overdue": 0,
        "share_percent": 100.0,
        "median_hours_to_acknowledge": 10.0,
    }
    assert got["PB"] == {
        "provider": "PB",
        "site": "",
        "team": "",
        "required": 1,
        "acknowledged": 0,
        "overdue": 1,
        "share_percent": 0.0,
        "median_hours_to_acknowledge": None,
    }
    assert got["INT"]["required"] == 1 and got["INT"]["overdue"] == 1
    # before the due date nothing is overdue
    early = {r.provider: r for r in adoption_module.adoption(client_admin, now=T0 + dt.timedelta(days=3))}
    assert early["PB"].overdue == 0


def test_adoption_by_site_and_a_partner_sees_only_its_own(campaign, world, partner_a_lead):
    rows = adoption_module.adoption(partner_a_lead, by="site", now=T0 + dt.timedelta(days=10))
    assert [(r.provider, r.site, r.required, r.acknowledged) for r in rows] == [
        ("PA", "PA-S1", 1, 1),
        ("PA", "PA-S2", 2, 2),
    ]


def test_a_new_version_asks_again_and_shows_what_changed(campaign, world, publish, login):
    everyone, _, _ = campaign
    publish("returns", "Returns", "Take the return within 30 days.", requires_ack=True)
    rows = {r.provider: r for r in adoption_module.adoption(world.users["client_admin"])}
    assert rows["PA"].acknowledged == 1  # only the Spanish article's acknowledgement still counts
    page = login(world.users["partner_a_agent"]).get(f"/knowledge/articles/{everyone.article_id}/")
    html = page.content.decode()
    assert "What changed since you acknowledged" in html and "within 30 days" in html
    assert "I have read version 2" in html


def _post(client, payload):
    return client.post("/api/knowledge/acknowledgements/", json.dumps(payload), content_type="application/json")


def test_lms_acknowledgements_are_scoped_and_idempotent(campaign, world, login):
    _everyone, _, _ = campaign
    before = Acknowledgement.objects.count()
    lead_a = login(world.users["partner_a_lead"])
    payload = {"program": "SHARED", "slug": "returns", "version": 1}
    # another partner's agent and an unknown id: the same 404, and nothing written
    other = _post(lead_a, payload | {"employee_id": world.agent_b.employee_id})
    unknown = _post(lead_a, payload | {"employee_id": "NOBODY"})
    assert other.status_code == unknown.status_code == 404
    assert other.json()["detail"] == unknown.json()["detail"]
    assert Acknowledgement.objects.count() == before
    # the client does not make a partner's statements
    admin = login(world.users["client_admin"])
    assert _post(admin, payload | {"employee_id": world.agent_a.employee_id}).status_code == 403
    # twice: one acknowledgement, the first time kept
    lead_a = login(world.users["partner_a_lead"])
    Acknowledgement.objects.filter(agent=world.agent_a).delete()
    first = _post(lead_a, payload | {"employee_id": world.agent_a.employee_id})
    second = _post(lead_a, payload | {"employee_id": world.agent_a.employee_id})
    assert first.status_code == second.status_code == 201
    assert first.json()["acknowledged_at"] == second.json()["acknowledged_at"]
    assert Acknowledgement.objects.filter(agent=world.agent_a).count() == 1
    # bad input: a version that is not current, a time in the future, control characters
    assert _post(lead_a, payload | {"version": 9, "employee_id": "PA-001"}).status_code == 404
    future = _post(lead_a, payload | {"employee_id": "PA-ES", "acknowledged_at": "2999-01-01T00:00:00Z"})
    assert future.status_code == 400


def test_an_agent_acknowledges_only_for_itself(campaign, world, login):
    everyone, _, _ = campaign
    agent = login(world.users["partner_a_agent"])
    Acknowledgement.objects.filter(agent=world.agent_a).delete()
    assert _post(agent, {"program": "SHARED", "slug": "returns", "version": 1}).status_code == 201
    refused = _post(agent, {"program": "SHARED", "slug": "returns", "version": 1, "employee_id": "PA-ES"})
    assert refused.status_code == 403
    assert (
        not Acknowledgement.objects.filter(agent__employee_id="PA-ES", version=everyone)
        .exclude(recorded_by=world.users["partner_a_lead"])
        .exists()
    )


def test_an_agent_is_shown_what_waits_for_their_acknowledgement(campaign, world, publish, login):
    # Seen as the demo agent: the start page said nothing of the articles waiting, and the list marked
    # every asking version "needs acknowledgement", already acknowledged or not.
    _everyone, _spanish, _ = campaign
    fresh = publish("exchanges", "Exchanges", "Swap the item.", requires_ack=True, ack_due_days=3)
    agent = login(world.users["partner_a_agent"])
    home = agent.get("/").content.decode()
    assert "To read and acknowledge" in home
    assert "Exchanges" in home and "Returns" not in home  # Returns was acknowledged at T0 + 10 h
    assert "Devoluciones" not in home  # the Spanish audience does not admit this agent
    due = fresh.created_at + dt.timedelta(days=3)
    assert f"due {due:%-d %b %Y}" in home
    listing = agent.get("/knowledge/").content.decode()
    assert listing.count(">to acknowledge</span>") == 1 and ">acknowledged</span>" in listing

    assert agent.post(f"/knowledge/articles/{fresh.article_id}/acknowledge/").status_code == 302
    assert "To read and acknowledge" not in agent.get("/").content.decode()
    # a lead acts on adoption, not on a personal list
    lead_home = login(world.users["partner_a_lead"]).get("/").content.decode()
    assert "To read and acknowledge" not in lead_home
    assert ">acknowledgement asked</span>" in login(world.users["partner_a_lead"]).get("/knowledge/").content.decode()


def test_an_acknowledgement_the_audience_did_not_ask_for_counts_nowhere(campaign, world, client_admin):
    # PA's English-speaking agent acknowledges the Spanish-only article (through its lead's LMS, 1 hour in):
    # it was not asked, so PA's figures stay 3 required, 3 given, median of 10, 30 and 2 hours = 10
    _, spanish, _ = campaign
    services.acknowledge(user=world.users["partner_a_lead"], version=spanish, agent=world.agent_a,
                         at=T0 + dt.timedelta(hours=1))  # fmt: skip
    for by in ("provider", "team"):
        rows = [r for r in adoption_module.adoption(client_admin, by=by, now=T0 + dt.timedelta(days=10))
                if r.provider == "PA"]  # fmt: skip
        assert sum(r.acknowledged for r in rows) == 3 and sum(r.required for r in rows) == 3, by
    (pa,) = [r for r in adoption_module.adoption(client_admin, now=T0 + dt.timedelta(days=10)) if r.provider == "PA"]
    assert pa.median_hours == 10.0
