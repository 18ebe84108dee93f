"""REST endpoints for SLA results: the same selectors as the SLA report page."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from concord import periods, reporting
from concord.accounts.roles import Cap
from concord.web import api as api_base
from concord.web.api import capability

from . import month_close, reports, selectors


def _period(value):
    try:
        return periods.parse(value, "month", today=reporting.today())
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None


class ContractSummarySerializer(api_base.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    provider = serializers.CharField(help_text="Provider code.")
    programs = serializers.ListField(child=serializers.CharField(), help_text="Program codes.")
    currency = serializers.CharField()
    monthly_fee = serializers.CharField(help_text="Monthly fee, a decimal amount in the contract's currency.")
    at_risk = serializers.CharField(help_text="Amount at risk each month, a decimal amount in the currency.")
    earn_back_periods = serializers.IntegerField()


class ContractListView(APIView):
    permission_classes = [capability(Cap.VIEW_CONTRACTS)]

    @extend_schema(responses={200: ContractSummarySerializer(many=True)})
    def get(self, request):
        return Response(
            [
                {
                    "id": c.pk,
                    "name": c.name,
                    "provider": c.provider.code,
                    "programs": [p.code for p in c.programs.all()],
                    "currency": c.currency,
                    "monthly_fee": str(c.monthly_fee),
                    "at_risk": str(c.at_risk),
                    "earn_back_periods": c.earn_back_periods,
                }
                for c in selectors.contracts(request.user).order_by("pk")
            ]
        )


class SLAResultsView(APIView):
    """One contract's SLA results for a month: met or missed, credit, and the evidence."""

    permission_classes = [capability(Cap.VIEW_CONTRACTS)]

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="Month, e.g. 2026-05.")], responses={200: dict}
    )
    def get(self, request, pk: int):
        contract = selectors.contract(request.user, pk)
        period = _period(request.query_params.get("period"))
        return Response(reports.report_json(selectors.month_report(request.user, contract, period)))


class StatementView(APIView):
    """A month's credit statement: as closed, each restatement, the figures in force; or why it cannot close yet."""

    permission_classes = [capability(Cap.VIEW_CONTRACTS)]

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="Month, e.g. 2026-11.")], responses={200: dict}
    )
    def get(self, request, pk: int):
        contract = selectors.contract(request.user, pk)
        period = _period(request.query_params.get("period"))
        return Response(reports.statement_json(selectors.statement(request.user, contract, period)))


class CloseMonthView(APIView):
    """Close a month (the client): refused with the reasons while any result is provisional or out of date."""

    # the contract is looked up first (another partner's is a 404); the service refuses a non-client (403)
    permission_classes = [capability(Cap.VIEW_CONTRACTS)]

    @extend_schema(request=dict, responses={201: dict})
    def post(self, request, pk: int):
        contract = selectors.contract(request.user, pk)
        period = _period(request.data.get("period"))
        month_close.close_month(actor=request.user, contract=contract, period=period)
        return Response(reports.statement_json(selectors.statement(request.user, contract, period)), status=201)
