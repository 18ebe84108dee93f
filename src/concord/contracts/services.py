"""Every change to contracts and their monthly SLA results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from concord.accounts import access, audit
from concord.accounts.roles import Cap
from concord.lake.store import Lake

from . import credits
from .measure import measure_slas, month_amounts, next_month
from .models import SLA, Contract, OutageWindow, SLAResult, Statement
from .terms import terms_hash

CONTRACT_FIELDS = (
    "provider",
    "name",
    "start_date",
    "end_date",
    "currency",
    "monthly_fee",
    "at_risk_percent",
    "earn_back_periods",
)
SLA_FIELDS = (
    "name",
    "metric_key",
    "params",
    "comparator",
    "target",
    "filters",
    "min_volume",
    "allocation_percent",
    "position",
    "count_by",
    "hours",
)
OUTAGE_FIELDS = ("sla", "starts_at", "ends_at", "reason")


def _check(fields, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"no editable field {', '.join(sorted(unknown))}")


def _require(actor, provider_id) -> None:
    """Contracts are the client's: only client users with EDIT_CONTRACTS change them (partners read)."""
    access.require_for_provider(actor, Cap.EDIT_CONTRACTS, provider_id)
    if actor.provider_id is not None:
        raise PermissionDenied("Contracts are edited by the client.")


def _set_programs(actor, contract: Contract, programs) -> None:
    before = sorted(contract.programs.values_list("pk", flat=True))
    after = sorted(p.pk for p in programs)
    if before != after:
        contract.programs.set(programs)
        audit.record(
            actor=actor, action="update", instance=contract, before={"programs": before}, after={"programs": after}
        )


@transaction.atomic
def contract_create(*, actor, programs=(), slas=(), **fields) -> Contract:
    _check(fields, CONTRACT_FIELDS)
    _require(actor, fields["provider"].pk)
    contract = audit.create(actor=actor, instance=Contract(**fields))
    if programs:
        contract.programs.set(programs)
    for position, sla in enumerate(slas):
        sla_create(actor=actor, contract=contract, **{"position": position, **sla})
    return contract


@transaction.atomic
def contract_update(*, actor, contract: Contract, programs=None, **changes) -> Contract:
    _check(changes, CONTRACT_FIELDS)
    _require(actor, contract.provider_id)
    if "provider" in changes:
        # moving a contract to another provider would carry the other's results along
        _require(actor, changes["provider"].pk)
    contract = audit.update(actor=actor, instance=contract, changes=changes)
    if programs is not None:
        _set_programs(actor, contract, programs)
    schedule_refresh(contract, actor)
    return contract


@transaction.atomic
def sla_create(*, actor, contract: Contract, **fields) -> SLA:
    _check(fields, SLA_FIELDS)
    _require(actor, contract.provider_id)
    sla = audit.create(actor=actor, instance=SLA(contract=contract, **fields))
    schedule_refresh(contract, actor)
    return sla


@transaction.atomic
def sla_update(*, actor, sla: SLA, **changes) -> SLA:
    _check(changes, SLA_FIELDS)
    _require(actor, sla.contract.provider_id)
    sla = audit.update(actor=actor, instance=sla, changes=changes)
    schedule_refresh(sla.contract, actor)
    return sla


@transaction.atomic
def sla_delete(*, actor, sla: SLA) -> None:
    """Remove an SLA with its stored results and the outages declared for it alone."""
    _require(actor, sla.contract.provider_id)
    closed = Statement.objects.filter(contract_id=sla.contract_id, period__in=sla.results.values("period"))
    if closed.exists():
        # its results are billed figures; the statements keep them, but the SLA's history would be cut
        raise ValidationError(f"{sla.name} has results in closed months ({_months(closed)}); it cannot be removed.")
    for result in sla.results.all():
        audit.delete(actor=actor, instance=result)
    for outage in sla.outages.all():
        audit.delete(actor=actor, instance=outage)
    audit.delete(actor=actor, instance=sla)
    schedule_refresh(sla.contract, actor)


@transaction.atomic
def outage_create(*, actor, contract: Contract, **fields) -> OutageWindow:
    _check(fields, OUTAGE_FIELDS)
    _require(actor, contract.provider_id)
    outage = audit.create(actor=actor, instance=OutageWindow(contract=contract, **fields))
    schedule_refresh(contract, actor)
    return outage


@transaction.atomic
def outage_update(*, actor, outage: OutageWindow, **changes) -> OutageWindow:
    _check(changes, OUTAGE_FIELDS)
    _require(actor, outage.contract.provider_id)
    outage = audit.update(actor=actor, instance=outage, changes=changes)
    schedule_refresh(outage.contract, actor)
    return outage


@transaction.atomic
def outage_delete(*, actor, outage: OutageWindow) -> None:
    _require(actor, outage.contract.provider_id)
    audit.delete(actor=actor, instance=outage)
    schedule_refresh(outage.contract, actor)


def _months(statements) -> str:
    return ", ".join(f"{p:%B %Y}" for p in sorted(statements.values_list("period", flat=True)))


