"""SLA status per provider for one month, for the performance portfolio: met, missed,
not computed, too little volume, with the month's credit and a link to the SLA report;
an out-of-date or provisional result says so on its badge.

Reads stored results only (computing is the SLA report's job), scoped to the user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from concord.accounts import access
from concord.accounts.roles import Cap

from .measure import in_force
from .models import Contract, SLAResult
from .terms import staleness

#: status -> (label, badge class)
BADGES = {
    SLAResult.Status.MET: ("met", "good"),
    SLAResult.Status.MISSED: ("missed", "bad"),
    SLAResult.Status.NOT_MEASURED: ("too little volume", "warn"),
    SLAResult.Status.ERROR: ("could not be computed", "warn"),
    None: ("not computed", ""),
}


@dataclass
class SLABadge:
    name: str
    status: str | None
    value: float | None
    credit: Decimal
    out_of_date: bool = False
    provisional: bool = False

    @property
    def label(self) -> str:
        return BADGES[self.status][0]

    @property
    def qualifiers(self) -> str:
        """What makes the status not yet a number to bill on."""
        return " · ".join(q for q, on in (("out of date", self.out_of_date), ("provisional", self.provisional)) if on)

    @property
    def css(self) -> str:
        return "warn" if self.out_of_date else BADGES[self.status][1]


@dataclass
class ContractStatus:
    contract: Contract
    period: dt.date
    slas: list[SLABadge] = field(default_factory=list)

    @property
    def credit(self) -> Decimal:
        return sum((s.credit for s in self.slas), Decimal("0.00"))

    def count(self, label: str) -> int:
        return sum(1 for s in self.slas if s.label == label)

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        """(label, css, count) for the statuses present, in a fixed order."""
        out = []
        for status in (SLAResult.Status.MET, SLAResult.Status.MISSED, SLAResult.Status.NOT_MEASURED, None):
            label, css = BADGES[status]
            n = self.count(label)
            if n:
                out.append((label, css, n))
        errors = self.count(BADGES[SLAResult.Status.ERROR][0])
        if errors:
            out.append((BADGES[SLAResult.Status.ERROR][0], "warn", errors))
        return out


def by_provider(user, provider_ids, period: dt.date, program=None) -> dict[int, list[ContractStatus]]:
    """The SLA status of each provider's contracts in force in ``period`` (covering ``program`` if given)."""
    if not access.can(user, Cap.VIEW_CONTRACTS):
        return {}
    period = period.replace(day=1)
    qs = Contract.objects.filter(provider_id__in=list(provider_ids)).prefetch_related("slas")
    if program is not None:
        qs = qs.filter(Q(programs=program) | Q(programs__isnull=True)).distinct()
    qs = access.scope(user, qs, "provider")
    contracts = [c for c in qs.order_by("name", "pk") if in_force(c, period) is not None]
    results = {
        r.sla_id: r
        for r in SLAResult.objects.filter(sla__contract__in=contracts, period=period).select_related("sla__contract")
    }
    stale = staleness(results.values())
    out: dict[int, list[ContractStatus]] = {}
    for c in contracts:
        status = ContractStatus(c, period)
        for sla in c.slas.all():
            r = results.get(sla.pk)
            status.slas.append(
                SLABadge(
                    sla.name,
                    r.status if r else None,
                    r.value if r else None,
                    r.net_credit if r else Decimal(0),
                    out_of_date=bool(r and stale[r.pk].out_of_date),
                    provisional=bool(r and r.provisional),
                )
            )
        out.setdefault(c.provider_id, []).append(status)
    return out
