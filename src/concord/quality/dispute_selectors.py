"""Reads for disputes, scoped like evaluations: an agent sees the disputes of their own evaluations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from concord.accounts import access
from concord.accounts.roles import Cap

from .models import Evaluation
from .work_models import Dispute

Outcome = Dispute.Outcome
_RELATED = ("evaluation__agent", "evaluation__evaluator", "provider", "criterion", "raised_by", "reviewer")


def disputes(user, *, outcome: str | None = None) -> QuerySet[Dispute]:
    access.require(user, Cap.VIEW_OWN_EVALUATIONS)
    qs = access.scope_to_person(user, Dispute.objects.select_related(*_RELATED), agent_field="evaluation__agent")
    return qs.filter(outcome=outcome) if outcome else qs


def dispute(user, dispute_id: int) -> Dispute:
    access.require(user, Cap.VIEW_OWN_EVALUATIONS)
    qs = Dispute.objects.select_related(*_RELATED)
    return access.get_person_record_or_404(user, qs, agent_field="evaluation__agent", pk=dispute_id)


def of_evaluation(user, evaluation: Evaluation) -> list[Dispute]:
    return list(disputes(user).filter(evaluation=evaluation).order_by("raised_at", "pk"))


@dataclass(frozen=True)
class DisputeRate:
    name: str
    evaluations: int  # completed evaluations
    disputed: int  # of them, disputed at least once
    disputes: int
    open: int
    accepted: int
    partly: int
    rejected: int

    @property
    def rate(self) -> float | None:
        """Disputed evaluations per 100 completed (percent)."""
        return 100.0 * self.disputed / self.evaluations if self.evaluations else None

    @property
    def overturned(self) -> float | None:
        """Accepted or partly accepted per 100 decided disputes (percent)."""
        decided = self.accepted + self.partly + self.rejected
        return 100.0 * (self.accepted + self.partly) / decided if decided else None


def rates(user, *, by: str) -> list[DisputeRate]:
    """Dispute rates and outcomes per evaluator (``by="evaluator"``) or per provider, in the user's scope."""
    access.require(user, Cap.VIEW_QUALITY)
    field = {"evaluator": "evaluator__username", "provider": "provider__name"}.get(by)
    if field is None:
        raise ValueError("by: evaluator or provider")
    completed = access.scope(user, Evaluation.objects.filter(status=Evaluation.Status.COMPLETED))
    counted = completed.values(field).annotate(
        evaluations=Count("pk", distinct=True),
        disputed=Count("pk", filter=Q(disputes__isnull=False), distinct=True),
        disputes_n=Count("disputes", distinct=True),
        **{
            key: Count("disputes", filter=Q(disputes__outcome=value), distinct=True)
            for key, value in (("open", Outcome.OPEN), ("accepted", Outcome.ACCEPTED),
                               ("partly", Outcome.PARTLY), ("rejected", Outcome.REJECTED))
        },
    )  # fmt: skip
    return sorted(
        (
            DisputeRate(
                name=row[field],
                evaluations=row["evaluations"],
                disputed=row["disputed"],
                disputes=row["disputes_n"],
                open=row["open"],
                accepted=row["accepted"],
                partly=row["partly"],
                rejected=row["rejected"],
            )
            for row in counted
        ),
        key=lambda r: (-(r.rate or 0.0), r.name),
    )
