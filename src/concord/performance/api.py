"""REST endpoints for scorecards: the same selectors and report shapes as the pages and the CLI."""

from __future__ import annotations

import re

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.roles import Cap
from concord.web import api as api_base
from concord.web.api import capability

from . import reports, selectors

#: The months the API reads (concord.periods' supported years), or nothing for the last complete month.
MONTH_PATTERN = r"^((199[0-9]|20[0-9][0-9])-(0[1-9]|1[0-2]))?$"


class ScorecardLineSerializer(api_base.Serializer):
    id = serializers.IntegerField()
    metric_key = serializers.CharField()
    label = serializers.CharField()
    category = serializers.CharField()
    params = serializers.JSONField()
    target = serializers.FloatField(allow_null=True)
    weight = serializers.FloatField()
    band_low = serializers.FloatField(allow_null=True)
    band_high = serializers.FloatField(allow_null=True)
    min_volume = serializers.IntegerField(allow_null=True)


class ScorecardSerializer(api_base.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    program = serializers.CharField(source="program.code")
    grain = serializers.CharField()
    count_by = serializers.CharField(help_text="The date a contact counts by: created, answered or resolved.")
    hours = serializers.CharField(help_text="First response and resolution in calendar or business hours.")
    conventions = serializers.CharField(source="conventions_text", help_text="The conventions, in words.")
    lines = ScorecardLineSerializer(many=True, source="lines.all")


class ScorecardListView(APIView):
    """The scorecards this user may see (those of programs their provider serves)."""

    permission_classes = [capability(Cap.VIEW_PERFORMANCE)]

    @extend_schema(responses=ScorecardSerializer(many=True))
    def get(self, request):
        return Response(ScorecardSerializer(selectors.scorecards(request.user).order_by("pk"), many=True).data)


class ScorecardQueryView(APIView):
    """A scorecard query: each visible card's components, index and evidence for one month.

    A partner's user always gets their own provider's numbers; naming another provider is a 404.
    """

    permission_classes = [capability(Cap.VIEW_PERFORMANCE)]

    @extend_schema(
        parameters=[
            OpenApiParameter("provider", str, description="Provider code; a partner's user may name only their own."),
            OpenApiParameter(
                "period",
                {"type": "string", "pattern": MONTH_PATTERN},
                description="Month from 1990-01 to 2099-12, e.g. 2026-05 (default: the last complete month in the "
                "reporting zone).",
            ),
            OpenApiParameter(
                "by", str, enum=list(selectors.BREAKDOWNS), description="Break down by site, team or agent."
            ),
            OpenApiParameter("scorecard", {"type": "integer", "minimum": 1}, description="Only this scorecard (id)."),
        ],
        responses={200: dict},
    )
    def get(self, request):
        params = request.query_params
        try:
            period = selectors.parse_period(params.get("period"))
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from None
        if not re.fullmatch(MONTH_PATTERN, params.get("period", ""), flags=re.ASCII):
            # the pages read any form of a period; the API takes what its schema says, a month
            raise ValidationError({"period": "write a month such as 2026-05, from 1990-01 to 2099-12"})
        by = params.get("by") or None
        if by is not None and by not in selectors.BREAKDOWNS:
            raise ValidationError({"by": f"use one of {', '.join(selectors.BREAKDOWNS)}"})
        code = params.get("provider") or None
        provider = selectors.provider_by_code(request.user, code) if code else None
        if provider is None and request.user.provider_id is not None:
            provider = selectors.provider(request.user, request.user.provider_id)
        card = params.get("scorecard")
        if card is not None and not re.fullmatch("[1-9][0-9]*", card):
            raise ValidationError({"scorecard": "give a scorecard id"})
        return Response(
            reports.query(
                request.user, period=period, provider=provider, by=by, scorecard_id=int(card) if card else None
            )
        )
