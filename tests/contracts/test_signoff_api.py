"""Sign-off through the API: the same steps and refusals as the statement page.

Partner A's May (conftest): AHT and ASA missed, 500.00 each of the 1,000.00 at risk.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from concord.contracts import month_close, services
from concord.contracts.models import Dispute, DisputeAttachment, Restatement, Statement, StatementEvent

MAY = dt.date(2026, 5, 1)


def _as(user):
    """A client of its own per person (the ``login`` fixture shares one)."""
    client = Client()
    client.force_login(user)
    return client


def _state():
    return (
        list(Statement.objects.values_list("status", flat=True)),
        list(Dispute.objects.values_list("decision", flat=True)),
        DisputeAttachment.objects.count(),
        Restatement.objects.count(),
        StatementEvent.objects.count(),
    )


def test_the_partner_disputes_and_signs_and_the_client_decides_through_the_api(world, lake_uri, contract_a):
    admin_user = world.users["client_admin"]
    services.compute_month(actor=admin_user, contract=contract_a, period=MAY)
    month_close.close_month(actor=admin_user, contract=contract_a, period=MAY)
    asa = contract_a.slas.get(name="ASA")
    base = f"/api/contracts/{contract_a.pk}/statement"
    partner, admin, other = _as(world.users["partner_a_lead"]), _as(admin_user), _as(world.users["partner_b_lead"])
    before = _state()
    # wrong partner: 404; the client does not sign: 403; bad input: 400 naming the field; nothing changes
    assert other.post(f"{base}/accept/", {"period": "2026-05"}, content_type="application/json").status_code == 404
    assert admin.post(f"{base}/accept/", {"period": "2026-05"}, content_type="application/json").status_code == 403
    bad = partner.post(f"{base}/dispute/", {"period": "2026-05", "lines": [asa.pk], "reason": ""}, "application/json")
    assert bad.status_code == 400 and "reason" in bad.json()["errors"]
    foreign = partner.post(
        f"{base}/dispute/", {"period": "2026-05", "lines": [999999], "reason": "x"}, "application/json"
    )
    assert foreign.status_code == 400 and "Only lines of this statement" in foreign.json()["detail"]
    exe = SimpleUploadedFile("report.pdf", b"MZ" + bytes(40))
    refused = partner.post(
        f"{base}/dispute/", {"period": "2026-05", "lines": [asa.pk], "reason": "x", "attachments": exe}
    )
    assert refused.status_code == 400 and "report.pdf: not a PDF" in refused.json()["detail"]
    assert _state() == before
    # a dispute with a CSV as evidence (multipart)
    log = SimpleUploadedFile("queue.csv", b"interval,answered\n11:00,38\n")
    response = partner.post(
        f"{base}/dispute/", {"period": "2026-05", "lines": [asa.pk], "reason": "Carrier", "attachments": log}
    )
    assert response.status_code == 201
    dispute = response.json()["disputes"][0]
    assert (dispute["lines"], dispute["attachments"][0]["name"]) == ([asa.pk], "queue.csv")
    # the partner cannot decide; the client partly accepts: ASA keeps 200.00, net 700.00
    decide = f"/api/contracts/disputes/{dispute['id']}/decide/"
    data = {"decision": "partly_accepted", "note": "Half ours", "credits": {str(asa.pk): "200.00"}}
    assert partner.post(decide, data, content_type="application/json").status_code == 403
    assert other.post(decide, data, content_type="application/json").status_code == 404
    over = admin.post(decide, {**data, "credits": {str(asa.pk): "600"}}, content_type="application/json")
    assert over.status_code == 400 and "between 0.00 and 500.00" in over.json()["detail"]
    decided = admin.post(decide, data, content_type="application/json")
    assert decided.status_code == 200 and decided.json()["in_force"]["totals"]["net"] == "700.00"
    # twice: refused, nothing changes
    before = _state()
    assert admin.post(decide, data, content_type="application/json").status_code == 400
    assert _state() == before
    # the partner signs; signing again is refused
    signed = partner.post(f"{base}/accept/", {"period": "2026-05"}, content_type="application/json")
    assert signed.status_code == 200 and signed.json()["status"] == "accepted"
    assert partner.post(f"{base}/accept/", {"period": "2026-05"}, content_type="application/json").status_code == 400
    # a month not closed has no statement to sign
    open_month = partner.post(f"{base}/accept/", {"period": "2026-06"}, content_type="application/json")
    assert open_month.status_code == 400 and "June 2026 is not closed" in open_month.json()["detail"]
