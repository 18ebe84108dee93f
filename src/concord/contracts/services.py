"""Every change to contracts and their monthly SLA results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from concord.accounts import access, audit
from concord.accounts.roles import Cap
from concord.lake.store import Lake

from . import credits
from .measure import measure_slas, next_month
from .models import SLA, Contract, OutageWindow, SLAResult

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
    return contract


@transaction.atomic
def sla_create(*, actor, contract: Contract, **fields) -> SLA:
    _check(fields, SLA_FIELDS)
    _require(actor, contract.provider_id)
    return audit.create(actor=actor, instance=SLA(contract=contract, **fields))


@transaction.atomic
def sla_update(*, actor, sla: SLA, **changes) -> SLA:
    _check(changes, SLA_FIELDS)
    _require(actor, sla.contract.provider_id)
    return audit.update(actor=actor, instance=sla, changes=changes)


@transaction.atomic
def sla_delete(*, actor, sla: SLA) -> None:
    """Remove an SLA with its stored results and the outages declared for it alone."""
    _require(actor, sla.contract.provider_id)
    for result in sla.results.all():
        audit.delete(actor=actor, instance=result)
    for outage in sla.outages.all():
        audit.delete(actor=actor, instance=outage)
    audit.delete(actor=actor, instance=sla)


@transaction.atomic
def outage_create(*, actor, contract: Contract, **fields) -> OutageWindow:
    _check(fields, OUTAGE_FIELDS)
    _require(actor, contract.provider_id)
    return audit.create(actor=actor, instance=OutageWindow(contract=contract, **fields))


@transaction.atomic
def outage_update(*, actor, outage: OutageWindow, **changes) -> OutageWindow:
    _check(changes, OUTAGE_FIELDS)
    _require(actor, outage.contract.provider_id)
    return audit.update(actor=actor, instance=outage, changes=changes)


@transaction.atomic
def outage_delete(*, actor, outage: OutageWindow) -> None:
    _require(actor, outage.contract.provider_id)
    audit.delete(actor=actor, instance=outage)


def _save_result(actor, sla: SLA, period: dt.date, values: dict) -> SLAResult:
    existing = SLAResult.objects.filter(sla=sla, period=period).first()
    if existing:
        return audit.update(actor=actor, instance=existing, changes=values)
    return audit.create(actor=actor, instance=SLAResult(sla=sla, period=period, **values))


@transaction.atomic
def compute_month(*, actor, contract: Contract, period: dt.date, lake: Lake | None = None) -> list[SLAResult]:
    """Measure every SLA of the contract for the month, store the results with the lake
    version read, the capped service credits, and the earn-back it settles."""
    _require(actor, contract.provider_id)
    period = period.replace(day=1)
    lake = lake or Lake(settings.LAKE_URI)
    slas = list(contract.slas.all())
    measured = measure_slas(slas, period, lake=lake, timezone=settings.REPORTING_TIMEZONE)
    missed = [str(pk) for pk, m in measured.items() if m.status == SLAResult.Status.MISSED]
    month = credits.month_credits(contract.at_risk, {str(s.pk): s.allocation_percent for s in slas}, missed)
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
        }
        results.append(_save_result(actor, sla, period, values))
    for sla in slas:
        _apply_earn_back(actor, contract, sla)
    return results


def _apply_earn_back(actor, contract: Contract, sla: SLA) -> None:
    results = {r.period: r for r in SLAResult.objects.filter(sla=sla)}
    if not results:
        return
    months, day = [], min(results)
    while day <= max(results):
        months.append(day)
        day = next_month(day)
    status = {SLAResult.Status.MISSED: True, SLAResult.Status.MET: False}
    history = [status.get(results[m].status) if m in results else None for m in months]
    flags = credits.earned_back(history, contract.earn_back_periods)
    for month, flag in zip(months, flags, strict=True):
        result = results.get(month)
        if result is not None and result.earned_back != flag:
            audit.update(actor=actor, instance=result, changes={"earned_back": flag})
