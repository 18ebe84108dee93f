"""REST endpoints for planning: the same selectors as the pages and the CLI."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.roles import Cap
from concord.providers.models import CHANNELS
from concord.web import api as api_base
from concord.web.api import capability

from . import assignment_selectors, assignment_services, selectors, services
from .engine import staffing
from .models import Forecast, Grain
from .selectors import StaffingInput


class ErlangCInputSerializer(api_base.Serializer):
    """The options of ``concord staffing erlang-c``."""

    volume = api_base.count(help_text="Calls offered in the interval (calls).")
    interval_minutes = serializers.FloatField(
        min_value=1, max_value=api_base.MAX_MINUTES, help_text="Interval length in minutes."
    )
    aht_seconds = api_base.seconds(minimum=1, help_text="Average handle time in seconds.")
    # The percentages' ranges are the engine's own (staffing._RANGES, check_person_ranges).
    target_sl = api_base.percent(
        default=staffing.DEFAULT_TARGET_SL,
        help_text="Service-level target in percent (80 means 80%).",
    )
    target_seconds = api_base.seconds(
        default=staffing.DEFAULT_TARGET_SECONDS, help_text="Answered within this many seconds."
    )
    max_occupancy = api_base.percent(
        required=False, allow_null=True, default=staffing.DEFAULT_MAX_OCCUPANCY,
        help_text="Occupancy cap in percent (85 means 85%); null: no cap.",
    )  # fmt: skip
    target_asa = api_base.PositiveSecondsField(
        required=False, allow_null=True, default=None, help_text="Seconds, more than 0."
    )
    shrinkage = api_base.percent(
        zero_ok=True,
        below_hundred=True,
        default=staffing.DEFAULT_SHRINKAGE,
        help_text="Paid time not on the phones, in percent (30 means 30%).",
    )
    agents = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=api_base.MAX_AGENTS,
        help_text="Evaluate this agent count instead of solving.",
    )


class ErlangAInputSerializer(ErlangCInputSerializer):
    patience_seconds = api_base.seconds(minimum=1, help_text="Mean caller patience in seconds.")
    short_abandon_seconds = api_base.seconds(
        required=False,
        allow_null=True,
        default=None,
        help_text="Calls abandoned within this many seconds leave the service level's denominator.",
    )


class ErlangCResultSerializer(api_base.Serializer):
    traffic_erlangs = serializers.FloatField(help_text="Erlangs")
    agents = serializers.IntegerField()
    scheduled_agents = serializers.IntegerField()
    probability_wait = serializers.FloatField(help_text="Percent")
    service_level = serializers.FloatField(help_text="Percent")
    asa_seconds = serializers.FloatField(allow_null=True, help_text="Seconds; null when unbounded")
    occupancy = serializers.FloatField(help_text="Percent")


class ErlangAResultSerializer(ErlangCResultSerializer):
    probability_abandon = serializers.FloatField(help_text="Percent")
    probability_short_abandon = serializers.FloatField(required=False, help_text="Percent; with short_abandon_seconds")


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


# --- forecasts: client planning roles; the same selectors and services as the pages and the CLI ----


class ForecastSerializer(api_base.ModelSerializer):
    program = serializers.CharField(source="program.code")
    contact_type = serializers.CharField(source="contact_type.code", allow_null=True, default=None)
    created_by = serializers.CharField(source="created_by.username")
    status = serializers.CharField(help_text="queued, running, succeeded or failed")

    class Meta:
        model = Forecast
        fields = (
            "id", "program", "contact_type", "channel", "grain", "horizon_days", "version", "status",
            "error_message", "model", "explanation", "backtest", "events_applied", "lake_version",
            "history_start", "history_end", "created_by", "created_at", "started_at", "finished_at",
        )  # fmt: skip


class ForecastPointSerializer(api_base.Serializer):
    period_start = serializers.DateTimeField()
    base = serializers.FloatField(help_text="The model's forecast")
    after_events = serializers.FloatField(help_text="After planner events")
    value = serializers.FloatField(help_text="In force: the latest override, else after events")
    overridden = serializers.BooleanField()


class ForecastDetailSerializer(ForecastSerializer):
    points = serializers.SerializerMethodField()

    class Meta(ForecastSerializer.Meta):
        fields = (*ForecastSerializer.Meta.fields, "points")

    @extend_schema_field(ForecastPointSerializer(many=True))
    def get_points(self, forecast) -> list[dict]:
        rows = selectors.forecast_points(forecast)
        return [
            {"period_start": r["period_start"], "base": r["base"], "after_events": r["after_events"],
             "value": r["value"], "overridden": r["override"] is not None}
            for r in rows
        ]  # fmt: skip


class ForecastRequestSerializer(api_base.Serializer):
    """What ``concord forecast --program`` takes; the horizon is in calendar days."""

    program = serializers.CharField(help_text="Program code")
    grain = serializers.ChoiceField(choices=Grain.choices, default=Grain.MIN30)
    horizon_days = serializers.IntegerField(min_value=1, max_value=366, default=14, help_text="Calendar days")
    contact_type = serializers.CharField(required=False, allow_blank=True, default="", help_text="Contact type code")
    channel = serializers.ChoiceField(choices=[("", "All"), *CHANNELS], required=False, default="")
    include_arima = serializers.BooleanField(default=False)


class ForecastListView(APIView):
    """Forecast versions (newest first); POST requests a new one, computed in the background (202)."""

    def get_permissions(self):
        cap = Cap.EDIT_PLANNING if self.request.method == "POST" else Cap.VIEW_PLANNING
        return [capability(Cap.VIEW_PLANNING)(), capability(cap)()]

    @extend_schema(responses=ForecastSerializer(many=True))
    def get(self, request):
        forecasts = selectors.forecasts(request.user).order_by("-created_at", "-pk")
        program = request.query_params.get("program")
        if program:
            forecasts = forecasts.filter(program__code=program)
        return Response(ForecastSerializer(forecasts[:200], many=True).data)

    @extend_schema(request=ForecastRequestSerializer, responses={202: ForecastSerializer})
    def post(self, request):
        from concord.providers import selectors as provider_selectors

        serializer = ForecastRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        program = provider_selectors.programs(request.user).filter(code=d["program"]).first()
        if program is None:
            raise api_base.UnknownReference({"program": [f"No program {d['program']!r}."]})
        contact_type = None
        if d["contact_type"]:
            contact_type = program.contact_types.filter(code=d["contact_type"]).first()
            if contact_type is None:
                raise api_base.UnknownReference({"contact_type": [f"{program.code} has no {d['contact_type']!r}."]})
        try:
            forecast = services.request_forecast(
                actor=request.user, program=program, grain=d["grain"], horizon_days=d["horizon_days"],
                contact_type=contact_type, channel=d["channel"], include_arima=d["include_arima"],
            )  # fmt: skip
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return Response(ForecastSerializer(forecast).data, status=202)


class ForecastDetailView(APIView):
    """One forecast version with its points (empty until it has succeeded)."""

    permission_classes = [capability(Cap.VIEW_PLANNING)]

    @extend_schema(responses=ForecastDetailSerializer)
    def get(self, request, pk: int):
        return Response(ForecastDetailSerializer(selectors.forecast(request.user, pk)).data)


# --- allocation: the allocation page's inputs as JSON ---------------------------------------------


_DEMAND_TEXT = r"^ *[a-zA-Z]{2} *= *[0-9]+(\.[0-9]+)? *([,;] *[a-zA-Z]{2} *= *[0-9]+(\.[0-9]+)? *)*$"
_NUMBER = {"type": "number", "minimum": 0, "maximum": api_base.MAX_AGENTS}


@extend_schema_field(
    {
        "oneOf": [
            {"type": "object", "minProperties": 1, "additionalProperties": _NUMBER,
             "description": "FTE per two-letter language code"},
            {"type": "string", "pattern": _DEMAND_TEXT},
        ]
    }
)  # fmt: skip
class _DemandField(serializers.JSONField):
    pass


@extend_schema_field(
    {
        "oneOf": [
            {"type": "array", "items": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 1}},
            {"type": "string", "pattern": r"^ *([0-9.]+[ ,]*)*$"},
        ]
    }
)
class _RampField(serializers.JSONField):
    pass


@extend_schema_field({"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]})
class _LanguagesField(serializers.JSONField):
    pass


#: The shape ``selectors.parse_hours`` reads: blank or 24/7, else whole hours start 0-23 and end 1-24
#: (that the two differ is said in words: a pattern cannot compare them).
#: Blank is the schema's other branch (allow_blank): the pattern needs text, so exactly one branch matches.
_HOURS_TEXT = r"^ *((24/7|24x7|0?0-24)|(([01]?[0-9]|2[0-3])(:00)? *- *(0?[1-9]|1[0-9]|2[0-4])(:00)?)) *$"


_HOURS_WORDS = "24/7, or HH-HH in whole hours, a start (0-23) other than the end (1-24); 20-08 runs past midnight"


@extend_schema_field({"type": "string", "pattern": _HOURS_TEXT, "description": _HOURS_WORDS})
class _HoursField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(allow_blank=True, **kwargs)


class AllocationProviderSerializer(api_base.Serializer):
    """One provider's terms; omitted fields take the page's defaults."""

    provider = serializers.CharField(help_text="Provider code")
    rate = serializers.FloatField(required=False, min_value=0, help_text="Cost per FTE-week")
    capacity = serializers.FloatField(required=False, min_value=0, help_text="FTE")
    min_share = serializers.FloatField(required=False, min_value=0, max_value=100, help_text="%")
    max_share = serializers.FloatField(required=False, min_value=0, max_value=100, help_text="%")
    quality = serializers.FloatField(required=False, min_value=0, help_text="Quality index")
    languages = _LanguagesField(required=False, help_text='Two-letter codes: ["en", "es"] or "en,es"')
    headcount = serializers.IntegerField(required=False, min_value=0)
    attrition = serializers.FloatField(required=False, min_value=0, max_value=1000, help_text="Annual, %")
    hours = _HoursField(required=False, help_text="24/7 or HH-HH on the site's clock")


class AllocationRequestSerializer(api_base.Serializer):
    """Documented shape; validation is the allocation page's own form (``AllocationForm.from_json``)."""

    demand = _DemandField(help_text='FTE per language: {"en": 120, "es": 40} or "en=120, es=40"')
    quality_floor = serializers.FloatField(required=False, allow_null=True)
    # The bounds are the allocation page's own (AllocationForm), so the schema says what the form refuses.
    volume_up = serializers.FloatField(
        required=False, min_value=-90, max_value=500, help_text="Volume what-if, % more (default 30)"
    )
    lost_provider = serializers.CharField(required=False, allow_blank=True, help_text="Provider losing capacity")
    lost_share = serializers.FloatField(
        required=False, min_value=0, max_value=100, help_text="% of capacity it loses (default 50)"
    )
    weeks = serializers.IntegerField(required=False, min_value=1, max_value=104, help_text="Hiring plan weeks")
    training_weeks = serializers.IntegerField(required=False, min_value=0, max_value=26)
    ramp = _RampField(required=False, help_text="[0.5, 0.75, 0.9]")
    ramp_source = serializers.ChoiceField(
        choices=["measured", "typed"], required=False,
        help_text="measured (default): each provider's measured ramp where there is enough data; typed: the ramp given",
    )  # fmt: skip
    training_cost = serializers.FloatField(required=False, min_value=0)
    demand_hours = _HoursField(required=False, help_text="24/7 or HH-HH on the reporting zone's clock")
    providers = AllocationProviderSerializer(
        many=True,
        required=False,
        help_text="Percentages as percentages (80 means 80%); only those listed are included.",
    )

    def validate_demand(self, value):
        """The page's own rule (two-letter codes, FTE of 0 or more), for either form of the field."""
        from django import forms

        from .allocation_forms import parse_demand

        text = ", ".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else value
        if not isinstance(text, str):
            raise serializers.ValidationError('Give the FTE per language: {"en": 120} or "en=120".')
        try:
            parse_demand(text)
        except forms.ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return value


