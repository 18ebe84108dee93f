"""Stored SLA results are never stale: they know the terms and lake version they came from,
say "out of date" everywhere when either changes, are recomputed in the background, and a
closed (billed) month changes only by an audited restatement that keeps the old figures.

On the tiny lake (conftest), partner A's May without the outage: service level 4 of 6
answered within 20 s = 66.7 %; AHT 300 s; ASA 40 s. At risk 10 % of 10,000 = 1,000.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.contracts import month_close, services, status
from concord.contracts.models import Restatement, SLAResult, Statement
from concord.contracts.refresh import refresh_contract

from .conftest import _at, append_contacts, contact, make_contract

MAY = dt.date(2026, 5, 1)


def _sl(contract):
    return SLAResult.objects.get(sla__contract=contract, sla__name="Service level", period=MAY)


def test_editing_a_target_marks_the_result_out_of_date_everywhere_until_recomputed(
    world, lake_uri, login, immediate_tasks, django_capture_on_commit_callbacks
):
    admin = world.users["client_admin"]
    contract = make_contract(world, world.partner_a, outage=False)
    sl = contract.slas.get(name="Service level")
    # given a target of 60 % (a share typed for a percentage, 0.8, is now refused) and May computed: 66.7 % meets it
    with django_capture_on_commit_callbacks(execute=True):
        services.sla_update(actor=admin, sla=sl, target=60)
        services.compute_month(actor=admin, contract=contract, period=MAY)
    assert (_sl(contract).status, round(_sl(contract).value, 1)) == ("met", 66.7)
    # when the target is corrected to 80 and the background task has not run yet
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.sla_update(actor=admin, sla=sl, target=80)
    assert len(queued) == 1
    client = login(world.users["partner_a_lead"])
    # then the report, the API, the export and the portfolio badge all say "out of date"
    page = client.get(f"/contracts/{contract.pk}/report/", {"period": "2026-05"}).content.decode()
    assert "out of date" in page and "being recomputed in the background" in page
    # and the stale verdict is not shown as a green "met" beside 66.7 % against at least 80 %
    assert '<span class="badge good">met</span>' not in page and "was met" in page
    api = client.get(f"/api/contracts/{contract.pk}/results/", {"period": "2026-05"}).json()
    line = next(r for r in api["results"] if r["sla"] == "Service level")
    assert api["out_of_date"] is True and line["out_of_date"] is True
    assert line["out_of_date_reasons"] == ["the contract's terms changed since it was computed"]
    export = client.get(f"/contracts/{contract.pk}/report/", {"period": "2026-05", "format": "csv"})
    rows = {r["sla"]: r for r in csv.DictReader(io.StringIO(export.content.decode()))}
    assert rows["Service level"]["up to date"] == "False"
    badges = status.by_provider(world.users["partner_a_lead"], [world.partner_a.pk], MAY)[world.partner_a.pk][0]
    badge = next(b for b in badges.slas if b.name == "Service level")
    assert badge.out_of_date and "out of date" in badge.qualifiers and badge.css == "warn"
    # when the background task runs, the result is recomputed: 66.7 % misses 80 %
    queued[0]()
    assert _sl(contract).status == "missed"
    page = client.get(f"/contracts/{contract.pk}/report/", {"period": "2026-05"}).content.decode()
    assert "out of date" not in page and "at least 80%" in page


def test_newer_lake_data_marks_results_out_of_date_and_the_refresh_reads_it(world, lake_uri, login):
    admin = world.users["client_admin"]
    contract = make_contract(world, world.partner_a, outage=False)
    services.compute_month(actor=admin, contract=contract, period=MAY)
    assert _sl(contract).lake_version == 0
    # a late-arriving May contact, answered within 20 s: 5 of 7
    append_contacts(lake_uri, [contact("PA", _at(5, 21), talk=300, wait=5)])
    api = login(admin).get(f"/api/contracts/{contract.pk}/results/", {"period": "2026-05"}).json()
    line = next(r for r in api["results"] if r["sla"] == "Service level")
    assert line["out_of_date_reasons"] == ["the lake has newer data (version 0 read, 1 now)"]
    # the scheduled refresh recomputes it from version 1
    assert refresh_contract(contract.pk) == [MAY]
    sl = _sl(contract)
    assert (sl.lake_version, sl.numerator, sl.denominator) == (1, 5.0, 7.0)
    assert refresh_contract(contract.pk) == []  # up to date: nothing to do


def test_a_closed_month_is_never_silently_recomputed_and_a_restatement_keeps_the_old_figures(
    world, lake_uri, login, immediate_tasks, django_capture_on_commit_callbacks
):
    admin = world.users["client_admin"]
    contract = make_contract(world, world.partner_a)  # May 14 outage: SL met, AHT 300 > 280 and ASA 10 > 5 missed
    services.compute_month(actor=admin, contract=contract, period=MAY)
    statement = month_close.close_month(actor=admin, contract=contract, period=MAY)
    billed = {ln["sla"]: ln["credit"] for ln in statement.lines}
    assert billed == {"Service level": "0.00", "AHT": "500.00", "ASA": "500.00"}
    # when the AHT target is raised to 400 s, the background refresh leaves the billed month alone
    with django_capture_on_commit_callbacks(execute=True):
        services.sla_update(actor=admin, sla=contract.slas.get(name="AHT"), target=400)
    aht = SLAResult.objects.get(sla__name="AHT", sla__contract=contract, period=MAY)
    assert (aht.status, aht.credit) == ("missed", Decimal("500.00"))
    # and says so: closed, out of date, restatement needed
    page = login(admin).get(f"/contracts/{contract.pk}/report/", {"period": "2026-05"}).content.decode()
    assert "closed" in page and "out of date" in page and "until a restatement" in page
    # an explicit recompute is refused with a clear message
    with pytest.raises(ValidationError, match="May 2026 is closed"):
        services.compute_month(actor=admin, contract=contract, period=MAY)
    # the partner cannot restate, and nothing changes
    with pytest.raises(PermissionDenied):
        month_close.restate_month(actor=world.users["partner_a_lead"], statement=statement, reason="please")
    with pytest.raises(ValidationError):
        month_close.restate_month(actor=admin, statement=statement, reason="  ")
    assert not Restatement.objects.exists()
    # the client restates: AHT now met, ASA alone missed at 100 % = the whole 1,000
    restatement = month_close.restate_month(actor=admin, statement=statement, reason="AHT target renegotiated")
    before = {ln["sla"]: ln["credit"] for ln in restatement.before["lines"]}
    after = {ln["sla"]: ln["credit"] for ln in restatement.after["lines"]}
    assert before == billed and after == {"Service level": "0.00", "AHT": "0.00", "ASA": "1000.00"}
    # the statement keeps the figures as billed
    statement.refresh_from_db()
    assert {ln["sla"]: ln["credit"] for ln in statement.lines} == billed
    # restating again with nothing changed is refused and adds nothing
    with pytest.raises(ValidationError, match="nothing to restate"):
        month_close.restate_month(actor=admin, statement=statement, reason="again")
    assert Restatement.objects.count() == 1 and Statement.objects.count() == 1
