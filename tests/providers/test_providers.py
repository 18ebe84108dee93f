import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from concord.accounts.access import LOGIN_SOURCE
from concord.accounts.models import AuditEntry
from concord.providers import selectors, services
from concord.providers.models import Agent, Site


def _agent(provider, site, n, hired, exited=None, reason=""):
    return Agent.objects.create(provider=provider, site=site, employee_id=f"X{n}", display_name=f"P{n}",
                                hire_date=hired, exit_date=exited, exit_reason=reason)


def test_headcount_by_site_counts_hired_and_not_yet_exited_at_each_month_end(world, client_admin):
    # given partner A: the fixture agent hired 2025-01-06, plus three more
    _agent(world.partner_a, world.site_a, 1, dt.date(2026, 2, 10))
    _agent(world.partner_a, world.site_a, 2, dt.date(2026, 1, 31), dt.date(2026, 2, 28), "voluntary")
    _agent(world.partner_a, world.site_a, 3, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "involuntary")
    # when counted at the month ends Jan..Mar 2026
    rows = selectors.headcount_by_site(client_admin, world.partner_a, months=3, today=dt.date(2026, 3, 31))
    by_month = {r["month_end"]: r["headcount"] for r in rows}
    # then: Jan 31 -> fixture + X2 (hired that day) = 2; Feb 28 -> fixture + X1 (X2 left that day) = 2;
    # Mar 31 -> fixture + X1 (X3 left that day) = 2
    assert by_month == {"2026-01-31": 2, "2026-02-28": 2, "2026-03-31": 2}


def test_attrition_is_exits_over_average_headcount(world, client_admin):
    today = dt.date(2026, 6, 30)
    for n in range(9):
        _agent(world.partner_a, world.site_a, n, dt.date(2024, 1, 1))
    _agent(world.partner_a, world.site_a, 99, dt.date(2024, 1, 1), dt.date(2026, 3, 15), "voluntary")
    summary = selectors.attrition_summary(client_admin, world.partner_a, today=today)
    # 12 month ends Jul 2025..Jun 2026: 11 people at the 8 ends before Mar 15, 10 at the 4 after
    average = (11 * 8 + 10 * 4) / 12
    assert summary["exits"] == 1 and summary["voluntary_exits"] == 1
    assert summary["annual_attrition"] == pytest.approx(1 / average)
    assert summary["headcount"] == 10


def test_zero_headcount_has_no_attrition_rate(world, client_admin):
    Agent.objects.filter(provider=world.partner_a).delete()
    assert selectors.attrition_summary(client_admin, world.partner_a)["annual_attrition"] is None


def test_a_team_cannot_use_another_providers_site(world, client_admin):
    with pytest.raises(ValidationError, match="another provider"):
        services.create_for_provider(actor=client_admin, model=Agent, provider=world.partner_a,
                                     site=world.site_b, employee_id="Z", display_name="Z",
                                     hire_date=dt.date(2026, 1, 1))
    assert not AuditEntry.objects.exists()


def test_exit_needs_a_reason(world, partner_a_lead):
    with pytest.raises(ValidationError, match="voluntary or involuntary"):
        services.update_for_provider(actor=partner_a_lead, instance=world.agent_a, exit_date=dt.date(2026, 2, 1))


def test_bad_time_zone_is_refused_with_the_fix(login, world, partner_a_lead):
    response = login(partner_a_lead).post(reverse("providers:site-create", args=[world.partner_a.pk]), {
        "code": "X", "name": "X", "city": "X", "country": "ph", "timezone": "Manila", "languages": "EN", "seats": 1,
    })
    assert response.status_code == 400
    assert "is not an IANA time zone such as Europe/Madrid" in response.content.decode()
    assert not Site.objects.filter(code="X").exists()


def test_site_codes_and_languages_are_normalised(world, partner_a_lead):
    site = services.create_for_provider(actor=partner_a_lead, model=Site, provider=world.partner_a, code="DVO",
                                        name="Davao", city="Davao", country="ph", timezone="Asia/Manila",
                                        languages="EN, tl", seats=20)
    assert site.country == "PH" and site.languages == "en,tl"


