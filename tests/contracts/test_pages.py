"""Contract management pages: the client creates and edits contracts, SLAs and outages; partners only read."""

from __future__ import annotations

import datetime as dt
from datetime import UTC

from concord.accounts.models import AuditEntry
from concord.contracts.models import SLA, Contract, OutageWindow

from .conftest import make_contract


def _contract_data(world, **extra):
    return {
        "provider": world.partner_a.pk,
        "programs": [world.program_shared.pk],
        "name": "PA master agreement",
        "start_date": "2026-05-10",
        "end_date": "",
        "currency": "eur",
        "monthly_fee": "50000",
        "at_risk_percent": "12",
        "earn_back_periods": "2",
        **extra,
    }


def _sla_data(**extra):
    return {
        "name": "Service level 80/20",
        "metric_key": "service_level",
        "params": '{"threshold_seconds": 20}',
        "comparator": ">=",
        "target": "80",
        "filters": '{"channel": ["voice"]}',
        "min_volume": "100",
        "allocation_percent": "150",
        "position": "0",
        **extra,
    }


def test_the_client_creates_a_contract_with_an_sla_and_an_outage(world, login):
    client = login(world.users["client_admin"])
    # when the client fills the contract form
    response = client.post("/contracts/new/", _contract_data(world))
    contract = Contract.objects.get(name="PA master agreement")
    assert response.status_code == 302 and response["Location"] == f"/contracts/{contract.pk}/"
    assert contract.currency == "EUR" and contract.start_date == dt.date(2026, 5, 10)
    assert [p.code for p in contract.programs.all()] == ["SHARED"]
    # then adds an SLA with params, scope and pool allocation
    assert client.post(f"/contracts/{contract.pk}/slas/new/", _sla_data()).status_code == 302
    sla = contract.slas.get()
    assert sla.params == {"threshold_seconds": 20} and sla.filters == {"channel": ["voice"]}
    # and declares an outage in Madrid time: 14:05 local is 12:05 UTC in May
    data = {"sla": "", "starts_at": "2026-05-20T14:05", "ends_at": "2026-05-20T14:09", "reason": "Queue down"}
    assert client.post(f"/contracts/{contract.pk}/outages/new/", data).status_code == 302
    outage = contract.outages.get()
    assert outage.starts_at == dt.datetime(2026, 5, 20, 12, 5, tzinfo=UTC)
    # every change is audited
    types = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert {"contracts.contract", "contracts.sla", "contracts.outagewindow"} <= {t.lower() for t in types}
    # and the detail page shows it on the local clock, with edit links
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "20 May 2026 14:05 to 20 May 2026 14:09" in page and f"/contracts/slas/{sla.pk}/edit/" in page


def test_form_errors_land_next_to_their_fields(world, login):
    client = login(world.users["client_admin"])
    bad = _contract_data(world, currency="E1", end_date="2026-05-01", programs=[world.program_b_only.pk])
    response = client.post("/contracts/new/", bad)
    assert response.status_code == 400 and not Contract.objects.exists()
    form = response.context["form"]
    assert "programs" in form.errors  # partner A does not serve B-only
    # the model's rules (currency, dates) come back from the service onto the fields
    response = client.post("/contracts/new/", _contract_data(world, currency="E1"))
    assert response.status_code == 400 and "currency" in response.context["form"].errors
    response = client.post("/contracts/new/", _contract_data(world, end_date="2026-05-01"))
    assert "end_date" in response.context["form"].errors
    contract = make_contract(world, world.partner_a, outage=False)
    url = f"/contracts/{contract.pk}/slas/new/"
    for data, field in [
        (_sla_data(params="{not json"), "params"),
        (_sla_data(params='{"nope": 1}'), "params"),
        (_sla_data(params="[1]"), "params"),
        (_sla_data(filters='{"provider": ["PB"]}'), "filters"),
        (_sla_data(filters='{"colour": ["red"]}'), "filters"),
        (_sla_data(metric_key="nope"), "metric_key"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400 and field in response.context["form"].errors, (data, field)
    outage = {"sla": "", "starts_at": "2026-05-20T14:05", "ends_at": "2026-05-20T14:00", "reason": "x"}
    response = client.post(f"/contracts/{contract.pk}/outages/new/", outage)
    assert response.status_code == 400 and "ends_at" in response.context["form"].errors
    assert contract.slas.count() == 3 and not OutageWindow.objects.exists()


def test_the_client_edits_and_removes_slas_and_outages(world, lake_uri, login):
    from concord.contracts import services

    contract = make_contract(world, world.partner_a)
    services.compute_month(actor=world.users["client_admin"], contract=contract, period=dt.date(2026, 5, 1))
    client = login(world.users["client_admin"])
    aht = contract.slas.get(name="AHT")
    assert (
        client.post(
            f"/contracts/slas/{aht.pk}/edit/",
            _sla_data(name="AHT", metric_key="aht", params="", filters="", comparator="<=", target="290"),
        ).status_code
        == 302
    )
    aht.refresh_from_db()
    assert (aht.target, aht.params, aht.filters) == (290.0, {}, {})
    # removing an SLA removes its stored results
    assert client.post(f"/contracts/slas/{aht.pk}/delete/").status_code == 302
    assert not SLA.objects.filter(pk=aht.pk).exists() and contract.slas.count() == 2
    outage = contract.outages.get()
    assert client.post(f"/contracts/outages/{outage.pk}/delete/").status_code == 302
    assert not contract.outages.exists()
    # the contract's programs can be cleared and the end date set
    data = _contract_data(world, programs=[], end_date="2026-12-31")
    assert client.post(f"/contracts/{contract.pk}/edit/", data).status_code == 302
    contract.refresh_from_db()
    assert contract.end_date == dt.date(2026, 12, 31) and not contract.programs.exists()


def test_partners_read_their_contract_without_edit_controls(world, login):
    contract = make_contract(world, world.partner_a)
    client = login(world.users["partner_a_lead"])
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "Carrier outage" in page and "/edit/" not in page and "/delete/" not in page
    assert "/contracts/new/" not in client.get("/contracts/").content.decode()
    assert client.post(f"/contracts/{contract.pk}/edit/", _contract_data(world)).status_code == 403
    assert Contract.objects.get(pk=contract.pk).name == "PA services"


def test_sla_results_by_month_chart_downloads_as_svg(world, lake_uri, login):
    from concord.contracts import services

    contract = make_contract(world, world.partner_a)
    admin = world.users["client_admin"]
    for month in (5, 6):
        services.compute_month(actor=admin, contract=contract, period=dt.date(2026, month, 1))
    aht = contract.slas.get(name="AHT")
    client = login(world.users["partner_a_lead"])
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert f"/contracts/slas/{aht.pk}/history.svg" in page and 'id="sla-history-' in page
    response = client.get(f"/contracts/slas/{aht.pk}/history.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg")
    other = make_contract(world, world.partner_b, outage=False)
    assert client.get(f"/contracts/slas/{other.slas.first().pk}/history.svg").status_code == 404
