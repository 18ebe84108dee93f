"""Earn-back when the missed month is already closed: the closed month stays as billed and the
credit it billed comes back on the statement of the month that completes the run of met months.

Hand computation on partner A's lake (conftest), earn-back after 2 months all met:
- May: SL met; AHT 300 s > 280 and ASA 10 s > 5 missed. At risk 10,000 x 10 % = 1,000.00;
  the two misses allocate 100 % + 100 % = 200 % > 100 %, capped: 500.00 each, net 1,000.00.
- June and July: every contact waits 3 s and talks 200 s: SL, AHT and ASA all met.
So May's AHT and ASA misses are earned back once July is met. May closed first: its
statement keeps net 1,000.00, and July returns 500.00 per line: July's net is -1,000.00.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from concord.contracts import month_close, services
from concord.contracts.models import SLAResult, Statement

from .conftest import _at, append_contacts, contact

MAY, JUNE, JULY = dt.date(2026, 5, 1), dt.date(2026, 6, 1), dt.date(2026, 7, 1)


def _compute(world, contract, period):
    return services.compute_month(actor=world.users["client_admin"], contract=contract, period=period)


def test_a_closed_months_earn_back_lands_in_the_later_months_statement(world, lake_uri, contract_a, login):
    admin = world.users["client_admin"]
    # one August contact, so the lake reaches past July and July's results are final (closable)
    append_contacts(lake_uri, [contact("PA", _at(8, 3), talk=200, wait=3)])
    _compute(world, contract_a, MAY)
    may = month_close.close_month(actor=admin, contract=contract_a, period=MAY)
    assert may.totals["net"] == "1000.00"
    _compute(world, contract_a, JUNE)
    _compute(world, contract_a, JULY)
    july = {r.sla.name: r for r in SLAResult.objects.filter(period=JULY)}
    assert {n: (r.status, r.earn_back_of, r.earn_back_credit) for n, r in july.items()} == {
        "Service level": ("met", None, Decimal("0.00")),
        "AHT": ("met", MAY, Decimal("500.00")),
        "ASA": ("met", MAY, Decimal("500.00")),
    }
    # the closed month is never recomputed: its results and statement stay as billed
    assert not SLAResult.objects.filter(period=MAY, earned_back=True).exists()
    may.refresh_from_db()
    assert may.totals["net"] == "1000.00" and all(not ln["earned_back"] for ln in may.lines)
    # computing again changes nothing (the return is not counted twice)
    _compute(world, contract_a, JULY)
    assert sum(r.earn_back_credit for r in SLAResult.objects.filter(period=JULY)) == Decimal("1000.00")
    # July's report and its statement carry the return
    client = login(admin)
    report = client.get(f"/api/contracts/{contract_a.pk}/results/", {"period": "2026-07"}).json()
    assert (report["credit"], report["earned_back"], report["net_credit"]) == ("0.00", "1000.00", "-1000.00")
    page = client.get(f"/contracts/{contract_a.pk}/report/", {"period": "2026-07"}).content.decode()
    assert "returns 500.00 billed for May 2026 (closed)" in page
    july_statement = month_close.close_month(actor=admin, contract=contract_a, period=JULY)
    lines = {ln["sla"]: (ln["earn_back_of"], ln["earn_back_credit"], ln["net"]) for ln in july_statement.lines}
    assert lines == {
        "Service level": (None, "0.00", "0.00"),
        "AHT": ("2026-05", "500.00", "-500.00"),
        "ASA": ("2026-05", "500.00", "-500.00"),
    }
    totals = july_statement.totals
    assert (totals["credit"], totals["earned_back"], totals["net"]) == ("0.00", "1000.00", "-1000.00")
    csv = client.get(f"/contracts/{contract_a.pk}/statement/", {"period": "2026-07", "format": "csv"})
    assert "2026-05,500.00,-500.00" in csv.content.decode()
    assert Statement.objects.get(period=MAY).totals["net"] == "1000.00"


def test_an_open_month_is_earned_back_on_its_own_result(world, lake_uri, contract_a):
    """Nothing closed: May's own result is earned back (net 0), and July returns nothing."""
    for period in (MAY, JUNE, JULY):
        _compute(world, contract_a, period)
    may = {r.sla.name: r for r in SLAResult.objects.filter(period=MAY)}
    assert {n: (r.credit, r.earned_back, r.net_credit) for n, r in may.items()} == {
        "Service level": (Decimal("0.00"), False, Decimal("0.00")),
        "AHT": (Decimal("500.00"), True, Decimal("0.00")),
        "ASA": (Decimal("500.00"), True, Decimal("0.00")),
    }
    assert not SLAResult.objects.filter(period=JULY).exclude(earn_back_credit=0).exists()
