"""REST endpoints for signing a credit statement: the partner accepts or disputes (with evidence),
the client decides. The same services as the statement page; refusals are RFC 9457 problems."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.roles import Cap
from concord.web import api as api_base
from concord.web.api import capability

from . import attachments, reports, selectors, signoff
from .api import _period
from .models import Dispute


class PeriodSerializer(api_base.Serializer):
    period = serializers.RegexField(r"^[0-9]{4}-(0[1-9]|1[0-2])$", help_text="The closed month, e.g. 2026-11.")


class DisputeSerializer(PeriodSerializer):
    lines = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, help_text="SLA ids of the lines disputed."
    )
    reason = serializers.CharField(max_length=4000)


EVIDENCE = (
    "Evidence: send the same fields as multipart/form-data (`lines` repeated) with files under "
    f"`attachments`: up to {attachments.MAX_FILES} files of {attachments.ALLOWED_TEXT}, "
    f"{attachments.MAX_BYTES // (1024 * 1024)} MB each, checked by their content."
)


class DecisionSerializer(api_base.Serializer):
    decision = serializers.ChoiceField(choices=[c for c, _ in Dispute.Decision.choices if c != Dispute.Decision.OPEN])
    note = serializers.CharField(max_length=4000, help_text="Why, in words the partner reads.")
    client_note = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        help_text="The client's own note, never shown to the partner.",
    )
    credits = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0),
        required=False,
        help_text='Partly accepted: SLA id -> the credit the line keeps, e.g. {"12": "250.00"}.',
    )


def _statement(request, contract, period_text):
    view = selectors.statement(request.user, contract, _period(period_text))
    if view.statement is None:
        raise ValidationError({"period": f"{view.period:%B %Y} is not closed: there is no statement to sign."})
    return contract, view


class StatementAcceptView(APIView):
    """The partner accepts its statement as it stands (after any restatement)."""

    permission_classes = [capability(Cap.VIEW_CONTRACTS)]

    @extend_schema(operation_id="contracts_statement_accept", request=PeriodSerializer, responses={200: dict})
    def post(self, request, pk: int):
        contract = selectors.contract(request.user, pk)  # another partner's: 404 before anything else
        data = PeriodSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract, view = _statement(request, contract, data.validated_data["period"])
        signoff.statement_accept(actor=request.user, statement=view.statement)
        return Response(reports.statement_json(selectors.statement(request.user, contract, view.period)))


class StatementDisputeView(APIView):
    """The partner disputes named lines with a reason and, sent as multipart, files as evidence."""

    permission_classes = [capability(Cap.VIEW_CONTRACTS)]
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="contracts_statement_dispute",
        request={"application/json": DisputeSerializer},
        responses={201: dict},
        description=EVIDENCE,
    )
    def post(self, request, pk: int):
        contract = selectors.contract(request.user, pk)
        data = DisputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract, view = _statement(request, contract, data.validated_data["period"])
        signoff.dispute_raise(
            actor=request.user,
            statement=view.statement,
            sla_ids=data.validated_data["lines"],
            reason=data.validated_data["reason"],
            attachments=request.FILES.getlist("attachments"),
        )
        return Response(reports.statement_json(selectors.statement(request.user, contract, view.period)), status=201)


class DisputeDecideView(APIView):
    """The client accepts, partly accepts or rejects a dispute; accepting restates the month."""

    permission_classes = [capability(Cap.VIEW_CONTRACTS)]

    @extend_schema(operation_id="contracts_dispute_decide", request=DecisionSerializer, responses={200: dict})
    def post(self, request, pk: int):
        dispute = selectors.dispute(request.user, pk)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        signoff.dispute_decide(actor=request.user, dispute=dispute, **data.validated_data)
        st = dispute.statement
        return Response(reports.statement_json(selectors.statement(request.user, st.contract, st.period)))