def test_api_filters_and_paginates(login, world, client_admin):
    client = login(client_admin)
    response = client.get("/api/agents/", {"provider": world.partner_b.pk})
    body = response.json()
    assert body["count"] == 1 and body["results"][0]["employee_id"] == "PB-001"
    assert client.get("/api/providers/", {"kind": "internal"}).json()["count"] == 1


def test_api_refuses_moving_an_agent_to_another_provider(login, world, client_admin):
    response = login(client_admin).patch(f"/api/agents/{world.agent_a.pk}/", {"provider": world.partner_b.pk},
                                         content_type="application/json")
    assert response.status_code == 400
    world.agent_a.refresh_from_db()
    assert world.agent_a.provider_id == world.partner_a.pk


def test_api_validation_error_names_the_field(login, world, partner_a_lead):
    response = login(partner_a_lead).post("/api/sites/", {
        "provider": world.partner_a.pk, "code": "Q", "name": "Q", "city": "Q", "country": "PH",
        "timezone": "Nowhere/City", "languages": "en", "seats": 1}, content_type="application/json")
    assert response.status_code == 400
    assert "timezone" in response.json()["errors"]


def test_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/providers/" in response.content


def test_roster_search_with_htmx_returns_only_rows(login, world, client_admin):
    response = login(client_admin).get(reverse("providers:agents"), {"q": "Partner B"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Agent of Partner B" in html and "Agent of Partner A" not in html
    assert "<html" not in html


def test_headcount_svg_download(login, world, client_admin):
    response = login(client_admin).get(reverse("providers:headcount-svg", args=[world.partner_a.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")


def test_agent_external_ids_per_source_replace_the_previous_one(login, world, partner_a_lead):
    client = login(partner_a_lead)
    url = reverse("providers:agent-external-id", args=[world.agent_a.pk])
    client.post(url, {"source": "acd", "external_id": "1001"})
    client.post(url, {"source": "acd", "external_id": "1002"})
    client.post(url, {"source": "zendesk", "external_id": "z-9"})
    # the test world also links partner A's agent login to this agent through access.LOGIN_SOURCE
    ids = sorted(map(str, world.agent_a.external_ids.exclude(source=LOGIN_SOURCE)))
    assert ids == ["acd:1002", "zendesk:z-9"]


def test_the_same_external_id_cannot_name_two_agents_of_one_provider(login, world, client_admin):
    from concord.providers.models import Agent

    client = login(client_admin)
    other_a = Agent.objects.create(provider=world.partner_a, site=world.site_a, employee_id="PA-002",
                                   display_name="Second agent of A", hire_date=world.agent_a.hire_date)
    client.post(reverse("providers:agent-external-id", args=[world.agent_a.pk]), {"source": "acd", "external_id": "7"})
    response = client.post(reverse("providers:agent-external-id", args=[other_a.pk]),
                           {"source": "acd", "external_id": "7"}, follow=True)
    assert "already exists" in response.content.decode()
    assert not other_a.external_ids.exists()


def test_another_providers_agent_id_is_neither_blocked_nor_revealed(login, world):
    # #9.1: ids were unique across providers, so "already exists" told A which ids B used, and A could
    # take an id first so that B could not use it
    login(world.users["partner_a_lead"]).post(
        reverse("providers:agent-external-id", args=[world.agent_a.pk]), {"source": "acd", "external_id": "7"})
    client = login(world.users["partner_b_lead"])
    response = client.post(reverse("providers:agent-external-id", args=[world.agent_b.pk]),
                           {"source": "acd", "external_id": "7"}, follow=True)
    assert "already exists" not in response.content.decode()
    assert [str(e) for e in world.agent_b.external_ids.all()] == ["acd:7"]
    assert [str(e) for e in world.agent_a.external_ids.exclude(source=LOGIN_SOURCE)] == ["acd:7"]
