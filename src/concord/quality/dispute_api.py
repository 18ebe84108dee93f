"""Dispute endpoints: the same selectors and services as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.roles import Cap
from concord.web.api import LIST_OF_OBJECTS, capability

from . import api_inputs, dispute_selectors, dispute_services, selectors
from .api import text
from .inputs import rating_from_json
from .work_models import Dispute


def _rating(value, na: bool) -> dict | None:
    if value is None and not na:
        return None
    return {"value": None if value is None else float(value), "not_applicable": na}


def dispute_json(d: Dispute) -> dict:
    return {
        "id": d.pk,
        "evaluation": d.evaluation_id,
        "provider": d.provider.code,
        "agent": {"id": d.evaluation.agent_id, "name": d.evaluation.agent.display_name},
        "evaluator": d.evaluation.evaluator.username,
        "criterion": d.criterion.code,
        "raised_by": d.raised_by.username,
        "raised_at": d.raised_at.isoformat(),
        "reason": d.reason,
        "original": _rating(d.original_value, d.original_na),
        "proposed": _rating(d.proposed_value, d.proposed_na),
        "outcome": d.outcome,
        "reviewer": d.reviewer.username if d.reviewer_id else None,
        "decided_at": d.decided_at.isoformat() if d.decided_at else None,
        "decision_note": d.decision_note,
        "new": _rating(d.new_value, d.new_na),
        "score_before_percent": None if d.score_before is None else float(d.score_before),
        "score_after_percent": None if d.score_after is None else float(d.score_after),
    }


class DisputeListView(APIView):
    """Disputes the user may see (an agent: of their own evaluations); POST raises one."""

    permission_classes = [capability(Cap.VIEW_OWN_EVALUATIONS)]

    @extend_schema(
        operation_id="quality_disputes_list",
        parameters=[OpenApiParameter("outcome", str, enum=list(Dispute.Outcome.values))],
        responses={200: LIST_OF_OBJECTS},
    )
    def get(self, request):
        outcome = request.query_params.get("outcome") or None
        if outcome is not None and outcome not in Dispute.Outcome.values:
            raise ValidationError({"outcome": f"one of {', '.join(Dispute.Outcome.values)}"})
        return Response([dispute_json(d) for d in dispute_selectors.disputes(request.user, outcome=outcome)[:500]])

    @extend_schema(operation_id="quality_disputes_raise", request=api_inputs.DisputeRaiseInput, responses={201: dict})
    def post(self, request):
        body = api_inputs.validated(api_inputs.DisputeRaiseInput, request)
        try:
            evaluation_id = int(body["evaluation"])
        except (KeyError, TypeError, ValueError):
            raise ValidationError({"evaluation": "the id of the evaluation disputed"}) from None
        evaluation = selectors.evaluation(request.user, evaluation_id)
        dispute = dispute_services.dispute_raise(
            actor=request.user,
            evaluation=evaluation,
            criterion_code=str(body.get("criterion", "")),
            reason=text(body, "reason"),
            proposed=rating_from_json(body.get("proposed"), "proposed"),
        )
        return Response(dispute_json(dispute), status=201)


class DisputeDetailView(APIView):
    permission_classes = [capability(Cap.VIEW_OWN_EVALUATIONS)]

    @extend_schema(operation_id="quality_disputes_detail", responses={200: dict})
    def get(self, request, pk: int):
        return Response(dispute_json(dispute_selectors.dispute(request.user, pk)))


class DisputeDecisionView(APIView):
    """POST {"outcome": accepted|partly_accepted|rejected, "note", "rating": {value, not_applicable}}."""

    permission_classes = [capability(Cap.VIEW_OWN_EVALUATIONS)]

    @extend_schema(operation_id="quality_disputes_decide", request=api_inputs.DisputeDecideInput, responses={200: dict})
    def post(self, request, pk: int):
        dispute = dispute_selectors.dispute(request.user, pk)
        body = api_inputs.validated(api_inputs.DisputeDecideInput, request)
        decided = dispute_services.dispute_decide(
            actor=request.user,
            dispute=dispute,
            outcome=str(body.get("outcome", "")),
            note=text(body, "note"),
            rating=rating_from_json(body.get("rating"), "rating"),
        )
        return Response(dispute_json(decided))


class DisputeRatesView(APIView):
    """Dispute rates and outcomes per evaluator or per provider (``?by=``)."""

    permission_classes = [capability(Cap.VIEW_QUALITY)]

    @extend_schema(
        operation_id="quality_dispute_rates",
        parameters=[OpenApiParameter("by", str, enum=["evaluator", "provider"])],
        responses={200: LIST_OF_OBJECTS},
    )
    def get(self, request):
        by = request.query_params.get("by", "provider")
        if by not in ("evaluator", "provider"):
            raise ValidationError({"by": "evaluator or provider"})
        return Response(
            [
                {
                    "name": r.name,
                    "evaluations": r.evaluations,
                    "disputed": r.disputed,
                    "disputes": r.disputes,
                    "rate_percent": r.rate,
                    "open": r.open,
                    "accepted": r.accepted,
                    "partly_accepted": r.partly,
                    "rejected": r.rejected,
                    "overturned_percent": r.overturned,
                }
                for r in dispute_selectors.rates(request.user, by=by)
            ]
        )