class AllocationView(APIView):
    """Least-cost split across providers for each scenario, the binding constraints, and the hiring plans."""

    permission_classes = [capability(Cap.VIEW_PLANNING)]

    @extend_schema(request=AllocationRequestSerializer, responses=dict)
    def post(self, request):
        from .allocation_forms import AllocationForm

        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Send a JSON object."]})
        AllocationRequestSerializer(data=request.data).is_valid(raise_exception=True)  # no body: 400, not defaults
        form = AllocationForm.from_json(request.data, defaults=selectors.provider_defaults(request.user))
        if not form.is_valid() or form.unknown_providers:
            errors = form.api_errors()
            if set(errors) == {"providers"} and form.unknown_providers:  # only unknown codes: like an unknown id
                raise api_base.UnknownReference(errors)
            raise serializers.ValidationError(errors)
        return Response(allocation_payload(form.outcome(request.user)))


def allocation_payload(outcome: dict) -> dict:
    comparison, plans = outcome["comparison"], outcome["plans"]
    scenarios = []
    for spec, result in zip(comparison["scenarios"], comparison["results"], strict=True):
        per_provider: dict[str, dict] = {}
        for (name, period, language), fte in result.allocation.items():
            entry = per_provider.setdefault(name, {"provider": name, "fte": 0.0, "share": result.shares.get(name)})
            entry["fte"] += fte
            entry.setdefault("segments", []).append({"period": period, "language": language, "fte": fte})
        scenarios.append(
            {
                "name": spec.name,
                "feasible": result.feasible,
                "message": result.message,
                "cost": result.cost if result.feasible else None,
                "binding_constraints": list(result.binding),
                "excluded": list(result.excluded),
                "allocation": list(per_provider.values()),
            }
        )
    hiring = [
        {"provider": p["terms"].name, "required_fte": p["required_fte"], "total_hires": p["total_hires"],
         "agents_on_work": p["agents_on_work"], "note": p["note"],
         "hires_per_week": [int(h) for h in p["plan"].hires], "expected_leavers": p["leavers"],
         "weeks_short": p["weeks_short"], "hiring_cost": p["plan"].hiring_cost,
         "ramp": [round(r, 4) for r in p["ramp"]], "ramp_measured": p["ramp_measured"], "ramp_source": p["ramp_source"],
         "attrition_cost": p["plan"].attrition_cost}
        for p in plans or []
    ]  # fmt: skip
    return {"scenarios": scenarios, "hiring": hiring}


