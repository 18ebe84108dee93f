"""Sign-off and disputes of a closed month's credit statement.

The partner accepts its statement, or disputes named lines with a reason. The client
decides each dispute: accepted (the disputed lines' credits are waived), partly accepted
(the client sets the credit each disputed line keeps) or rejected. An accepted or partly
accepted dispute produces a restatement with the changed figures; the billed figures
stay on the statement. Every step is an event both sides see, and an audit record;
the client's own note on a decision is never shown to the partner.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from concord.accounts import access, audit
from concord.accounts.roles import Cap

from .attachments import check_files
from .credits import money
from .models import Dispute, DisputeAttachment, Statement
from .month_close import figures_in_force, record_event, save_restatement
from .services import _require


def _require_partner(actor, statement: Statement) -> None:
    """Only the partner whose statement it is signs or disputes it (the client issues it)."""
    access.require_for_provider(actor, Cap.SIGN_STATEMENTS, statement.contract.provider_id)
    if actor.provider_id is None:
        raise PermissionDenied("The partner signs its statement; the client issued it.")


def _lock(statement: Statement) -> Statement:
    return Statement.objects.select_for_update().get(pk=statement.pk)


@transaction.atomic
def statement_accept(*, actor, statement: Statement) -> Statement:
    _require_partner(actor, statement)
    statement = _lock(statement)
    if statement.status not in (Statement.Status.ISSUED, Statement.Status.RESOLVED):
        raise ValidationError(f"The statement is {statement.get_status_display().lower()}: nothing to accept.")
    statement = audit.update(actor=actor, instance=statement, changes={"status": Statement.Status.ACCEPTED})
    record_event(actor, statement, "Accepted the statement.")
    return statement


@transaction.atomic
def dispute_raise(*, actor, statement: Statement, sla_ids, reason: str, attachments=()) -> Dispute:
    """The partner disputes named lines with a reason and, optionally, files as evidence (attachments.py)."""
    _require_partner(actor, statement)
    statement = _lock(statement)
    if statement.status not in (Statement.Status.ISSUED, Statement.Status.RESOLVED):
        raise ValidationError(f"The statement is {statement.get_status_display().lower()}: it cannot be disputed now.")
    lines = {ln["sla_id"]: ln for ln in figures_in_force(statement)["lines"]}
    chosen = sorted({int(i) for i in sla_ids or []})
    errors = {}
    if not chosen:
        errors["lines"] = "Choose the lines you dispute."
    elif set(chosen) - set(lines):
        errors["lines"] = "Only lines of this statement can be disputed."
    if not (reason or "").strip():
        errors["reason"] = "Say why you dispute these lines."
    if errors:
        raise ValidationError(errors)
    files = check_files(attachments)
    dispute = audit.create(
        actor=actor,
        instance=Dispute(statement=statement, lines=chosen, reason=reason.strip(), raised_by_name=actor.username),
    )
    for f in files:
        _attach(actor, dispute, f)
    audit.update(actor=actor, instance=statement, changes={"status": Statement.Status.DISPUTED})
    names = ", ".join(lines[i]["sla"] for i in chosen)
    evidence = f" ({len(files)} file{'s' if len(files) != 1 else ''} attached)" if files else ""
    record_event(actor, statement, f"Disputed {names}: {reason.strip()}{evidence}")
    return dispute


def _attach(actor, dispute: Dispute, f) -> DisputeAttachment:
    att = DisputeAttachment(
        dispute=dispute,
        name=f.name,
        content_type=f.content_type,
        size=len(f.data),
        sha256=f.sha256,
        data=f.data,
        uploaded_by_name=actor.username,
    )
    att.full_clean()
    att.save()
    # the audit keeps what was attached (name, type, size, digest), not the bytes
    after = {k: v for k, v in audit.snapshot(att).items() if k != "data"}
    audit.record(actor=actor, action="create", instance=att, before=None, after=after)
    return att


def _amounts(credits, dispute: Dispute, lines: dict) -> dict[int, Decimal]:
    """The credit each disputed line keeps in a partial acceptance, checked in the person's terms."""
    out = {}
    for sla_id in dispute.lines:
        raw = (credits or {}).get(sla_id, (credits or {}).get(str(sla_id)))
        name, billed = lines[sla_id]["sla"], Decimal(lines[sla_id]["credit"])
        try:
            amount = money(Decimal(str(raw)))
        except (InvalidOperation, TypeError, ValueError):
            raise ValidationError({"credits": f"Give the credit {name} keeps, e.g. 250.00."}) from None
        if not 0 <= amount <= billed:
            raise ValidationError({"credits": f"The credit {name} keeps must be between 0.00 and {billed:,.2f}."})
        out[sla_id] = amount
    return out


def _adjusted(figures: dict, amounts: dict[int, Decimal]) -> dict:
    lines = []
    for ln in figures["lines"]:
        if ln["sla_id"] in amounts:
            credit = amounts[ln["sla_id"]]
            kept = Decimal("0.00") if ln["earned_back"] else credit
            ln = {**ln, "credit": str(credit), "net": str(kept - Decimal(ln.get("earn_back_credit", "0.00")))}
        lines.append(ln)
    credit = sum((Decimal(ln["credit"]) for ln in lines), Decimal("0.00"))
    net = sum((Decimal(ln["net"]) for ln in lines), Decimal("0.00"))
    totals = {**figures["totals"], "credit": str(credit), "net": str(net), "earned_back": str(credit - net)}
    return {"lines": lines, "totals": totals}


@transaction.atomic
def dispute_decide(
    *, actor, dispute: Dispute, decision: str, note: str, client_note: str = "", credits=None
) -> Dispute:
    """The client's decision; accepting (wholly or partly) restates the month with the changed credits."""
    statement = dispute.statement
    _require(actor, statement.contract.provider_id)
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if dispute.decision != Dispute.Decision.OPEN:
        raise ValidationError(f"This dispute was already decided ({dispute.get_decision_display().lower()}).")
    if decision not in {Dispute.Decision.ACCEPTED, Dispute.Decision.PARTLY_ACCEPTED, Dispute.Decision.REJECTED}:
        raise ValidationError({"decision": "Accept, partly accept or reject the dispute."})
    if not (note or "").strip():
        raise ValidationError({"note": "Say why, in words the partner will read."})
    figures = figures_in_force(statement)
    lines = {ln["sla_id"]: ln for ln in figures["lines"]}
    restatement = None
    if decision != Dispute.Decision.REJECTED:
        if decision == Dispute.Decision.ACCEPTED:
            amounts = dict.fromkeys(dispute.lines, Decimal("0.00"))
        else:
            amounts = _amounts(credits, dispute, lines)
        after = _adjusted(figures, amounts)
        reason = f"Dispute {dispute.pk} {Dispute.Decision(decision).label.lower()}: {note.strip()}"
        restatement = save_restatement(actor, statement, reason, figures, after)
    dispute = audit.update(
        actor=actor,
        instance=dispute,
        changes={
            "decision": decision,
            "decided_by_name": actor.username,
            "decided_at": timezone.now(),
            "decision_note": note.strip(),
            "client_note": (client_note or "").strip(),
            "restatement": restatement,
        },
    )
    if not statement.disputes.filter(decision=Dispute.Decision.OPEN).exists():
        audit.update(actor=actor, instance=statement, changes={"status": Statement.Status.RESOLVED})
    record_event(
        actor, statement, f"{Dispute.Decision(decision).label} the dispute of {dispute.raised_by_name}: {note.strip()}"
    )
    return dispute
