"""REST endpoints for training: the same selectors and services as the pages and the CLI.

A partner's LMS posts its own agents' assessment results and shadowing hours here (by the provider's
own employee id); the client saves a program's training plan as JSON.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from concord import reporting
from concord.accounts import access
from concord.accounts.roles import Cap
from concord.web.api import Serializer, capability

from . import selectors, services

PROBLEM = {"description": "RFC 9457 problem details naming what is wrong."}
_PROGRAM = OpenApiParameter("program", str, description="The program's code (default: the first you see, by code).")
_AS_OF = OpenApiParameter("as_of", dt.date, description="The day (reporting zone); default today.")
#: a program code, as ``providers.models.code_validator`` allows it (documented, so clients and fuzzers see it)
PROGRAM_CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"
_PROVIDER = OpenApiParameter("provider", str, description="Only this provider's agents (its code).")


def _as_of(request) -> dt.date:
    raw = request.query_params.get("as_of")
    if raw is None:
        return reporting.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError({"as_of": "A day as YYYY-MM-DD."}) from None


def _decimal(value: float) -> Decimal:
    """A JSON number as the two-decimal amount stored (0.1 + 0.2 stays 0.30, not 0.30000000000000004)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _program(request, code: str | None):
    """The program named by its code; none named: the first the user sees, by code (as the pages do)."""
    if not code:
        first = selectors.programs(request.user).order_by("code").first()
        if first is None:
            raise serializers.ValidationError({"program": "Name the program by its code."})
        return first
    return selectors.program(request.user, code)


class TrainingPlanIn(Serializer):
    program = serializers.RegexField(PROGRAM_CODE, max_length=32, help_text="The program's code.")
    spec = serializers.DictField(help_text="assessments, certifications, curricula, gates (see the plan page).")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TrainingPlanOut(Serializer):
    program = serializers.CharField()
    version = serializers.IntegerField()
    spec = serializers.DictField()
    created = serializers.BooleanField(required=False, help_text="False: this plan was already in force.")


