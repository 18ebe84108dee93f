"""One unit system for SLA targets: typed and read as the person reads them (80 means 80 %)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from concord.contracts import services
from concord.contracts.models import SLA
from concord.contracts.units import target_text

from .conftest import make_contract
from .test_pages import _sla_data


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (80, "percent", "80%"),
        (80.5, "percent", "80.5%"),
        (34.5, "seconds", "34.5 s"),  # issue 16: was shown "34 s"
        (40, "seconds", "40 s"),
        (280, "seconds", "4m 40s"),
        (245, "seconds", "4m 05s"),
        (280.5, "seconds", "4m 40.5s"),
        (1200, "count", "1,200"),
    ],
)
def test_a_target_is_shown_with_the_precision_it_was_entered_with(value, unit, shown):
    assert target_text(value, unit) == shown


def test_out_of_range_targets_are_refused_in_the_persons_terms(world, login):
    contract = make_contract(world, world.partner_a, outage=False)
    sl = contract.slas.get(name="Service level")
    client = login(world.users["client_admin"])
    cases = [
        ("service_level", "150", "Service level target must be between 0 and 100%."),
        ("service_level", "-1", "Service level target must be between 0 and 100%."),
        ("asa", "-5", "Average speed of answer target must be at least 0 seconds."),
    ]
    for metric, target, message in cases:
        data = _sla_data(
            metric_key=metric, target=target, params="" if metric == "asa" else '{"threshold_seconds": 20}'
        )
        response = client.post(f"/contracts/slas/{sl.pk}/edit/", data)
        assert response.status_code == 400, (metric, target)
        assert response.context["form"].errors["target"] == [message]
    # the refused edits changed nothing
    sl.refresh_from_db()
    assert (sl.metric_key, sl.target) == ("service_level", 80.0)
    # annualised attrition may pass 100 %
    services.sla_update(actor=world.users["client_admin"], sla=sl, metric_key="attrition", params={}, target=120)


def test_the_form_names_the_unit_of_every_target(world, login):
    contract = make_contract(world, world.partner_a, outage=False)
    client = login(world.users["client_admin"])
    form = client.get(f"/contracts/slas/{contract.slas.get(name='Service level').pk}/edit/").context["form"]
    assert form.fields["target"].label == "Target, in percent (80 means 80%)"
    assert (
        "seconds: " in form.fields["target"].help_text and "Average speed of answer" in form.fields["target"].help_text
    )
    form = client.get(f"/contracts/slas/{contract.slas.get(name='ASA').pk}/edit/").context["form"]
    assert form.fields["target"].label == "Target, in seconds"


def test_pages_show_targets_as_entered_and_money_with_thousands_separators(world, lake_uri, login):
    admin = world.users["client_admin"]
    contract = make_contract(world, world.partner_a)
    services.contract_update(actor=admin, contract=contract, monthly_fee=Decimal("134000"), at_risk_percent=Decimal(12))
    services.sla_update(actor=admin, sla=contract.slas.get(name="ASA"), target=34.5)
    services.compute_month(actor=admin, contract=contract, period=dt.date(2026, 5, 1))
    client = login(world.users["partner_a_lead"])
    detail = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "at most 34.5 s" in detail and "at least 80%" in detail
    assert "{&#x27;threshold_seconds&#x27;" not in detail and "threshold seconds 20" in detail
    report = client.get(f"/contracts/{contract.pk}/report/", {"period": "2026-05"}).content.decode()
    # 134,000 x 12 % = 16,080.00 at risk; AHT and ASA missed at 100 % each: capped to 16,080.00
    assert "at most 34.5 s" in report and "16,080.00 EUR" in report
    assert "Net credit</dt><dd>16,080.00 EUR" in report
    api = client.get(f"/api/contracts/{contract.pk}/results/", {"period": "2026-05"}).json()
    asa = next(r for r in api["results"] if r["sla"] == "ASA")
    assert (asa["target"], asa["unit"], asa["target_text"]) == (34.5, "seconds", "34.5 s")
    assert SLA.objects.get(pk=contract.slas.get(name="ASA").pk).target == 34.5


def test_a_share_typed_for_a_percentage_floor_is_refused_with_the_number_meant(world, login):
    # the walk of the demo: "at least 0.8" was saved as "at least 0.8%", and 54.3% read as met
    contract = make_contract(world, world.partner_a, outage=False)
    sl = contract.slas.get(name="Service level")
    client = login(world.users["client_admin"])
    data = _sla_data(metric_key="service_level", target="0.8", params='{"threshold_seconds": 20}')
    response = client.post(f"/contracts/slas/{sl.pk}/edit/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["target"] == [
        "Service level target of 0.8% reads like a share: targets are percentages, so type 80 for 80%."
    ]
    sl.refresh_from_db()
    assert sl.target == 80.0
    # a ceiling under 1% is a real target: at most 0.5% abandoned
    services.sla_update(
        actor=world.users["client_admin"], sla=sl, metric_key="abandon_rate", params={}, comparator="<=", target=0.5
    )
    sl.refresh_from_db()
    assert (sl.metric_key, sl.target) == ("abandon_rate", 0.5)


def test_the_statement_shows_targets_as_entered_on_the_page_pdf_csv_and_api(world, lake_uri, login):
    import csv
    import io

    from concord.contracts import month_close, pdf, selectors

    admin = world.users["client_admin"]
    contract = make_contract(world, world.partner_a)
    services.sla_update(actor=admin, sla=contract.slas.get(name="ASA"), target=34.5)
    services.sla_update(actor=admin, sla=contract.slas.get(name="AHT"), allocation_percent=Decimal("12.5"))
    may = dt.date(2026, 5, 1)
    services.compute_month(actor=admin, contract=contract, period=may)
    month_close.close_month(actor=admin, contract=contract, period=may)
    client = login(world.users["partner_a_lead"])
    url = f"/contracts/{contract.pk}/statement/"
    page = client.get(url, {"period": "2026-05"}).content.decode()
    # an allocation keeps its decimals (it was rounded to "13 %")
    assert "at most 34.5 s" in page and "12.50 %" in page and "13 %" not in page
    printed = pdf.statement_html(selectors.statement(world.users["partner_a_lead"], contract, may))
    assert "at most 34.5 s" in printed and "12.50 %" in printed
    rows = list(csv.DictReader(io.StringIO(client.get(url, {"period": "2026-05", "format": "csv"}).content.decode())))
    asa = next(r for r in rows if r["SLA"] == "ASA")
    assert (asa["target"], asa["target as entered"], asa["unit"]) == ("34.5", "34.5 s", "seconds")
    api = client.get(f"/api/contracts/{contract.pk}/statement/", {"period": "2026-05"}).json()
    line = next(ln for ln in api["as_closed"]["lines"] if ln["sla"] == "ASA")
    assert (line["target"], line["target_text"]) == (34.5, "34.5 s")
