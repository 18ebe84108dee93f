"""Typing an outage's times on the nights the clocks change (reporting zone Europe/Madrid).

EU summer time (Directive 2000/84/EC) ends at 01:00 UTC on the last Sunday of October: on
25 Oct 2026 the local clock runs 02:00-03:00 CEST (UTC+2), then 02:00-03:00 again in CET (UTC+1).
It begins at 01:00 UTC on the last Sunday of March: on 29 Mar 2026 the clock jumps from
02:00 CET to 03:00 CEST, so 02:30 never happens. Hand-computed instants:
- 25 Oct 01:30 (happens once, CEST)  = 24 Oct 23:30 UTC
- 25 Oct 02:30, first (CEST)          = 25 Oct 00:30 UTC
- 25 Oct 02:30, second (CET)          = 25 Oct 01:30 UTC
"""

from __future__ import annotations

import datetime as dt

import pytest

from concord.contracts.models import OutageWindow

from .conftest import make_contract


@pytest.fixture
def madrid(settings):
    settings.REPORTING_TIMEZONE = "Europe/Madrid"


def _post(client, contract, **fields):
    data = {"sla": "", "reason": "Carrier", **fields}
    return client.post(f"/contracts/{contract.pk}/outages/new/", data)


def test_a_repeated_time_asks_which_and_the_answer_sets_the_instant(world, madrid, login):
    contract = make_contract(world, world.partner_a, outage=False)
    admin = login(world.users["client_admin"])
    # not said which 02:30: refused, the message names both offsets, nothing stored
    response = _post(admin, contract, starts_at="2026-10-25T01:30", ends_at="2026-10-25T02:30")
    page = response.content.decode()
    assert response.status_code == 400 and not OutageWindow.objects.exists()
    assert "02:30 on 25 Oct 2026 happens twice in Europe/Madrid: first at CEST (UTC+02:00)" in page
    assert "then again an hour later at CET (UTC+01:00)" in page
    # the second 02:30 (CET): a two-hour window
    response = _post(admin, contract, starts_at="2026-10-25T01:30", ends_at="2026-10-25T02:30", ends_fold="1")
    assert response.status_code == 302
    outage = OutageWindow.objects.get()
    assert outage.starts_at == dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC)
    assert outage.ends_at == dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)
    assert outage.span_text == "25 Oct 2026 01:30 CEST to 25 Oct 2026 02:30 CET"
    # editing it shows the times as typed, with the second 02:30 chosen
    form = admin.get(f"/contracts/outages/{outage.pk}/edit/").content.decode()
    assert 'value="2026-10-25T02:30"' in form and '<option value="1" selected>' in form
    # the first 02:30 (CEST): one hour
    response = _post(admin, contract, starts_at="2026-10-25T01:30", ends_at="2026-10-25T02:30", ends_fold="0")
    assert response.status_code == 302
    assert OutageWindow.objects.latest("pk").ends_at == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)


def test_a_skipped_time_is_refused_with_a_message(world, madrid, login):
    contract = make_contract(world, world.partner_a, outage=False)
    admin = login(world.users["client_admin"])
    response = _post(admin, contract, starts_at="2026-03-29T02:30", ends_at="2026-03-29T04:00")
    assert response.status_code == 400 and not OutageWindow.objects.exists()
    assert "02:30 on 29 Mar 2026 does not exist in Europe/Madrid: the clocks go forward" in response.content.decode()
    # an ordinary time needs no choice; the fold choice is ignored when the time happens once
    response = _post(admin, contract, starts_at="2026-03-29T01:30", ends_at="2026-03-29T03:30", starts_fold="1")
    assert response.status_code == 302
    outage = OutageWindow.objects.get()
    # 01:30 CET = 00:30 UTC; 03:30 CEST = 01:30 UTC: one hour of real time
    assert (outage.starts_at, outage.ends_at) == (
        dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC),
    )


def test_garbage_times_are_refused_next_to_their_field(world, madrid, login):
    contract = make_contract(world, world.partner_a, outage=False)
    admin = login(world.users["client_admin"])
    response = _post(admin, contract, starts_at="yesterday", ends_at="2026-03-29T04:00", ends_fold="7")
    page = response.content.decode()
    assert response.status_code == 400 and not OutageWindow.objects.exists()
    assert "Give a date and time such as 2026-10-25 02:30." in page
