"""A lake commit makes a result out of date only when it touches what the result read: the
same table, the contract's provider, the UTC months of the measured month (plus look-ahead).

Partner A's May on the tiny lake (conftest; reporting zone Europe/Madrid, CEST = UTC+2):
May reads 30 Apr 22:00 UTC to 31 May 22:00 UTC, i.e. the created_month partitions 2026-04
and 2026-05. The lake already reaches July, so May's service level, AHT and ASA are final.
"""

from __future__ import annotations

import datetime as dt

from concord.contracts import services
from concord.contracts.lake_changes import utc_months
from concord.contracts.models import SLAResult
from concord.contracts.refresh import refresh_contract
from concord.contracts.terms import staleness

from .conftest import MADRID, _at, append_contacts, contact, make_contract

MAY = dt.date(2026, 5, 1)


def test_a_month_in_madrid_reads_two_utc_partitions():
    start, end = dt.datetime(2026, 5, 1, tzinfo=MADRID), dt.datetime(2026, 6, 1, tzinfo=MADRID)
    assert utc_months(start, end) == {"2026-04", "2026-05"}
    assert utc_months(dt.datetime(2026, 5, 1, tzinfo=dt.UTC), dt.datetime(2026, 6, 1, tzinfo=dt.UTC)) == {"2026-05"}


def _stale(contract):
    results = list(SLAResult.objects.filter(sla__contract=contract, period=MAY).select_related("sla__contract"))
    return {r.sla.name: s.out_of_date for r, s in zip(results, staleness(results).values(), strict=True)}


def test_only_commits_touching_the_provider_and_months_read_make_a_result_out_of_date(world, lake_uri):
    admin = world.users["client_admin"]
    contract = make_contract(world, world.partner_a, outage=False)
    services.compute_month(actor=admin, contract=contract, period=MAY)
    assert not any(r.provisional for r in SLAResult.objects.filter(period=MAY))
    # version 1: partner B's late May contacts; version 2: partner A's August. Neither touches A's May
    append_contacts(lake_uri, [contact("PB", _at(5, 21), talk=600, wait=50)])
    append_contacts(lake_uri, [contact("PA", _at(8, 3), talk=200, wait=3)])
    assert _stale(contract) == {"Service level": False, "AHT": False, "ASA": False}
    assert refresh_contract(contract.pk) == []
    assert set(SLAResult.objects.filter(period=MAY).values_list("lake_version", flat=True)) == {0}
    # version 3: a late partner A contact created 30 Apr 23:00 UTC = 1 May 01:00 in Madrid: it counts
    append_contacts(lake_uri, [contact("PA", dt.datetime(2026, 4, 30, 23, tzinfo=dt.UTC), talk=300, wait=5)])
    assert _stale(contract) == {"Service level": True, "AHT": True, "ASA": True}
    assert refresh_contract(contract.pk) == [MAY]
    # 5 of 7 answered within 20 s now, read from version 3
    sl = SLAResult.objects.get(sla__contract=contract, sla__name="Service level", period=MAY)
    assert (sl.lake_version, sl.numerator, sl.denominator) == (3, 5.0, 7.0)
