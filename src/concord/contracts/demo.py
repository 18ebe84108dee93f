"""Demo step for month close: past months closed and signed, one disputed line resolved by a
restatement, the last month and the current one left provisional (FCR's look-ahead, data to come)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from concord.accounts.models import User
from concord.accounts.roles import Role

from . import month_close, signoff
from .models import Contract, Dispute
from .refresh import refresh_contract


def _lead(contract: Contract):
    return User.objects.filter(provider=contract.provider, role=Role.PROVIDER_LEAD, is_active=True).first()


def _queue_log(month: dt.date):
    """The partner's evidence: a small CSV of the queue the hour after the outage (made up for the demo)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    day = month.replace(day=14)
    rows = ["interval_start,offered,answered,answered_within_20s"]
    rows += [
        f"{day:%Y-%m-%d} 1{h}:{m:02d},{40 + 3 * m // 15},{38 + m // 15},{22 + m // 15}"
        for h in (1,)
        for m in (0, 15, 30, 45)
    ]
    return SimpleUploadedFile(f"queue-log-{day:%Y-%m-%d}.csv", ("\n".join(rows) + "\n").encode(), "text/csv")


def close_and_sign(ctx, contracts: dict[str, Contract], months: list[dt.date], dispute_code: str = "BRAVO") -> str:
    """Close every closable month of ``months``; the partner leads sign, and one (``dispute_code``'s
    first missed line) is disputed first and half of it accepted by the client."""
    admin = ctx.actor
    closed, disputed = 0, None
    for code, contract in contracts.items():
        lead = _lead(contract)
        for month in months:
            if month_close.why_not_closable(contract, month):
                continue  # not final yet: shown provisional in the demo, as it would be for real
            statement = month_close.close_month(actor=admin, contract=contract, period=month)
            closed += 1
            if lead is None:
                continue
            missed = [ln for ln in statement.lines if Decimal(ln["credit"]) > 0]
            if disputed is None and code == dispute_code and missed:
                line = missed[0]
                dispute = signoff.dispute_raise(
                    actor=lead,
                    statement=statement,
                    sla_ids=[line["sla_id"]],
                    reason="The declared carrier outage also slowed the queue the hour after it ended.",
                    attachments=[_queue_log(month)],
                )
                half = (Decimal(line["credit"]) / 2).quantize(Decimal("0.01"))
                signoff.dispute_decide(
                    actor=admin,
                    dispute=dispute,
                    decision=Dispute.Decision.PARTLY_ACCEPTED,
                    note="Queue logs put half the shortfall in the hour after the outage: half the credit is waived.",
                    client_note="Carrier credit note covers the other half; do not raise with the partner.",
                    credits={line["sla_id"]: half},
                )
                disputed = f"{line['sla']} of {code} {month:%b %Y}"
            signoff.statement_accept(actor=lead, statement=statement)
    return f"{closed} month(s) closed and signed" + (
        f"; a dispute on {disputed} resolved by a restatement" if disputed else ""
    )


def build_month_close(ctx) -> None:
    """The demo step: the three months before the current one closed where final, and signed."""
    this_month = ctx.today.replace(day=1)
    months = []
    for _ in range(3):
        this_month = (this_month - dt.timedelta(days=1)).replace(day=1)
        months.insert(0, this_month)
    contracts = ctx.made.get("contracts", {})
    # later steps write the lake (QA transcripts rewrite contacts): bring the open months up to date first,
    # as the hourly sweep would, or every result is out of date and no month can close
    for contract in contracts.values():
        refresh_contract(contract.pk, ctx.actor.pk)
    ctx.progress(close_and_sign(ctx, contracts, months))
