"""One click turns a drift alert into a governance action item linked back to it; twice gives the same one."""

from __future__ import annotations

from tests.access.drift_objects import _drift_alert

from concord.governance.models import Action


def test_an_alert_becomes_one_action_linked_back(world, login):
    own, other = _drift_alert(world)
    client = login(world.users["partner_a_lead"])
    first = client.post(f"/performance/drift/{own.pk}/action/")
    again = client.post(f"/performance/drift/{own.pk}/action/")
    assert first.status_code == again.status_code == 302
    action = Action.objects.get()
    assert first["Location"] == again["Location"] == f"/governance/actions/{action.pk}/"
    assert (action.cause_kind, action.cause_id, action.cause_url) == (
        "drift_alert", str(own.pk), f"/performance/drift/{own.pk}/"
    )
    assert action.provider_id == world.partner_a.pk and action.owner_id == world.users["partner_a_lead"].pk
    assert action.title == "Investigate the falling drift of First-contact resolution at Partner A"
    # another partner's alert: 404 and nothing made; an agent: refused
    assert client.post(f"/performance/drift/{other.pk}/action/").status_code == 404
    assert login(world.users["partner_a_agent"]).post(f"/performance/drift/{own.pk}/action/").status_code in (403, 404)
    assert Action.objects.count() == 1
    page = login(world.users["partner_a_lead"]).get(f"/performance/drift/{own.pk}/").content.decode()
    assert "Make an action item from this alert" in page