# --- assigned volume and capacity commitments: a partner sees its own, the client every provider's ---


class CommitmentSerializer(api_base.Serializer):
    fte = serializers.FloatField(min_value=0, help_text="FTE committed to staff the assigned volume")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    created_at = serializers.DateTimeField(read_only=True)


class AssignmentSerializer(api_base.Serializer):
    id = serializers.IntegerField()
    program = serializers.CharField(source="forecast.program.code")
    forecast_version = serializers.IntegerField(source="forecast.version")
    provider = serializers.CharField(source="provider.code", help_text="Your own provider, for a partner")
    share = serializers.FloatField(help_text="Percent of the forecast's volume (40 means 40%)")
    days = serializers.SerializerMethodField()
    commitment = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_days(self, assignment) -> list[dict]:
        return [
            {
                "day": d["day"].isoformat(),
                "contacts": round(d["contacts"], 1),
                "peak_interval_contacts": round(d["peak"], 1),
            }
            for d in assignment_selectors.assigned_days(assignment)
        ]

    @extend_schema_field(CommitmentSerializer(allow_null=True))
    def get_commitment(self, assignment) -> dict | None:
        latest = assignment.commitments.first()
        return CommitmentSerializer(latest).data if latest else None


class AssignmentListView(APIView):
    """The volume assigned to providers: a partner's own, or every provider's for the client."""

    permission_classes = [capability(Cap.VIEW_ASSIGNED_VOLUME)]

    @extend_schema(responses=AssignmentSerializer(many=True))
    def get(self, request):
        rows = assignment_selectors.assignments(request.user).filter(forecast__status=Forecast.Status.SUCCEEDED)
        return Response(AssignmentSerializer(rows[:200], many=True).data)


class CommitmentCreateView(APIView):
    """A partner's lead commits capacity (FTE) against its assigned volume; the same twice records nothing new."""

    permission_classes = [capability(Cap.VIEW_ASSIGNED_VOLUME), capability(Cap.COMMIT_CAPACITY)]

    @extend_schema(request=CommitmentSerializer, responses={201: CommitmentSerializer})
    def post(self, request, pk: int):
        assignment = assignment_selectors.assignment(request.user, pk)
        serializer = CommitmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            commitment = assignment_services.commit_capacity(
                actor=request.user, assignment=assignment, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return Response(CommitmentSerializer(commitment).data, status=201)
