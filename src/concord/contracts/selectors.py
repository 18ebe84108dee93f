"""Reads for contracts and SLA results, always scoped to the requesting user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from concord.accounts import access
from concord.accounts.roles import Cap

from .measure import month_amounts
from .models import SLA, Contract, Dispute, DisputeAttachment, OutageWindow, SLAResult, Statement, local_text
from .month_close import figures_in_force, why_not_closable
from .terms import Staleness, staleness


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


def periods_with_results(user, c: Contract) -> list[tuple[dt.date, Statement | None]]:
    """Each month with results, newest first, with its credit statement once closed."""
    access.require(user, Cap.VIEW_CONTRACTS)
    qs = SLAResult.objects.filter(sla__contract=c).values_list("period", flat=True).distinct()
    statements = {st.period: st for st in Statement.objects.filter(contract=c)}
    return [(p, statements.get(p)) for p in sorted(set(qs), reverse=True)]


@dataclass
class ReportLine:
    sla: SLA
    result: SLAResult | None
    staleness: Staleness | None = None

    @property
    def out_of_date(self) -> bool:
        return bool(self.staleness and self.staleness.out_of_date)


@dataclass
class MonthReport:
    contract: Contract
    period: dt.date
    lines: list[ReportLine]
    statement: Statement | None = None

    @property
    def computed(self) -> bool:
        return any(line.result for line in self.lines)

    @property
    def closed(self) -> bool:
        return self.statement is not None

    @property
    def out_of_date(self) -> bool:
        """Some result no longer matches the terms or the lake (or an SLA has none yet)."""
        return self.computed and any(ln.out_of_date or not ln.result for ln in self.lines)

    @property
    def provisional(self) -> bool:
        return any(ln.result and ln.result.provisional for ln in self.lines)

    @property
    def restatements(self) -> int:
        return self.statement.restatements.count() if self.statement else 0

    @property
    def net_in_force(self) -> str | None:
        """A closed month's net credit as it stands on its statement (after any restatement)."""
        return figures_in_force(self.statement)["totals"]["net"] if self.statement else None

    @property
    def final_from(self):
        """When the last provisional result of the month becomes final."""
        return max((ln.result.final_from for ln in self.lines if ln.result and ln.result.provisional), default=None)

    @property
    def final_from_text(self) -> str:
        return local_text(self.final_from)

    @property
    def fee(self) -> Decimal:
        return month_amounts(self.contract, self.period)[0]

    @property
    def at_risk(self) -> Decimal:
        """Prorated by days in force in a partial month."""
        return month_amounts(self.contract, self.period)[1]

    @property
    def credit(self) -> Decimal:
        return sum((ln.result.credit for ln in self.lines if ln.result), Decimal("0.00"))

    @property
    def earned_back(self) -> Decimal:
        """This month's credits earned back, and the credits of closed earlier months returned in it."""
        own = sum((ln.result.credit for ln in self.lines if ln.result and ln.result.earned_back), Decimal("0.00"))
        return own + sum((ln.result.earn_back_credit for ln in self.lines if ln.result), Decimal("0.00"))

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
    period = period.replace(day=1)
    results = {
        r.sla_id: r for r in SLAResult.objects.filter(sla__contract=c, period=period).select_related("sla__contract")
    }
    stale = staleness(results.values())
    lines = [
        ReportLine(s, results.get(s.pk), stale.get(results[s.pk].pk) if s.pk in results else None) for s in c.slas.all()
    ]
    return MonthReport(c, period, lines, Statement.objects.filter(contract=c, period=period).first())


@dataclass
class StatementView:
    """A month's credit statement as a person reads it: the frozen lines, the restatements beside
    them, or (not closed yet) what stands in the way of closing."""

    contract: Contract
    period: dt.date
    statement: Statement | None
    restatements: list
    blockers: list[str]
    disputes: list = field(default_factory=list)
    events: list = field(default_factory=list)
    #: the client's own notes on dispute decisions are shown only to the client's people
    show_client_notes: bool = False

    @property
    def overdue(self) -> bool:
        return bool(self.statement and self.statement.signoff_overdue())

    @property
    def in_force(self) -> dict | None:
        return figures_in_force(self.statement) if self.statement else None


#: a dispute's attachments without their bytes (the page lists them; the download reads one)
_ATTACHMENT_LIST = Prefetch("attachments", queryset=DisputeAttachment.objects.defer("data"))


def statement(user, c: Contract, period: dt.date) -> StatementView:
    """The statement of ``c`` for the month (scoped: ``c`` is looked up again for ``user``)."""
    access.require(user, Cap.VIEW_CONTRACTS)
    c = contract(user, c.pk)
    period = period.replace(day=1)
    st = Statement.objects.filter(contract=c, period=period).first()
    if st is None:
        return StatementView(c, period, None, [], why_not_closable(c, period))
    names = {ln["sla_id"]: ln["sla"] for ln in st.lines}
    disputes = list(st.disputes.select_related("restatement").prefetch_related(_ATTACHMENT_LIST))
    for d in disputes:
        d.line_names = ", ".join(names.get(i, f"SLA {i}") for i in d.lines)
    return StatementView(
        c,
        period,
        st,
        list(st.restatements.order_by("number")),
        [],
        disputes,
        list(st.events.all()),
        show_client_notes=user.provider_id is None,
    )


def dispute(user, dispute_id: int) -> Dispute:
    access.require(user, Cap.VIEW_CONTRACTS)
    qs = Dispute.objects.select_related("statement__contract__provider")
    return access.get_visible_or_404(user, qs, "statement__contract__provider", pk=dispute_id)


def attachment(user, attachment_id: int) -> DisputeAttachment:
    """A dispute's evidence, seen by whoever sees its statement."""
    access.require(user, Cap.VIEW_CONTRACTS)
    qs = DisputeAttachment.objects.select_related("dispute__statement__contract__provider")
    return access.get_visible_or_404(user, qs, "dispute__statement__contract__provider", pk=attachment_id)


def statements_awaiting(user) -> QuerySet[Statement]:
    """The statements waiting on ``user``'s side: a partner's to sign off or dispute (issued, or decided and
    back with it), the client's disputes to decide; among the contracts the user may see."""
    waiting = (
        (Statement.Status.ISSUED, Statement.Status.RESOLVED) if user.provider_id is not None
        else (Statement.Status.DISPUTED,)
    )  # fmt: skip
    return Statement.objects.filter(contract__in=contracts(user), status__in=waiting).select_related(
        "contract__provider"
    )
