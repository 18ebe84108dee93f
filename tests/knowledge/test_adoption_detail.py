"""Adoption in detail (curve, per article, overdue list) against the hand count of the campaign fixture.

The campaign (tests/knowledge/test_adoption.py): "returns" published at T0 asks INT's, PA's two and
PB's agent; "devoluciones" asks PA's Spanish speaker only. Given: returns by PA-001 after 10 h and by
PA-ES after 30 h; devoluciones by PA-ES after 2 h. Due after 7 days.
"""

from __future__ import annotations

import datetime as dt

import pytest

from concord.knowledge import adoption_detail

from .conftest import T0


def _curve(user, days_after: float):
    points = adoption_detail.curve(user, days=5, now=T0 + dt.timedelta(days=days_after))
    return {(p["provider"], p["day"]): (round(p["share_percent"], 1), p["pairs"]) for p in points}


def test_the_curve_is_the_hand_count_and_leaves_out_days_not_yet_seen(campaign, client_admin):
    got = _curve(client_admin, 10)
    # PA: 3 pairs; by the end of day 1, the 10 h and 2 h ones (2 of 3); from day 2 on, the 30 h one too
    assert got[("PA", 1)] == (66.7, 3) and got[("PA", 2)] == (100.0, 3) and got[("PA", 5)] == (100.0, 3)
    # PB and INT: one pair each, never given
    assert got[("PB", 1)] == (0.0, 1) and got[("INT", 5)] == (0.0, 1)
    # one and a half days after publication only day 1 can be said: day 2 is not a 0, it is absent
    early = _curve(client_admin, 1.5)
    assert early[("PA", 1)] == (66.7, 3)
    assert ("PA", 2) not in early


def test_a_partner_sees_its_own_curve_articles_and_overdue_agents_only(campaign, world, partner_a_lead, client_admin):
    assert {p["provider"] for p in adoption_detail.curve(partner_a_lead, now=T0 + dt.timedelta(days=10))} == {"PA"}
    rows = adoption_detail.by_article(partner_a_lead, now=T0 + dt.timedelta(days=10))
    assert {r["version"].title: r["providers"].keys() for r in rows} == {"Returns": {"PA"}, "Devoluciones": {"PA"}}
    listed, total = adoption_detail.overdue(partner_a_lead, now=T0 + dt.timedelta(days=10))
    assert (listed, total) == ([], 0)  # every PA pair was given
    # the client sees INT's and PB's agents overdue on Returns, due T0 + 7 days
    listed, total = adoption_detail.overdue(client_admin, now=T0 + dt.timedelta(days=10))
    assert total == 2
    assert {(r["agent"].provider.code, r["version"].title, r["due"]) for r in listed} == {
        ("INT", "Returns", T0 + dt.timedelta(days=7)), ("PB", "Returns", T0 + dt.timedelta(days=7))
    }  # fmt: skip
    assert adoption_detail.overdue(client_admin, now=T0 + dt.timedelta(days=3)) == ([], 0)  # not due yet


def test_by_article_counts_acknowledged_of_asked_per_provider(campaign, client_admin):
    rows = {r["version"].title: r for r in adoption_detail.by_article(client_admin, now=T0 + dt.timedelta(days=10))}
    returns = rows["Returns"]
    assert {code: (c["acknowledged"], c["asked"]) for code, c in returns["providers"].items()} == {
        "PA": (2, 2), "PB": (0, 1), "INT": (0, 1)
    }  # fmt: skip
    assert returns["share_percent"] == pytest.approx(50.0) and returns["late"]
    assert rows["Devoluciones"]["share_percent"] == 100.0


def test_the_page_draws_the_curve_and_lists_who_is_late(campaign, world, login):
    page = login(world.users["client_admin"]).get("/knowledge/adoption/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-chart="adoption-curve"' in body and "By article" in body
    assert "Overdue: 2 acknowledgements" in body
    lead = login(world.users["partner_a_lead"]).get("/knowledge/adoption/").content.decode()
    assert "Partner B" not in lead and "Nobody is overdue." in lead


def test_the_api_gives_the_curve_scoped_to_the_partner(campaign, world, login):
    lead = login(world.users["partner_a_lead"]).get("/api/knowledge/adoption/curve/")
    assert lead.status_code == 200
    points = lead.json()["points"]
    assert {p["provider"] for p in points} == {"PA"}
    assert {"provider", "day", "share_percent", "pairs"} == set(points[0])
    # asking for another partner's curve gives nothing, not their figures
    assert login(world.users["partner_a_lead"]).get("/api/knowledge/adoption/curve/?provider=PB").json() == {
        "points": []
    }
    assert login(world.users["partner_a_agent"]).get("/api/knowledge/adoption/curve/").status_code == 403


def test_with_no_article_asking_every_adoption_read_answers_empty(world, login):
    # found by the API fuzz on a fresh database: no version asked for acknowledgement, and the plain
    # cursor's query had no SQL to run (a 500)
    admin = login(world.users["client_admin"])
    assert admin.get("/api/knowledge/adoption/curve/").json() == {"points": []}
    assert admin.get("/api/knowledge/adoption/?provider=").json()["rows"] == []
    assert "No article asks for an acknowledgement yet." in admin.get("/knowledge/adoption/").content.decode()
