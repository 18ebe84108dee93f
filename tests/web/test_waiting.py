"""The start page's "Waiting on you": open actions the person owns, statements to sign or decide.

Seen walking the demo as atlas.lead: the start page showed scores and SLAs but not the statement
waiting for their sign-off nor the actions they own; they had to find each page themselves.
"""

from __future__ import annotations

import datetime as dt

from tests.contracts.conftest import contract_a, contract_b, lake_uri  # noqa: F401  (fixtures)

from concord import reporting
from concord.contracts import month_close, services
from concord.contracts.models import Statement
from concord.governance import services as governance

MAY = dt.date(2026, 5, 1)


def _close(world, contract):
    services.compute_month(actor=world.users["client_admin"], contract=contract, period=MAY)
    return month_close.close_month(actor=world.users["client_admin"], contract=contract, period=MAY)


def test_each_side_sees_what_waits_on_it_only(world, lake_uri, contract_a, contract_b, login):  # noqa: F811
    statement = _close(world, contract_a)
    _close(world, contract_b)
    lead_a, lead_b = world.users["partner_a_lead"], world.users["partner_b_lead"]
    today = reporting.today()
    governance.create_action(
        user=world.users["client_admin"],
        title="Fix the IVR routing",
        owner=lead_a,
        due=today - dt.timedelta(days=2),
        provider=world.partner_a,
    )
    governance.create_action(user=world.users["client_admin"], title="Hire four agents", owner=lead_b,
                             due=today + dt.timedelta(days=9), provider=world.partner_b)  # fmt: skip

    page = login(lead_a).get("/").content.decode()
    assert "Waiting on you" in page
    assert "Sign off or dispute the credit statement of May 2026" in page
    assert f"/contracts/{contract_a.pk}/statement/?period=2026-05" in page
    overdue = (today - dt.timedelta(days=2)).strftime("%-d %b %Y")
    assert "Action: Fix the IVR routing" in page and f"overdue since {overdue}" in page
    # partner B's statement and action are not partner A's business
    assert "Hire four agents" not in page and f"/contracts/{contract_b.pk}/" not in page
    # the overdue action comes before the statement due later
    assert page.index("Fix the IVR routing") < page.index("credit statement of May 2026")

    # once the partner signs, the statement no longer waits; the client decides disputes, signs nothing
    login(lead_a).post(f"/contracts/{contract_a.pk}/statement/accept/", {"period": "2026-05"})
    assert Statement.objects.get(pk=statement.pk).status == Statement.Status.ACCEPTED
    assert "credit statement of May 2026" not in login(lead_a).get("/").content.decode()
    admin_page = login(world.users["client_admin"]).get("/").content.decode()
    assert "Sign off" not in admin_page and "Decide the dispute" not in admin_page


def test_an_agent_has_nothing_waiting_but_their_articles(world, login):
    assert "Waiting on you" not in login(world.users["partner_a_agent"]).get("/").content.decode()
