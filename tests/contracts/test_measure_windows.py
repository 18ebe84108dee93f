"""Contract dates inside a month and outage windows as time windows, on the tiny lake of conftest.

The contacts of partner A in May (UTC; Madrid is UTC+2 in May):
- 14 May 12:01 and 12:03: wait 100 s (not answered within 20 s), talk 300 s
- 20 May 12:05, 12:07, 12:09 and 12:11: wait 10 s (answered within 20 s), talk 300 s
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from concord.contracts import services
from concord.contracts.models import SLAResult

from .conftest import ROWS, make_contract

MAY = dt.date(2026, 5, 1)


def _results(world, contract):
    rows = services.compute_month(actor=world.users["client_admin"], contract=contract, period=MAY)
    return {r.sla.name: r for r in rows}


def test_the_fixture_is_laid_out_as_the_tests_assume():
    pa = [r["created_at"] for r in ROWS if r["provider"] == "PA"]
    may_20 = sorted(t for t in pa if t.date() == dt.date(2026, 5, 20))
    assert [t.strftime("%H:%M") for t in may_20] == ["12:05", "12:07", "12:09", "12:11"]


def test_an_outage_window_removes_exactly_the_contacts_created_inside_it(world, lake_uri):
    # given a window 20 May 12:05 (inclusive) to 12:09 (exclusive) UTC, i.e. 14:05-14:09 in Madrid
    contract = make_contract(world, world.partner_a, outage=False)
    services.outage_create(
        actor=world.users["client_admin"],
        contract=contract,
        starts_at=datetime(2026, 5, 20, 12, 5, tzinfo=UTC),
        ends_at=datetime(2026, 5, 20, 12, 9, tzinfo=UTC),
        reason="Queue down",
    )
    # when May is computed
    sl = _results(world, contract)["Service level"]
    # then 12:05 and 12:07 are left out, 12:09 and 12:11 and the two slow 14 May contacts stay:
    # 2 of 4 answered within 20 s = 50 %; the rest of the day is not dropped
    assert (sl.numerator, sl.denominator, sl.volume) == (2.0, 4.0, 4)
    assert sl.value == pytest.approx(50.0) and sl.status == "missed"
    assert sl.excluded_windows == [["2026-05-20T12:05:00+00:00", "2026-05-20T12:09:00+00:00"]]
    assert sl.excluded_windows_display == ["20 May 2026 14:05 to 20 May 2026 14:09"]


def test_a_window_for_one_sla_leaves_the_others_whole(world, lake_uri):
    contract = make_contract(world, world.partner_a, outage=False)
    asa = contract.slas.get(name="ASA")
    services.outage_create(
        actor=world.users["client_admin"],
        contract=contract,
        sla=asa,
        starts_at=datetime(2026, 5, 14, 12, tzinfo=UTC),
        ends_at=datetime(2026, 5, 14, 13, tzinfo=UTC),
        reason="IVR fault",
    )
    results = _results(world, contract)
    # ASA without the two 100 s waits: 10 s over the four 20 May contacts; service level still sees all six
    assert results["ASA"].volume == 4 and results["ASA"].value == pytest.approx(10)
    assert results["Service level"].volume == 6 and results["Service level"].excluded_windows == []


def test_a_contract_starting_mid_month_is_measured_from_its_first_day(world, lake_uri):
    # given a contract in force from 15 May (local midnight, 14 May 22:00 UTC)
    contract = make_contract(world, world.partner_a, outage=False)
    services.contract_update(actor=world.users["client_admin"], contract=contract, start_date=dt.date(2026, 5, 15))
    results = _results(world, contract)
    sl = results["Service level"]
    # then only the four fast contacts of 20 May count: 4 of 4 within 20 s
    assert (sl.numerator, sl.denominator, sl.volume, sl.status) == (4.0, 4.0, 4, "met")
    assert (sl.measured_from, sl.measured_to) == (dt.date(2026, 5, 15), dt.date(2026, 5, 31))
    assert "15 May to 31 May" in sl.note
    # ASA 10 s over those four contacts
    assert results["ASA"].value == pytest.approx(10)


def test_a_contract_ending_mid_month_is_measured_up_to_its_last_day(world, lake_uri):
    contract = make_contract(world, world.partner_a, outage=False)
    services.contract_update(actor=world.users["client_admin"], contract=contract, end_date=dt.date(2026, 5, 19))
    sl = _results(world, contract)["Service level"]
    # only the two slow 14 May contacts: 0 of 2
    assert (sl.numerator, sl.denominator, sl.volume, sl.status) == (0.0, 2.0, 2, "missed")
    assert (sl.measured_from, sl.measured_to) == (dt.date(2026, 5, 1), dt.date(2026, 5, 19))


def test_a_month_outside_the_contract_is_not_measured_and_costs_nothing(world, lake_uri):
    contract = make_contract(world, world.partner_a, outage=False)
    services.contract_update(actor=world.users["client_admin"], contract=contract, end_date=dt.date(2026, 4, 30))
    results = _results(world, contract).values()
    assert {r.status for r in results} == {SLAResult.Status.NOT_MEASURED}
    assert sum(r.credit for r in results) == Decimal("0.00")
    assert all("not in force" in r.note for r in results)
