"""The partner signs or disputes its statement; the client decides; every step recorded.

Partner A's May (conftest, 14 May outage): SL met; AHT 300 s > 280 and ASA 10 s > 5 missed;
at risk 1,000 split 500.00 / 500.00.
"""

from __future__ import annotations

import datetime as dt

from concord.contracts import month_close, services
from concord.contracts.models import Dispute, Restatement, Statement, StatementEvent

MAY = dt.date(2026, 5, 1)


def _closed(world, contract):
    services.compute_month(actor=world.users["client_admin"], contract=contract, period=MAY)
    return month_close.close_month(actor=world.users["client_admin"], contract=contract, period=MAY)


def _state():
    return (
        list(Statement.objects.values_list("status", flat=True)),
        Dispute.objects.count(),
        Restatement.objects.count(),
        StatementEvent.objects.count(),
    )


def test_partner_disputes_a_line_the_client_partly_accepts_and_the_partner_signs(world, lake_uri, contract_a, login):
    statement = _closed(world, contract_a)
    asa = contract_a.slas.get(name="ASA")
    url = f"/contracts/{contract_a.pk}/statement/"
    partner = login(world.users["partner_a_lead"])
    page = partner.get(url, {"period": "2026-05"}).content.decode()
    assert "Awaiting the partner&#x27;s sign-off" in page and "Dispute these lines" in page and "500.00" in page
    # a dispute without a reason is refused and changes nothing
    before = _state()
    partner.post(f"{url}dispute/", {"period": "2026-05", "lines": [asa.pk], "reason": " "})
    assert _state() == before
    # partner B sees none of it and cannot dispute it
    other = login(world.users["partner_b_lead"])
    assert other.get(url, {"period": "2026-05"}).status_code == 404
    assert other.post(f"{url}dispute/", {"period": "2026-05", "lines": [asa.pk], "reason": "x"}).status_code == 404
    # the client does not sign its own statement
    admin = login(world.users["client_admin"])
    assert admin.post(f"{url}accept/", {"period": "2026-05"}).status_code == 403
    assert _state() == before
    # partner A disputes the ASA line
    partner = login(world.users["partner_a_lead"])
    reason = "Carrier outage on 20 May held calls in the queue"
    assert partner.post(f"{url}dispute/", {"period": "2026-05", "lines": [asa.pk], "reason": reason}).status_code == 302
    dispute = Dispute.objects.get()
    assert (dispute.lines, Statement.objects.get().status) == ([asa.pk], "disputed")
    # the partner cannot decide its own dispute
    decide = f"/contracts/disputes/{dispute.pk}/decide/"
    data = {"decision": "partly_accepted", f"credit-{asa.pk}": "200", "note": "Half the outage is ours"}
    assert partner.post(decide, data).status_code == 403 and Dispute.objects.get().decision == "open"
    # the client partly accepts: ASA keeps 200.00 of 500.00, with a client-only note
    admin = login(world.users["client_admin"])
    assert admin.post(decide, {**data, "client_note": "Carrier credit covers our half"}).status_code == 302
    restatement = Restatement.objects.get()
    after = {ln["sla"]: ln["credit"] for ln in restatement.after["lines"]}
    assert after == {"Service level": "0.00", "AHT": "500.00", "ASA": "200.00"}
    assert restatement.after["totals"]["net"] == "700.00" and restatement.before["totals"]["net"] == "1000.00"
    statement.refresh_from_db()
    assert statement.status == "resolved" and statement.totals["net"] == "1000.00"  # billed figures kept
    # deciding again is refused and changes nothing
    before = _state()
    admin.post(decide, {"decision": "accepted", "note": "again"})
    assert _state() == before
    # the client's note stays with the client
    assert "Carrier credit covers our half" in admin.get(url, {"period": "2026-05"}).content.decode()
    partner = login(world.users["partner_a_lead"])
    page = partner.get(url, {"period": "2026-05"}).content.decode()
    assert "Carrier credit covers our half" not in page and "Half the outage is ours" in page
    api = partner.get(f"/api/contracts/{contract_a.pk}/statement/", {"period": "2026-05"}).json()
    assert "client_note" not in api["disputes"][0] and api["in_force"]["totals"]["net"] == "700.00"
    # the statement downloads as a PDF (WeasyPrint)
    pdf = partner.get(url, {"period": "2026-05", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    # the partner signs the restated statement; every step is recorded
    assert partner.post(f"{url}accept/", {"period": "2026-05"}).status_code == 302
    assert Statement.objects.get().status == "accepted"
    steps = [(e.side, e.text.split(":")[0]) for e in StatementEvent.objects.order_by("at", "pk")]
    assert steps == [
        ("client", "Closed May 2026 and issued the statement"),
        ("partner", "Disputed ASA"),
        ("client", "Restatement 1"),
        ("client", "Partly accepted the dispute of partner_a_lead"),
        ("partner", "Accepted the statement."),
    ]
    # the contract page lists the month with its statement and sign-off
    detail = partner.get(f"/contracts/{contract_a.pk}/").content.decode()
    assert f"/contracts/{contract_a.pk}/statement/?period=2026-05" in detail and "Accepted by the partner" in detail


def test_an_overdue_sign_off_reminds_both_sides_once_a_day(world, lake_uri, contract_a, login, mailoutbox):
    import datetime as dt

    from concord.contracts.refresh import remind_overdue_signoffs

    statement = _closed(world, contract_a)
    url, users = f"/contracts/{contract_a.pk}/statement/", world.users

    def issued_days_ago(days):
        Statement.objects.filter(pk=statement.pk).update(closed_at=statement.closed_at - dt.timedelta(days=days))

    # issued nine days ago: not yet overdue (ten days to sign)
    issued_days_ago(9)
    assert remind_overdue_signoffs() == [] and not mailoutbox
    assert "due by" in login(users["partner_a_lead"]).get(url, {"period": "2026-05"}).content.decode()
    # eleven days ago: one reminder to the partner's lead and the client, and an event both sides see
    issued_days_ago(11)
    assert remind_overdue_signoffs() == [statement]
    (mail,) = mailoutbox
    assert mail.subject == "Sign-off overdue: credit statement PA services May 2026"
    assert {users["partner_a_lead"].email, users["client_admin"].email} <= set(mail.to)
    assert users["partner_b_lead"].email not in mail.to
    assert statement.events.filter(text__startswith="Reminder sent: sign-off overdue").count() == 1
    # and a notice in each one's inbox, linked to the statement; never in another partner's
    from concord.notifications.models import Notification

    notices = Notification.objects.filter(kind="contracts")
    assert {n.user.username for n in notices} >= {"partner_a_lead", "client_admin"}
    assert not notices.filter(user=users["partner_b_lead"]).exists()
    assert {n.url for n in notices} == {f"{url}?period=2026-05"}
    # not again the same day
    assert remind_overdue_signoffs() == [] and len(mailoutbox) == 1
    # the page says so until the partner signs
    assert "overdue since" in login(users["partner_a_lead"]).get(url, {"period": "2026-05"}).content.decode()
