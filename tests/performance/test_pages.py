"""Pages, exports and API: each persona sees exactly their own numbers."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

PA_INDEX = "91.7"  # 100 * mean(1.0, 1.2) / 1.2
PB_INDEX = "20.8"  # 100 * mean(0.5, 0.0) / 1.2


def _portfolio(client, card, **extra):
    return client.get("/performance/", {"scorecard": card.pk, "period": "2026-05", **extra})


def test_portfolio_shows_every_provider_side_by_side_to_the_client(world, lake_uri, card, login):
    page = _portfolio(login(world.users["client_admin"]), card).content.decode()
    assert "Partner A" in page and "Partner B" in page and "Internal team" in page
    assert PA_INDEX in page and PB_INDEX in page


def test_portfolio_shows_a_partner_only_their_own_numbers(world, lake_uri, card, login):
    page = _portfolio(login(world.users["partner_a_lead"]), card).content.decode()
    assert "Partner A" in page and PA_INDEX in page
    assert "Partner B" not in page and PB_INDEX not in page and "Internal team" not in page


def test_portfolio_csv_and_xlsx_exports(world, lake_uri, card, login):
    client = login(world.users["client_admin"])
    response = _portfolio(client, card, format="csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert set(rows) == {"INT", "PA", "PB"}
    assert float(rows["PA"]["index"]) == pytest.approx(91.6667, abs=1e-3)
    assert float(rows["PB"]["Average handle time"]) == pytest.approx(600)
    assert rows["PA"]["volume"] == "4"
    # the same table as Excel
    response = _portfolio(client, card, format="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    by_code = {row[header.index("code")]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_code["PB"][header.index("index")] == pytest.approx(20.8333, abs=1e-3)
    # a partner's export holds only their row
    lead_rows = list(
        csv.DictReader(
            io.StringIO(_portfolio(login(world.users["partner_a_lead"]), card, format="csv").content.decode())
        )
    )
    assert [r["code"] for r in lead_rows] == ["PA"]


def test_provider_page_breakdown_and_agent_drill_down(world, lake_uri, card, login):
    client = login(world.users["partner_a_lead"])
    url = f"/performance/providers/{world.partner_a.pk}/"
    page = client.get(url, {"period": "2026-05", "by": "agent"}).content.decode()
    # AHT shown in minutes and seconds: 300 s overall, 200 s and 400 s per agent
    assert "5m 00s" in page and "PA-001" in page and "3m 20s" in page and "6m 40s" in page
    # drill down to one agent: only that agent's numbers
    page = client.get(url, {"period": "2026-05", "by": "agent", "agent": "PA-002"}).content.decode()
    assert "6m 40s" in page and "3m 20s" not in page
    # breakdown export by agent
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(url, {"period": "2026-05", "by": "agent", "format": "csv"}).content.decode())
        )
    )
    assert {r["agent"]: float(r["Average handle time"]) for r in rows} == {"PA-001": 200.0, "PA-002": 400.0}
    # components export carries the evidence
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(url, {"period": "2026-05", "table": "components", "format": "csv"}).content.decode())
        )
    )
    aht = rows[0]
    assert (aht["metric"], float(aht["numerator"]), float(aht["denominator"])) == ("Average handle time", 1200.0, 4.0)
    assert rows[2]["status"] == "no data"


def test_provider_page_of_another_partner_is_404(world, lake_uri, card, login):
    client = login(world.users["partner_a_lead"])
    assert client.get(f"/performance/providers/{world.partner_b.pk}/").status_code == 404


def test_api_query_is_cut_to_the_partner(world, lake_uri, card, login):
    client = login(world.users["partner_a_lead"])
    # no provider named: their own numbers only
    data = client.get("/api/scorecards/query/", {"period": "2026-05"}).json()
    rows = data["scorecards"][0]["rows"]
    assert [r["dimensions"]["provider"] for r in rows] == ["PA"]
    assert rows[0]["index"] == pytest.approx(91.6667, abs=1e-3)
    assert rows[0]["components"][0]["value"] == pytest.approx(300)
    assert data["scorecards"][0]["lake_versions"] == {"interactions": 0}
    # naming another partner is a 404, never their numbers
    assert client.get("/api/scorecards/query/", {"provider": "PB", "period": "2026-05"}).status_code == 404
    assert client.get("/api/scorecards/query/", {"provider": "INT", "period": "2026-05"}).status_code == 404


def test_api_query_for_the_client_by_site(world, lake_uri, card, login):
    client = login(world.users["client_admin"])
    data = client.get("/api/scorecards/query/", {"provider": "PB", "period": "2026-05", "by": "site"}).json()
    (row,) = data["scorecards"][0]["rows"]
    assert row["dimensions"] == {"provider": "PB", "site": "PB-S1"}
    assert row["components"][0]["value"] == pytest.approx(600)
    assert row["index"] == pytest.approx(20.8333, abs=1e-3)
    assert client.get("/api/scorecards/query/", {"period": "May"}).status_code == 400
    assert client.get("/api/scorecards/query/", {"by": "planet"}).status_code == 400


def test_api_scorecard_list_is_scoped_by_program(world, card, login):
    from concord.performance import services

    services.scorecard_create(actor=world.users["client_admin"], program=world.program_b_only, name="B card")
    names_a = [c["name"] for c in login(world.users["partner_a_lead"]).get("/api/scorecards/").json()]
    assert names_a == ["Shared card"]
    names_admin = [c["name"] for c in login(world.users["client_admin"]).get("/api/scorecards/").json()]
    assert sorted(names_admin) == ["B card", "Shared card"]
