"""Reads for contracts and SLA results, always scoped to the requesting user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from concord.accounts import access
from concord.accounts.roles import Cap

from .models import SLA, Contract, OutageWindow, SLAResult


def contracts(user) -> QuerySet[Contract]:
    access.require(user, Cap.VIEW_CONTRACTS)
    qs = Contract.objects.select_related("provider").prefetch_related("programs", "slas")
    return access.scope(user, qs, "provider")


def contract(user, contract_id: int) -> Contract:
    access.require(user, Cap.VIEW_CONTRACTS)
    qs = Contract.objects.select_related("provider").prefetch_related("programs", "slas", "outages")
    return access.get_visible_or_404(user, qs, "provider", pk=contract_id)


def sla(user, sla_id: int) -> SLA:
    access.require(user, Cap.VIEW_CONTRACTS)
    qs = SLA.objects.select_related("contract__provider")
    return access.get_visible_or_404(user, qs, "contract__provider", pk=sla_id)


def outage(user, outage_id: int) -> OutageWindow:
    access.require(user, Cap.VIEW_CONTRACTS)
    qs = OutageWindow.objects.select_related("contract__provider", "sla")
    return access.get_visible_or_404(user, qs, "contract__provider", pk=outage_id)


def periods_with_results(user, c: Contract) -> list[dt.date]:
    access.require(user, Cap.VIEW_CONTRACTS)
    qs = SLAResult.objects.filter(sla__contract=c).values_list("period", flat=True).distinct()
    return sorted(set(qs), reverse=True)


@dataclass
class ReportLine:
    sla: SLA
    result: SLAResult | None


@dataclass
class MonthReport:
    contract: Contract
    period: dt.date
    lines: list[ReportLine]

    @property
    def computed(self) -> bool:
        return any(line.result for line in self.lines)

    @property
    def at_risk(self) -> Decimal:
        return self.contract.at_risk

    @property
    def credit(self) -> Decimal:
        return sum((ln.result.credit for ln in self.lines if ln.result), Decimal("0.00"))

    @property
    def earned_back(self) -> Decimal:
        return sum((ln.result.credit for ln in self.lines if ln.result and ln.result.earned_back), Decimal("0.00"))

    @property
    def net_credit(self) -> Decimal:
        return self.credit - self.earned_back

    @property
    def pool_percent(self) -> Decimal:
        return sum((ln.sla.allocation_percent for ln in self.lines), Decimal("0"))

    @property
    def capped(self) -> bool:
        missed = sum(
            (ln.sla.allocation_percent for ln in self.lines if ln.result and ln.result.status == "missed"), Decimal(0)
        )
        return missed > 100


def month_report(user, c: Contract, period: dt.date) -> MonthReport:
    access.require(user, Cap.VIEW_CONTRACTS)
    # ``c`` came through ``contract(user, ...)``; check again so no caller can skip it
    contract(user, c.pk)
    results = {r.sla_id: r for r in SLAResult.objects.filter(sla__contract=c, period=period.replace(day=1))}
    return MonthReport(c, period.replace(day=1), [ReportLine(s, results.get(s.pk)) for s in c.slas.all()])
