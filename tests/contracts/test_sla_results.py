"""SLA results from the lake: evidence, outages, credits capped, earn-back; and who sees them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from concord.contracts import services
from concord.contracts.models import SLAResult

MAY, JUNE, JULY = dt.date(2026, 5, 1), dt.date(2026, 6, 1), dt.date(2026, 7, 1)


def _by_name(results):
    return {r.sla.name: r for r in results}


def test_month_results_keep_evidence_and_leave_out_declared_outage_days(world, lake_uri, contract_a):
    # when May is computed (May 14 declared as an outage)
    results = _by_name(services.compute_month(actor=world.users["client_admin"], contract=contract_a, period=MAY))
    sl = results["Service level"]
    # then the two slow contacts of May 14 are left out: 4 of 4 answered within 20 s
    assert (sl.status, sl.numerator, sl.denominator, sl.volume) == ("met", 4.0, 4.0, 4)
    assert sl.value == pytest.approx(100.0)
    assert sl.excluded_windows == [["2026-05-13T22:00:00+00:00", "2026-05-14T22:00:00+00:00"]]
    assert (sl.lake_table, sl.lake_version) == ("interactions", 0)
    # AHT 300 > 280 and ASA 10 > 5 are missed
    assert results["AHT"].status == "missed" and results["AHT"].value == pytest.approx(300)
    assert results["ASA"].status == "missed" and results["ASA"].value == pytest.approx(10)
    # at risk 10 % of 10,000 = 1,000; two misses at 100 % each = 2,000, capped to 1,000 and split evenly
    assert results["AHT"].credit == Decimal("500.00") and results["ASA"].credit == Decimal("500.00")
    assert results["Service level"].credit == Decimal("0.00")


def test_without_the_outage_the_slow_day_counts(world, lake_uri):
    from .conftest import make_contract

    contract = make_contract(world, world.partner_a, outage=False)
    results = _by_name(services.compute_month(actor=world.users["client_admin"], contract=contract, period=MAY))
    sl = results["Service level"]
    assert (sl.numerator, sl.denominator, sl.status) == (4.0, 6.0, "missed")
    # three misses at 100 % = 3,000 capped to 1,000: 333.33 + 333.33 + 333.34
    assert sum(r.credit for r in results.values()) == Decimal("1000.00")


def test_credits_are_earned_back_after_n_months_met(world, lake_uri, contract_a):
    admin = world.users["client_admin"]
    services.compute_month(actor=admin, contract=contract_a, period=MAY)
    services.compute_month(actor=admin, contract=contract_a, period=JUNE)
    # one month met is not enough with N = 2
    assert not SLAResult.objects.filter(period=MAY, earned_back=True).exists()
    services.compute_month(actor=admin, contract=contract_a, period=JULY)
    may = {r.sla.name: r for r in SLAResult.objects.filter(sla__contract=contract_a, period=MAY)}
    assert may["AHT"].earned_back and may["ASA"].earned_back and may["AHT"].net_credit == Decimal("0.00")
    # recomputing a month changes nothing
    services.compute_month(actor=admin, contract=contract_a, period=JULY)
    assert SLAResult.objects.filter(sla__contract=contract_a).count() == 9


def test_only_the_client_computes(world, lake_uri, contract_a):
    with pytest.raises(PermissionDenied):
        services.compute_month(actor=world.users["partner_a_lead"], contract=contract_a, period=MAY)
    with pytest.raises(PermissionDenied):
        services.compute_month(actor=world.users["client_viewer"], contract=contract_a, period=MAY)
    assert not SLAResult.objects.exists()


def test_report_page_export_and_api_show_a_partner_only_their_own(world, lake_uri, contract_a, contract_b, login):
    admin = world.users["client_admin"]
    services.compute_month(actor=admin, contract=contract_a, period=MAY)
    services.compute_month(actor=admin, contract=contract_b, period=MAY)
    client = login(world.users["partner_a_lead"])
    # partner A reads their report, with its numbers
    page = client.get(f"/contracts/{contract_a.pk}/report/", {"period": "2026-05"}).content.decode()
    # AHT of 300 s shown as 5m 00s against a 4m 40s target
    assert "1,000.00" in page and "5m 00s" in page and "at most 4m 40s" in page and "14 May 2026 00:00" in page
    # but not partner B's contract, nor in the list
    assert client.get(f"/contracts/{contract_b.pk}/report/", {"period": "2026-05"}).status_code == 404
    assert "PB services" not in client.get("/contracts/").content.decode()
    assert client.get(f"/api/contracts/{contract_b.pk}/results/", {"period": "2026-05"}).status_code == 404
    assert [c["provider"] for c in client.get("/api/contracts/").json()] == ["PA"]
    # the export carries the evidence
    response = client.get(f"/contracts/{contract_a.pk}/report/", {"period": "2026-05", "format": "csv"})
    rows = {r["sla"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["AHT"]["status"] == "missed" and float(rows["AHT"]["numerator"]) == 1200.0
    assert rows["Service level"]["lake version"] == "0"
    assert "2026-05-13T22:00" in rows["Service level"]["excluded windows"]
    # the API too
    data = client.get(f"/api/contracts/{contract_a.pk}/results/", {"period": "2026-05"}).json()
    assert data["credit"] == "1000.00" and data["at_risk"] == "1000.00"
    assert {r["sla"]: r["status"] for r in data["results"]} == {
        "Service level": "met",
        "AHT": "missed",
        "ASA": "missed",
    }
    # partner B's API shows B's numbers (AHT 600)
    b = login(world.users["partner_b_lead"]).get(f"/api/contracts/{contract_b.pk}/results/", {"period": "2026-05"})
    assert {r["sla"]: r["value"] for r in b.json()["results"]}["AHT"] == pytest.approx(600)


def test_compute_page_refuses_a_partner_and_changes_nothing(world, lake_uri, contract_a, contract_b, login):
    client = login(world.users["partner_a_lead"])
    assert client.post(f"/contracts/{contract_a.pk}/compute/", {"period": "2026-05"}).status_code == 403
    assert client.post(f"/contracts/{contract_b.pk}/compute/", {"period": "2026-05"}).status_code == 404
    assert not SLAResult.objects.exists()
    admin = login(world.users["client_admin"])
    response = admin.post(f"/contracts/{contract_a.pk}/compute/", {"period": "2026-05"})
    assert response.status_code == 302 and SLAResult.objects.count() == 3


def test_selector_scoping(world, contract_a, contract_b):
    from concord.contracts import selectors

    assert list(selectors.contracts(world.users["partner_b_lead"])) == [contract_b]
    with pytest.raises(Http404):
        selectors.contract(world.users["partner_b_lead"], contract_a.pk)
    with pytest.raises(PermissionDenied):
        selectors.contracts(world.users["partner_a_agent"])
