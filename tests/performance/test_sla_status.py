"""SLA status on the portfolio: met / missed / too little volume / not computed badges and the credit.

On the tiny lake of conftest, May 2026: PA AHT 300 and SL 100 % over 4 contacts; PB AHT 600 over 2.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from concord.contracts import services as contracts
from concord.contracts import status

MAY = dt.date(2026, 5, 1)


def _contract(world, provider, slas, **extra):
    return contracts.contract_create(
        actor=world.users["client_admin"],
        provider=provider,
        name=f"{provider.code} MSA",
        start_date=dt.date(2026, 1, 1),
        monthly_fee=Decimal("10000"),
        at_risk_percent=Decimal("10"),
        programs=[world.program_shared],
        slas=slas,
        **extra,
    )


AHT = {"name": "AHT", "metric_key": "aht", "comparator": "<=", "target": 320, "allocation_percent": Decimal(50)}
SL = {
    "name": "SL",
    "metric_key": "service_level",
    "params": {"threshold_seconds": 20},
    "comparator": ">=",
    "target": 80,
    "min_volume": 100,
    "allocation_percent": Decimal(50),
}


def _setup(world):
    admin = world.users["client_admin"]
    a = _contract(world, world.partner_a, [AHT, SL])
    b = _contract(world, world.partner_b, [AHT])
    contracts.compute_month(actor=admin, contract=a, period=MAY)
    contracts.compute_month(actor=admin, contract=b, period=MAY)
    # an SLA added after the month was computed has no result yet
    contracts.sla_create(actor=admin, contract=a, name="ASA", metric_key="asa", comparator="<=", target=20, position=2,
                         allocation_percent=Decimal(50))  # fmt: skip
    return a, b


def test_status_per_provider_with_badges_and_credit(world, lake_uri, card):
    _, b = _setup(world)
    by = status.by_provider(world.users["client_admin"], [world.partner_a.pk, world.partner_b.pk], MAY)
    [sa], [sb] = by[world.partner_a.pk], by[world.partner_b.pk]
    assert [(s.name, s.label) for s in sa.slas] == [
        ("AHT", "met"),
        ("SL", "too little volume"),
        ("ASA", "not computed"),
    ]
    assert sa.credit == Decimal("0.00")
    # PB misses AHT (600 > 320): 10 % of 10,000 = 1,000 at risk x 50 % = 500
    assert [(s.name, s.label) for s in sb.slas] == [("AHT", "missed")] and sb.credit == Decimal("500.00")
    # a month outside the contract's term shows nothing for it
    contracts.contract_update(actor=world.users["client_admin"], contract=b, end_date=dt.date(2026, 4, 30))
    assert world.partner_b.pk not in status.by_provider(world.users["client_admin"], [world.partner_b.pk], MAY)


def test_portfolio_rows_show_sla_badges_linking_to_the_report(world, lake_uri, card, login):
    a, b = _setup(world)
    page = login(world.users["client_admin"]).get("/performance/", {"scorecard": card.pk, "period": "2026-05"})
    html = page.content.decode()
    assert f"/contracts/{a.pk}/report/?period=2026-05" in html and f"/contracts/{b.pk}/report/?period=2026-05" in html
    assert "AHT · met" in html and "SL · too little volume" in html and "ASA · not computed" in html
    assert "AHT · missed" in html and "credit 500.00 EUR" in html
    assert "no contract in force" in html  # the internal team
    # a partner sees only their own contract's status
    html = login(world.users["partner_a_lead"]).get("/performance/", {"scorecard": card.pk, "period": "2026-05"})
    html = html.content.decode()
    assert f"/contracts/{a.pk}/report/" in html and f"/contracts/{b.pk}/report/" not in html
    assert "AHT · missed" not in html
