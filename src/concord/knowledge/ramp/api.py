"""``GET /api/ramp/``: the same report as the page and ``concord ramp --json``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.roles import Cap
from concord.web.api import capability

from . import present, selectors
from .tenure import RAMP_METRICS


class RampView(APIView):
    permission_classes = [capability(Cap.VIEW_PERFORMANCE)]

    @extend_schema(
        operation_id="ramp_curves",
        parameters=[
            OpenApiParameter("metric", str, enum=list(RAMP_METRICS), description="Metric followed (default aht)."),
            OpenApiParameter("provider", str, description="Only this provider (its code)."),
            OpenApiParameter("program", str, description="Only this program's contacts (its code)."),
        ],
        responses=dict,
    )
    def get(self, request):
        q = request.query_params
        metric = q.get("metric") or "aht"
        if metric not in RAMP_METRICS:
            why = f"{metric!r} has no ramp; use one of {', '.join(RAMP_METRICS)}."
            raise serializers.ValidationError({"metric": why})
        program = selectors.program_by_code(request.user, q["program"]) if q.get("program") else None
        provider = selectors.provider_by_code(request.user, q["provider"]) if q.get("provider") else None
        report = selectors.ramp_report(request.user, metric=metric, program=program, provider=provider)
        return Response(present.payload(report))
