"""Drift alert API, mounted under ``api/drift-alerts/``: the same selectors as the pages."""

from __future__ import annotations

import datetime as dt

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from concord import periods
from concord.accounts.roles import Cap
from concord.web import api as api_base
from concord.web.api import capability

from . import drift_selectors, selectors


class DriftAlertSerializer(api_base.Serializer):
    id = serializers.IntegerField()
    provider = serializers.CharField(source="provider.code")
    scorecard = serializers.IntegerField(source="line.scorecard_id")
    line = serializers.IntegerField(source="line_id")
    metric_key = serializers.CharField()
    label = serializers.CharField()
    day = serializers.DateField(help_text="The day the alarm was raised (reporting zone).")
    since = serializers.DateField(help_text="The detector's estimate of when the drift began.")
    direction = serializers.ChoiceField(choices=["up", "down"])


class DriftAlertDetailSerializer(DriftAlertSerializer):
    evidence = serializers.JSONField(
        help_text="Daily values, baseline, CUSUM paths, method, parameters and lake versions behind the alert."
    )


def _day(params, name):
    text = params.get(name)
    if not text:
        return None
    try:
        return periods.check_range(dt.date.fromisoformat(text))
    except ValueError:
        raise ValidationError({name: "give a day as YYYY-MM-DD"}) from None


class DriftAlertListView(APIView):
    """Drift alerts this user may see, newest first (a partner: its own provider's)."""

    permission_classes = [capability(Cap.VIEW_PERFORMANCE)]

    @extend_schema(
        operation_id="drift_alerts_list",
        parameters=[
            OpenApiParameter("provider", str, description="Provider code; a partner's user may name only their own."),
            OpenApiParameter("start", str, description="Raised on or after this day (YYYY-MM-DD)."),
            OpenApiParameter("end", str, description="Raised before this day (YYYY-MM-DD)."),
        ],
        responses=DriftAlertSerializer(many=True),
    )
    def get(self, request):
        params = request.query_params
        code = params.get("provider") or None
        provider = selectors.provider_by_code(request.user, code) if code else None
        alerts = drift_selectors.alerts(
            user=request.user, provider=provider, start=_day(params, "start"), end=_day(params, "end")
        )
        return Response(DriftAlertSerializer(alerts[:1000], many=True).data)


class DriftAlertDetailView(APIView):
    """One drift alert with its evidence."""

    permission_classes = [capability(Cap.VIEW_PERFORMANCE)]

    @extend_schema(operation_id="drift_alerts_retrieve", responses=DriftAlertDetailSerializer)
    def get(self, request, pk: int):
        return Response(DriftAlertDetailSerializer(drift_selectors.alert(request.user, pk)).data)


urlpatterns = [
    path("", DriftAlertListView.as_view(), name="drift-alert-list"),
    path("<int:pk>/", DriftAlertDetailView.as_view(), name="drift-alert-detail"),
]
