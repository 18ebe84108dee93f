"""REST endpoints for planning: the same selectors as the pages and the CLI."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.roles import Cap
from concord.web.api import capability

from . import selectors
from .selectors import StaffingInput


class ErlangCInputSerializer(serializers.Serializer):
    """The options of ``concord staffing erlang-c``."""

    volume = serializers.FloatField(help_text="Calls offered in the interval.")
    interval_minutes = serializers.FloatField(help_text="Interval length in minutes.")
    aht_seconds = serializers.FloatField(help_text="Average handle time in seconds.")
    target_sl = serializers.FloatField(default=0.8, help_text="Service-level target, a share in (0, 1].")
    target_seconds = serializers.FloatField(default=20.0, help_text="Answer-within threshold T in seconds.")
    max_occupancy = serializers.FloatField(required=False, allow_null=True, default=None)
    target_asa = serializers.FloatField(required=False, allow_null=True, default=None)
    shrinkage = serializers.FloatField(default=0.0, help_text="Share of paid time not on the phones, [0, 1).")
    agents = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Evaluate this agent count instead of solving."
    )


class ErlangAInputSerializer(ErlangCInputSerializer):
    patience_seconds = serializers.FloatField(help_text="Mean caller patience in seconds.")


class ErlangCResultSerializer(serializers.Serializer):
    traffic_erlangs = serializers.FloatField()
    agents = serializers.IntegerField()
    scheduled_agents = serializers.IntegerField()
    probability_wait = serializers.FloatField()
    service_level = serializers.FloatField()
    asa_seconds = serializers.FloatField(allow_null=True, help_text="null when unbounded")
    occupancy = serializers.FloatField()


class ErlangAResultSerializer(ErlangCResultSerializer):
    probability_abandon = serializers.FloatField()


class _StaffingView(APIView):
    permission_classes = [capability(Cap.VIEW_PLANNING)]
    input_serializer: type[serializers.Serializer]

    def post(self, request):
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            figures = selectors.staffing_figures(StaffingInput(**serializer.validated_data))
        except ValueError as exc:
            field, message = selectors.engine_error_field(exc)
            raise serializers.ValidationError({field or "non_field_errors": [message]}) from exc
        return Response(figures)


class ErlangCView(_StaffingView):
    """Smallest agent count meeting the targets (or the figures for ``agents``), Erlang C."""

    input_serializer = ErlangCInputSerializer

    @extend_schema(request=ErlangCInputSerializer, responses=ErlangCResultSerializer)
    def post(self, request):
        return super().post(request)


class ErlangAView(_StaffingView):
    """Like erlang-c, with callers who abandon after an exponential patience."""

    input_serializer = ErlangAInputSerializer

    @extend_schema(request=ErlangAInputSerializer, responses=ErlangAResultSerializer)
    def post(self, request):
        return super().post(request)
