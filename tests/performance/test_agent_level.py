"""Issue #10.4: a metric with no meaning for one agent is neither shown nor scored per agent.

Hand-made May 2026 for PA (program SHARED, voice): PA-001 and PA-002 each answer two contacts at
talk 300 s (AHT 300, on target), and one caller hangs up after 120 s of waiting (no agent).
Card: AHT lower, target 300; abandon rate lower, target 5 %.
- PA as a whole: AHT 300 -> attainment 1.0; abandon 1 / 5 offered = 20 % -> 5 / 20 = 0.25;
  index 100 * mean(1.0, 0.25) / 1.2 = 52.08.
- Before the fix, an agent's abandon rate read 0 % (their contacts are never abandoned), attainment
  capped at 1.2, index 100 * mean(1.0, 1.2) / 1.2 = 91.67: every agent above their own provider.
- Now an agent is scored on AHT alone: 100 * 1.0 / 1.2 = 83.33, and PA on those same terms is 83.33 too.
The abandoned contact has no team either (as in the demo), so per team abandonment is left out too.
"""

from __future__ import annotations

import datetime as dt

import pytest

from concord.performance import grain, reports, services
from concord.providers.models import Agent

from .conftest import contact, write_lake

MAY = dt.date(2026, 5, 1)


@pytest.fixture
def queue_lake(settings, tmp_path):
    uri = str(tmp_path / "lake")
    rows = [
        *(contact("PA", "PA-001", talk=300, wait=10) for _ in range(2)),
        *(contact("PA", "PA-002", talk=300, wait=10) for _ in range(2)),
        contact(
            "PA", None, talk=0, wait=120, abandoned=True, answered_at=None, resolved_at=None, resolved=False, team=None
        ),
    ]
    write_lake(uri, rows)
    settings.LAKE_URI = uri
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    return uri


@pytest.fixture
def queue_card(world):
    return services.scorecard_create(
        actor=world.users["client_admin"],
        program=world.program_shared,
        name="Queue card",
        lines=[
            {"metric_key": "aht", "target": 300, "weight": 1, "min_volume": 1},
            {"metric_key": "abandon_rate", "target": 5, "weight": 1, "min_volume": 1},
        ],
    )


def test_the_provider_is_scored_on_every_line(world, queue_lake, queue_card):
    report = grain.score(world.users["client_admin"], queue_card, grain="month", period=MAY, provider=world.partner_a)
    row = report.row(MAY, provider="PA")
    assert [ls.line.metric_key for ls in row.lines] == ["aht", "abandon_rate"]
    assert row.lines[1].value.value == pytest.approx(20.0)
    assert row.index.index == pytest.approx(100 * (1.0 + 0.25) / 2 / 1.2)
    assert report.left_out == []


def test_abandonment_is_not_scored_per_agent(world, queue_lake, queue_card):
    admin = world.users["client_admin"]
    report = grain.score(admin, queue_card, grain="month", period=MAY, provider=world.partner_a, by="agent")
    assert [ln.metric_key for ln, _ in report.left_out] == ["abandon_rate"]
    assert "never reach an agent" in report.left_out[0][1]
    for code in ("PA-001", "PA-002"):
        row = report.row(MAY, provider="PA", agent=code)
        assert [ls.line.metric_key for ls in row.lines] == ["aht"]
        assert row.index.index == pytest.approx(100 * 1.0 / 1.2)
        # not above the provider scored on the same terms, by construction or otherwise
        whole = grain.score(admin, queue_card, grain="month", period=MAY, provider=world.partner_a, level="agent")
        assert row.index.index <= whole.row(MAY, provider="PA").index.index + 1e-9


def test_the_agent_page_names_the_agent_and_says_what_the_index_used(world, queue_lake, queue_card, login):
    Agent.objects.filter(pk=world.agent_a.pk).update(employee_id="PA-002", display_name="Rosa Villanueva")
    client = login(world.users["partner_a_lead"])
    url = f"/performance/providers/{world.partner_a.pk}/"
    page = client.get(url, {"scorecard": queue_card.pk, "period": "2026-05", "by": "agent"}).content.decode()
    assert "Rosa Villanueva" in page  # by name, with the id beside it
    assert "Not shown per agent: Abandon rate (abandoned contacts never reach an agent)" in page
    page = client.get(
        url, {"scorecard": queue_card.pk, "period": "2026-05", "agent": "PA-002"}
    ).content.decode()
    assert "Rosa Villanueva" in page
    assert "From Average handle time; not scored per agent: Abandon rate" in page
    assert "Partner A on the same components" in page and "83.3" in page
    assert "91.7" not in page  # the old, flattering index


def test_the_api_lists_what_it_left_out(world, queue_lake, queue_card, login):
    client = login(world.users["client_admin"])
    data = client.get("/api/scorecards/query/", {"period": "2026-05", "provider": "PA", "by": "agent"}).json()
    card = next(c for c in data["scorecards"] if c["scorecard"]["id"] == queue_card.pk)
    assert card["left_out"][0]["metric"] == "abandon_rate"
    agents = [r for r in card["rows"] if r["dimensions"]["agent"] is not None]  # the abandoned call has none
    assert {tuple(r["index_components"]) for r in agents} == {("Average handle time",)}


def test_reports_agent_table_has_names(world, queue_lake, queue_card):
    Agent.objects.filter(pk=world.agent_a.pk).update(employee_id="PA-001", display_name="Ana Reyes")
    ps = reports.provider_scorecard(
        world.users["client_admin"], world.partner_a, queue_card, MAY, by="agent"
    )
    table = reports.breakdown_table(ps)
    assert table.columns[:2] == ["agent", "agent name"]
    assert ["PA-001", "Ana Reyes"] in [row[:2] for row in table.rows]


def test_nor_per_team_where_abandoned_contacts_have_no_team(world, queue_lake, queue_card):
    # the demo's teams all read 0 % abandonment and full points, and a "no team" row scored 1.5
    report = grain.score(world.users["client_admin"], queue_card, grain="month", period=MAY, by="team")
    assert report.level == "team" and [ln.metric_key for ln, _ in report.left_out] == ["abandon_rate"]
    assert "never reach a team" in report.left_out[0][1]
    assert report.row(MAY, provider="PA", team="PA-T1").index.index == pytest.approx(100 * 1.0 / 1.2)
    # by site the queue is the site's: abandonment is scored there
    assert grain.score(world.users["client_admin"], queue_card, grain="month", period=MAY, by="site").left_out == []
