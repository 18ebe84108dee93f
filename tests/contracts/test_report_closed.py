"""The SLA report of a closed month agrees with its statement (the walk found it showing the billed
16,080.00 beside a statement restated to 8,040.00, a Recompute button that could only be refused,
and the closing time in UTC where the statement says CET).

Partner A's May (conftest): net 1,000.00 as closed; the client waives the ASA line's 500.00 on dispute.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from concord.contracts import month_close, services, signoff

MAY = dt.date(2026, 5, 1)


def test_a_closed_months_report_shows_the_net_in_force_and_offers_no_recompute(world, lake_uri, contract_a, login):
    admin = world.users["client_admin"]
    services.compute_month(actor=admin, contract=contract_a, period=MAY)
    statement = month_close.close_month(actor=admin, contract=contract_a, period=MAY)
    asa = contract_a.slas.get(name="ASA")
    dispute = signoff.dispute_raise(
        actor=world.users["partner_a_lead"], statement=statement, sla_ids=[asa.pk], reason="x"
    )
    signoff.dispute_decide(actor=admin, dispute=dispute, decision="accepted", note="Our carrier")
    page = login(admin).get(f"/contracts/{contract_a.pk}/report/", {"period": "2026-05"}).content.decode()
    assert "restated 1 time</span> Net credit in force: <strong>500.00 EUR</strong>" in page
    assert "Net credit</dt><dd>1,000.00 EUR" in page  # the results as computed, beside it
    assert "Recompute May 2026" not in page
    closed_local = statement.closed_at.astimezone(ZoneInfo("Europe/Madrid"))  # the reporting zone (conftest)
    assert f"issued {closed_local:%-d %b %Y %H:%M %Z}" in page and "UTC by" not in page
