"""The month rules of DOMAIN.md "Contracts", each against a hand computation:
partial months prorate the fee and at-risk amount; FCR's repeats are looked for across the
month end, and an outage window crossing it removes its contacts from the repeats too;
windows on DST nights are shown with their offsets; a result is provisional until its
look-ahead is over and the lake holds data past it, then finalised by the scheduled refresh.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pyarrow as pa
import pytest
from deltalake import write_deltalake
from django.core.exceptions import ValidationError

from concord.contracts import month_close, services, status
from concord.contracts.models import OutageWindow, SLAResult, window_text
from concord.contracts.refresh import refresh_contract
from concord.lake.schemas import INTERACTIONS

from .conftest import MADRID, contact, make_contract

OCTOBER = dt.date(2026, 10, 1)


def test_a_contract_in_force_part_of_a_month_carries_a_prorated_fee_and_at_risk(world, lake_uri, login):
    # given a contract from 14 May: 18 of May's 31 days in force, no outage declared
    admin = world.users["client_admin"]
    contract = make_contract(world, world.partner_a, outage=False)
    services.contract_update(actor=admin, contract=contract, start_date=dt.date(2026, 5, 14))
    results = services.compute_month(actor=admin, contract=contract, period=dt.date(2026, 5, 1))
    # fee 10,000 x 18/31 = 5,806.45; at risk 10 % of it = 580.645 -> 580.65 (not the full 1,000)
    # SL 4/6, AHT 300 s and ASA 40 s all missed at 100 % each: 3 x 580.65 capped to 580.65, 193.55 each
    assert sorted(r.credit for r in results) == [Decimal("193.55")] * 3
    page = login(admin).get(f"/contracts/{contract.pk}/report/", {"period": "2026-05"}).content.decode()
    assert "580.65 EUR" in page and "prorated" in page and "fee 5,806.45 EUR" in page
    statement = month_close.close_month(actor=admin, contract=contract, period=dt.date(2026, 5, 1))
    assert (statement.totals["fee"], statement.totals["at_risk"], statement.totals["net"]) == (
        "5806.45",
        "580.65",
        "580.65",
    )


def _resolved(customer, when):
    row = contact("PA", when - timedelta(minutes=1), talk=100, wait=5)  # contact() adds a few minutes
    row.update(created_at=when, updated_at=when, customer_key=customer, resolved=True, resolved_at=when)
    row["created_month"] = when.strftime("%Y-%m")
    return row


#: Madrid is UTC+1 from 25 Oct 2026 (CET)
FCR_ROWS = [
    _resolved("C1", datetime(2026, 10, 31, 20, tzinfo=UTC)),  # 21:00 local, 31 Oct
    _resolved("C1", datetime(2026, 11, 1, 0, 30, tzinfo=UTC)),  # 01:30 local, 1 Nov: inside the outage
    _resolved("C2", datetime(2026, 10, 30, 10, tzinfo=UTC)),  # never comes back
    _resolved("C3", datetime(2026, 10, 29, 10, tzinfo=UTC)),
    _resolved("C3", datetime(2026, 11, 3, 10, tzinfo=UTC)),  # a repeat in November, 5 days later
    _resolved("C9", datetime(2026, 11, 10, 10, tzinfo=UTC)),  # later data: the lake reaches past 8 Nov
]


@pytest.fixture
def fcr_lake(settings, tmp_path):
    uri = str(tmp_path / "fcr-lake")
    table = pa.Table.from_pylist(FCR_ROWS, schema=INTERACTIONS.schema)
    write_deltalake(f"{uri}/interactions", table, partition_by=list(INTERACTIONS.partition_by))
    settings.LAKE_URI = uri
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    return uri


def _fcr_contract(world):
    return services.contract_create(
        actor=world.users["client_admin"],
        provider=world.partner_a,
        name="PA FCR",
        start_date=dt.date(2026, 1, 1),
        monthly_fee=Decimal("10000"),
        at_risk_percent=Decimal("10"),
        slas=[
            {
                "name": "FCR",
                "metric_key": "fcr",
                "params": {"window_days": 7},
                "comparator": ">=",
                "target": 60,
                "min_volume": 1,
                "allocation_percent": Decimal("100"),
            }
        ],
    )


def test_repeats_are_found_across_the_month_end_and_an_outage_crossing_it_hides_its_contacts(world, fcr_lake):
    admin = world.users["client_admin"]
    contract = _fcr_contract(world)
    # without an outage, October: C1 repeats on 1 Nov, C3 on 3 Nov, C2 never: 1 of 3 = 33.3 %
    (fcr,) = services.compute_month(actor=admin, contract=contract, period=OCTOBER)
    assert (fcr.numerator, fcr.denominator) == (1.0, 3.0)
    # with a carrier outage from 31 Oct 22:00 to 1 Nov 02:00 local, C1's 01:30 contact is left out
    # of every metric, October's repeat look-ahead included: C1 and C2 resolved first time = 2 of 3
    services.outage_create(
        actor=admin,
        contract=contract,
        starts_at=datetime(2026, 10, 31, 22, tzinfo=MADRID),
        ends_at=datetime(2026, 11, 1, 2, tzinfo=MADRID),
        reason="Carrier outage",
    )
    (fcr,) = services.compute_month(actor=admin, contract=contract, period=OCTOBER)
    assert (fcr.numerator, fcr.denominator, fcr.status) == (2.0, 3.0, "met")
    assert fcr.excluded_windows == [["2026-10-31T21:00:00+00:00", "2026-11-01T01:00:00+00:00"]]
    # and November does not count the contact either (the window is the same both sides)
    (nov,) = services.compute_month(actor=admin, contract=contract, period=dt.date(2026, 11, 1))
    # resolved in November: C1's 1 Nov 01:30 (inside the window: gone), C3's 3 Nov (mature: 3 + 7 days
    # reaches the lake's last contact, 10 Nov 10:00) and C9's 10 Nov (not mature yet, left out): 1
    assert nov.denominator == 1.0 and nov.provisional


def test_a_window_over_the_dst_night_is_shown_with_both_offsets(world, settings):
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    # 01:30 CEST (23:30 UTC) to 02:30 CET (01:30 UTC): two hours, across the clocks going back
    start, end = datetime(2026, 10, 24, 23, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert window_text(start, end) == "25 Oct 2026 01:30 CEST to 25 Oct 2026 02:30 CET"
    # an ordinary window keeps the short form
    assert window_text(datetime(2026, 5, 20, 12, 5, tzinfo=UTC), datetime(2026, 5, 20, 12, 9, tzinfo=UTC)) == (
        "20 May 2026 14:05 to 20 May 2026 14:09"
    )
    contract = make_contract(world, world.partner_a, outage=False)
    outage = OutageWindow(contract=contract, starts_at=start, ends_at=end, reason="DST")
    assert outage.span_text.endswith("01:30 CEST to 25 Oct 2026 02:30 CET")


def test_a_result_is_provisional_until_its_look_ahead_is_over_then_the_sweep_finalises_it(world, fcr_lake, login):
    admin = world.users["client_admin"]
    contract = _fcr_contract(world)
    october_end = datetime(2026, 10, 31, 23, tzinfo=UTC)  # 1 Nov 00:00 CET
    # computed on 5 Nov: the 7-day look-ahead runs to 8 Nov 00:00 local
    (fcr,) = services.compute_month(
        actor=admin, contract=contract, period=OCTOBER, now=datetime(2026, 11, 5, tzinfo=UTC)
    )
    assert fcr.provisional and fcr.final_from == october_end + timedelta(days=7)
    # shown as such on the report, the API, the export and the portfolio badge
    client = login(world.users["partner_a_lead"])
    page = client.get(f"/contracts/{contract.pk}/report/", {"period": "2026-10"}).content.decode()
    assert "provisional" in page and "Final from 8 Nov 2026 00:00 CET" in page
    api = client.get(f"/api/contracts/{contract.pk}/results/", {"period": "2026-10"}).json()
    assert api["provisional"] and api["results"][0]["final_from"] == "2026-11-07T23:00:00Z"
    export = client.get(f"/contracts/{contract.pk}/report/", {"period": "2026-10", "format": "csv"}).content.decode()
    assert next(csv.DictReader(io.StringIO(export)))["provisional"] == "True"
    (badges,) = status.by_provider(world.users["partner_a_lead"], [world.partner_a.pk], OCTOBER)[world.partner_a.pk]
    assert badges.slas[0].qualifiers == "provisional"
    # the client cannot close a month with a provisional result, and is told why
    with pytest.raises(ValidationError, match=r"FCR is provisional \(final from 8 Nov 2026 00:00 CET\)"):
        month_close.close_month(actor=admin, contract=contract, period=OCTOBER)
    # the scheduled refresh leaves it until it matures, then recomputes it as final
    assert refresh_contract(contract.pk, now=datetime(2026, 11, 6, tzinfo=UTC)) == []
    assert refresh_contract(contract.pk, now=datetime(2026, 11, 9, tzinfo=UTC)) == [OCTOBER]
    fcr = SLAResult.objects.get(pk=fcr.pk)
    assert not fcr.provisional
    assert month_close.close_month(actor=admin, contract=contract, period=OCTOBER).lines[0]["status"] == "missed"


def test_a_month_the_lake_has_not_reached_past_is_provisional(world, fcr_lake):
    # November: the look-ahead runs to 8 Dec, the lake stops on 10 Nov; even on 9 Dec it is not final
    contract = _fcr_contract(world)
    (nov,) = services.compute_month(
        actor=world.users["client_admin"],
        contract=contract,
        period=dt.date(2026, 11, 1),
        now=datetime(2026, 12, 9, tzinfo=UTC),
    )
    assert nov.provisional and "no data yet after" in nov.note
