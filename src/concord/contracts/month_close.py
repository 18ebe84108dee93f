"""Closing a month: its results frozen into a credit statement; later corrections as restatements.

A month is closed only when every SLA has a result that is final (look-ahead over,
lake complete) and up to date (same terms, same lake version as now). The statement
keeps the lines as billed; it is never edited. A restatement recomputes the month,
stores the figures before and after with the reason, and updates the stored results,
so the pages show the corrected figures beside the frozen statement.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from concord.accounts import audit

from .measure import month_amounts
from .models import Contract, Restatement, SLAResult, Statement, StatementEvent
from .services import _require, measure_and_store
from .terms import staleness, terms_hash


def statement_lines(contract: Contract, period: dt.date) -> list[dict]:
    """The month's results as statement lines, SLA by SLA: what both sides sign."""
    results = {r.sla_id: r for r in SLAResult.objects.filter(sla__contract=contract, period=period)}
    lines = []
    for sla in contract.slas.all():
        r = results.get(sla.pk)
        credit = r.credit if r else Decimal("0.00")
        net = r.net_credit if r else Decimal("0.00")
        lines.append(
            {
                "sla_id": sla.pk,
                "sla": sla.name,
                "metric": sla.metric_key,
                "comparator": sla.comparator,
                "comparator_text": sla.get_comparator_display(),
                "target": sla.target,
                "target_text": sla.target_text,
                "unit": sla.unit,
                "value": r.value if r else None,
                "volume": r.volume if r else 0,
                "status": r.status if r else "not computed",
                "allocation_percent": str(sla.allocation_percent),
                "credit": str(credit),
                "earned_back": bool(r and r.earned_back),
                "earn_back_of": f"{r.earn_back_of:%Y-%m}" if r and r.earn_back_of else None,
                "earn_back_credit": str(r.earn_back_credit if r else Decimal("0.00")),
                "net": str(net),
                "lake_table": r.lake_table if r else None,
                "lake_version": r.lake_version if r else None,
                "excluded_windows": r.excluded_windows if r else [],
                "note": r.note if r else "",
            }
        )
    return lines


def statement_totals(contract: Contract, period: dt.date, lines: list[dict]) -> dict:
    fee, at_risk = month_amounts(contract, period)
    credit = sum((Decimal(ln["credit"]) for ln in lines), Decimal("0.00"))
    net = sum((Decimal(ln["net"]) for ln in lines), Decimal("0.00"))
    allocated = sum((Decimal(ln["allocation_percent"]) for ln in lines if ln["status"] == "missed"), Decimal(0))
    return {
        "currency": contract.currency,
        "fee": str(fee),
        "at_risk": str(at_risk),
        "cap": str(at_risk),
        "capped": allocated > 100,
        "credit": str(credit),
        "earned_back": str(credit - net),
        "net": str(net),
    }


def why_not_closable(contract: Contract, period: dt.date) -> list[str]:
    """Every reason the month cannot be closed yet, in words; empty when it can."""
    if Statement.objects.filter(contract=contract, period=period).exists():
        return [f"{period:%B %Y} is already closed for {contract.name}."]
    results = {
        r.sla_id: r
        for r in SLAResult.objects.filter(sla__contract=contract, period=period).select_related("sla__contract")
    }
    stale = staleness(results.values())
    reasons = []
    for sla in contract.slas.all():
        r = results.get(sla.pk)
        if r is None:
            reasons.append(f"{sla.name} has no result for {period:%B %Y}.")
        elif stale[r.pk].out_of_date:
            reasons.append(f"{sla.name} is out of date ({'; '.join(stale[r.pk].reasons)}); it is being recomputed.")
        elif r.provisional:
            when = f" (final from {r.final_from_text})" if r.final_from else ""
            reasons.append(f"{sla.name} is provisional{when}.")
    if not contract.slas.exists():
        reasons.append(f"{contract.name} has no SLA.")
    return reasons


@transaction.atomic
def close_month(*, actor, contract: Contract, period: dt.date) -> Statement:
    """Freeze the month's final results into a credit statement (the client's act)."""
    _require(actor, contract.provider_id)
    period = period.replace(day=1)
    # lock the contract row so two closes cannot both pass the checks
    Contract.objects.select_for_update().filter(pk=contract.pk).first()
    reasons = why_not_closable(contract, period)
    if reasons:
        raise ValidationError(f"{period:%B %Y} cannot be closed: " + " ".join(reasons))
    lines = statement_lines(contract, period)
    versions = {ln["lake_table"]: ln["lake_version"] for ln in lines if ln["lake_table"]}
    statement = audit.create(
        actor=actor,
        instance=Statement(
            contract=contract,
            period=period,
            closed_by=actor if actor.pk else None,
            closed_by_name=actor.username,
            lines=lines,
            totals=statement_totals(contract, period, lines),
            lake_versions=versions,
            terms_hash=terms_hash(contract, period),
        ),
    )
    record_event(actor, statement, f"Closed {period:%B %Y} and issued the statement: net credit {lines_net(lines)}.")
    return statement


def lines_net(lines: list[dict]) -> str:
    return f"{sum((Decimal(ln['net']) for ln in lines), Decimal('0.00')):,.2f}"


def record_event(actor, statement: Statement, text: str) -> StatementEvent:
    """A step of the statement's life, shown to both sides (client-only words never go here)."""
    side = "partner" if getattr(actor, "provider_id", None) else "client"
    return audit.create(
        actor=actor,
        instance=StatementEvent(statement=statement, actor_name=actor.username, side=side, text=text[:500]),
    )


def figures_in_force(statement: Statement) -> dict:
    """The figures that stand now: the last restatement's, or the statement's as closed."""
    last = statement.restatements.order_by("-number").first()
    return last.after if last else {"lines": statement.lines, "totals": statement.totals}


@transaction.atomic
def restate_month(*, actor, statement: Statement, reason: str) -> Restatement:
    """Recompute a closed month from today's terms and lake, keeping the figures it replaces."""
    contract = statement.contract
    _require(actor, contract.provider_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the closed month is restated."})
    before = figures_in_force(statement)
    measure_and_store(actor, contract, statement.period)
    lines = statement_lines(contract, statement.period)
    after = {"lines": lines, "totals": statement_totals(contract, statement.period, lines)}
    if after == before:
        # doing it twice changes nothing: no restatement without a changed figure
        raise ValidationError(f"Recomputing {statement.period:%B %Y} gives the figures in force: nothing to restate.")
    return save_restatement(actor, statement, reason, before, after)


def save_restatement(actor, statement: Statement, reason: str, before: dict, after: dict) -> Restatement:
    number = statement.restatements.count() + 1
    restatement = audit.create(
        actor=actor,
        instance=Restatement(
            statement=statement,
            number=number,
            reason=reason,
            created_by=actor if actor.pk else None,
            created_by_name=actor.username,
            before=before,
            after=after,
        ),
    )
    record_event(
        actor,
        statement,
        f"Restatement {number}: net credit {lines_net(before['lines'])} -> {lines_net(after['lines'])}. {reason}",
    )
    return restatement