class PlanListView(APIView):
    permission_classes = [capability(Cap.VIEW_KNOWLEDGE)]

    @extend_schema(operation_id="training_plans_list", responses={200: TrainingPlanOut(many=True)})
    def get(self, request):
        out = []
        for program in selectors.programs(request.user).order_by("code"):
            plan = services.plan_of(program)
            if plan is not None:
                out.append({"program": program.code, "version": plan.number, "spec": plan.spec})
        return Response(out)

    @extend_schema(
        operation_id="training_plans_save",
        request=TrainingPlanIn,
        responses={201: TrainingPlanOut, 200: TrainingPlanOut, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    def post(self, request):
        access.require(request.user, Cap.EDIT_KNOWLEDGE)
        data = TrainingPlanIn(data=request.data)
        data.is_valid(raise_exception=True)
        program = _program(request, data.validated_data["program"])
        plan, created = services.save_plan(
            user=request.user, program=program, document=data.validated_data["spec"], note=data.validated_data["note"]
        )
        body = {"program": program.code, "version": plan.number, "spec": plan.spec, "created": created}
        return Response(body, status=201 if created else 200)


class TrainingResultIn(Serializer):
    program = serializers.RegexField(PROGRAM_CODE, max_length=32, help_text="The program's code.")
    assessment = serializers.SlugField(max_length=80, help_text="The assessment's key in the program's plan.")
    employee_id = serializers.CharField(max_length=64, help_text="Your provider's id for the agent.")
    score_percent = serializers.FloatField(min_value=0, max_value=100, help_text="Percent, 0-100.")
    taken_at = serializers.DateTimeField(help_text="When the agent finished the assessment (with its offset).")


class TrainingResultOut(Serializer):
    employee_id = serializers.CharField()
    assessment = serializers.CharField()
    score_percent = serializers.FloatField(help_text="Percent, rounded to 2 decimals.")
    pass_percent = serializers.FloatField(help_text="Percent: the plan's pass mark.")
    passed = serializers.BooleanField()
    created = serializers.BooleanField()


class ResultView(APIView):
    permission_classes = [capability(Cap.RECORD_TRAINING)]

    @extend_schema(
        operation_id="training_results_record",
        request=TrainingResultIn,
        responses={201: TrainingResultOut, 200: TrainingResultOut, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    def post(self, request):
        data = TrainingResultIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        program = _program(request, fields["program"])
        agent = selectors.agent(request.user, fields["employee_id"])
        attempt, created = services.record_result(
            user=request.user, agent=agent, program=program, assessment=fields["assessment"],
            score_percent=_decimal(fields["score_percent"]), taken_at=fields["taken_at"],
        )  # fmt: skip
        body = {"employee_id": agent.employee_id, "assessment": attempt.assessment,
                "score_percent": float(attempt.score_percent), "pass_percent": float(attempt.pass_percent),
                "passed": attempt.passed, "created": created}  # fmt: skip
        return Response(TrainingResultOut(body).data, status=201 if created else 200)


class TrainingShadowingIn(Serializer):
    program = serializers.RegexField(PROGRAM_CODE, max_length=32, help_text="The program's code.")
    module = serializers.SlugField(max_length=80, help_text="The shadowing module's key in the program's plan.")
    employee_id = serializers.CharField(max_length=64)
    on = serializers.DateField(help_text="The day the hours were done.")
    hours = serializers.FloatField(min_value=0, max_value=24, help_text="Hours (up to 2 decimals).")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ShadowingView(APIView):
    permission_classes = [capability(Cap.RECORD_TRAINING)]

    @extend_schema(
        operation_id="training_shadowing_record",
        request=TrainingShadowingIn,
        responses={201: TrainingShadowingIn, 200: TrainingShadowingIn, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    def post(self, request):
        data = TrainingShadowingIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        program = _program(request, fields["program"])
        agent = selectors.agent(request.user, fields["employee_id"])
        _, created = services.record_shadowing(
            user=request.user, agent=agent, program=program, module=fields["module"], on=fields["on"],
            hours=_decimal(fields["hours"]), note=fields["note"],
        )  # fmt: skip
        return Response(TrainingShadowingIn(fields).data, status=201 if created else 200)


class TrainingCertificationOut(Serializer):
    provider = serializers.CharField()
    employee_id = serializers.CharField()
    agent = serializers.CharField()
    certification = serializers.CharField()
    state = serializers.ChoiceField(choices=["certified", "expiring_soon", "expired", "not_certified"])
    certified_on = serializers.DateField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)


def cert_json(row) -> dict:
    return {"provider": row.agent.provider.code, "employee_id": row.agent.employee_id, "agent": row.agent.display_name,
            "certification": row.certification["key"], "state": row.state, "certified_on": row.certified_on,
            "expires_on": row.expires_on}  # fmt: skip


class CertificationView(APIView):
    permission_classes = [capability(Cap.VIEW_ADOPTION)]

    @extend_schema(operation_id="training_certifications", parameters=[_PROGRAM, _PROVIDER, _AS_OF],
                   responses={200: TrainingCertificationOut(many=True), 400: PROBLEM, 404: PROBLEM})  # fmt: skip
    def get(self, request):
        program = _program(request, request.query_params.get("program"))
        rows = selectors.certification_states(request.user, program=program, as_of=_as_of(request),
                                              provider=request.query_params.get("provider") or None)  # fmt: skip
        return Response([cert_json(r) for r in rows])


class TrainingReadinessOut(Serializer):
    provider = serializers.CharField()
    employee_id = serializers.CharField()
    agent = serializers.CharField()
    ready = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())


class ReadinessView(APIView):
    permission_classes = [capability(Cap.VIEW_ADOPTION)]

    @extend_schema(
        operation_id="training_readiness",
        parameters=[
            _PROGRAM,
            OpenApiParameter("contact_type", str, description="Its code (default: the first)."),
            _PROVIDER,
            _AS_OF,
        ],
        responses={200: TrainingReadinessOut(many=True), 400: PROBLEM, 404: PROBLEM},
    )
    def get(self, request):
        program = _program(request, request.query_params.get("program"))
        first = program.contact_types.order_by("code").first()
        contact_type = request.query_params.get("contact_type") or (first.code if first else "")
        if not program.contact_types.filter(code=contact_type).exists():
            raise Http404("No such contact type.")  # like an unknown program: nothing by that code to read
        rows = selectors.readiness(request.user, program=program, contact_type=contact_type, as_of=_as_of(request),
                                   provider=request.query_params.get("provider") or None)  # fmt: skip
        return Response([
            {"provider": r.agent.provider.code, "employee_id": r.agent.employee_id, "agent": r.agent.display_name,
             "ready": r.ready, "missing": r.missing} for r in rows
        ])  # fmt: skip