def schedule_refresh(contract: Contract, actor=None) -> None:
    """Once the change is committed, recompute the contract's open months in the background."""
    from .tasks import refresh_contract_task

    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(lambda: refresh_contract_task.enqueue(contract.pk, actor_id))


def is_closed(contract: Contract, period: dt.date) -> bool:
    return Statement.objects.filter(contract=contract, period=period.replace(day=1)).exists()


def _save_result(actor, sla: SLA, period: dt.date, values: dict) -> SLAResult:
    existing = SLAResult.objects.filter(sla=sla, period=period).first()
    if existing:
        return audit.update(actor=actor, instance=existing, changes=values)
    return audit.create(actor=actor, instance=SLAResult(sla=sla, period=period, **values))


@transaction.atomic
def compute_month(
    *, actor, contract: Contract, period: dt.date, lake: Lake | None = None, now: dt.datetime | None = None
) -> list[SLAResult]:
    """Measure every SLA of the contract for the month, store the results with the lake
    version read and the terms they were computed with, the capped service credits, whether
    they are provisional, and the earn-back they settle. A closed month is refused: its
    figures are billed, and change only by an explicit restatement."""
    _require(actor, contract.provider_id)
    period = period.replace(day=1)
    if is_closed(contract, period):
        raise ValidationError(
            f"{period:%B %Y} is closed for {contract.name}: its figures are billed. "
            "Correct them with a restatement, which keeps the old figures."
        )
    return measure_and_store(actor, contract, period, lake=lake, now=now)


def measure_and_store(actor, contract: Contract, period: dt.date, *, lake=None, now=None) -> list[SLAResult]:
    """The computation itself, for ``compute_month``, the background refresh and a restatement
    (each checks access and the month's state first)."""
    lake = lake or Lake(settings.LAKE_URI)
    slas = list(contract.slas.all())
    measured = measure_slas(slas, period, lake=lake, timezone=settings.REPORTING_TIMEZONE, now=now)
    missed = [str(pk) for pk, m in measured.items() if m.status == SLAResult.Status.MISSED]
    _, at_risk = month_amounts(contract, period)
    month = credits.month_credits(at_risk, {str(s.pk): s.allocation_percent for s in slas}, missed)
    terms = terms_hash(contract, period)
    results = []
    for sla in slas:
        m = measured[sla.pk]
        values = {
            "status": m.status,
            "value": m.value,
            "numerator": m.numerator,
            "denominator": m.denominator,
            "volume": m.volume,
            "lake_table": m.table,
            "lake_version": m.version,
            "excluded_windows": m.excluded_windows,
            "measured_from": m.measured_from,
            "measured_to": m.measured_to,
            "note": m.note[:300],
            "credit": month.per_sla.get(str(sla.pk), Decimal("0.00")),
            "terms_hash": terms,
            "provisional": m.provisional,
            "final_from": m.final_from,
        }
        results.append(_save_result(actor, sla, period, values))
    for sla in slas:
        _apply_earn_back(actor, contract, sla)
    return results


def _apply_earn_back(actor, contract: Contract, sla: SLA) -> None:
    """Settle earn-back for one SLA over its whole history.

    An open month's miss is earned back on its own result (its net credit becomes 0).
    A closed month's figures are billed and never recomputed: when its miss is earned
    back, the credit it billed is returned in the month that completes the run of met
    months (``earn_back_of`` / ``earn_back_credit`` on that month's result), so the
    return lands on the later month's statement.
    """
    results = {r.period: r for r in SLAResult.objects.filter(sla=sla)}
    if not results:
        return
    closed = {st.period: st for st in Statement.objects.filter(contract=contract)}
    months, day = [], min(results)
    while day <= max(results):
        months.append(day)
        day = next_month(day)
    status = {SLAResult.Status.MISSED: True, SLAResult.Status.MET: False}
    history = [status.get(results[m].status) if m in results else None for m in months]
    flags = credits.earned_back(history, contract.earn_back_periods)
    returns: dict[dt.date, tuple[dt.date, Decimal]] = {}
    for i, (month, flag) in enumerate(zip(months, flags, strict=True)):
        result = results.get(month)
        if result is None:
            continue
        if month in closed:
            billed = _billed_line(closed[month], sla.pk)
            if flag and billed and not billed.get("earned_back") and Decimal(billed["credit"]) > 0:
                returns[months[i + contract.earn_back_periods]] = (month, Decimal(billed["credit"]))
        elif result.earned_back != flag:
            audit.update(actor=actor, instance=result, changes={"earned_back": flag})
    for month, result in results.items():
        if month in closed:
            continue  # billed as it stands; a return due to it waits for a restatement
        of, amount = returns.get(month, (None, Decimal("0.00")))
        if result.earn_back_of != of or result.earn_back_credit != amount:
            audit.update(actor=actor, instance=result, changes={"earn_back_of": of, "earn_back_credit": amount})


def _billed_line(statement: Statement, sla_id: int) -> dict | None:
    """The SLA's line on a closed month's statement as it stands (the last restatement's, if any)."""
    last = statement.restatements.order_by("-number").first()
    lines = last.after["lines"] if last else statement.lines
    return next((ln for ln in lines if ln["sla_id"] == sla_id), None)
