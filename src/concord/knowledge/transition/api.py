"""Transition plan endpoints: the same selectors and services as the pages and ``concord transition status``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.roles import Cap
from concord.providers.models import Program, Provider
from concord.web.api import Serializer, capability

from ..models_transition import Milestone
from . import selectors, services

PROBLEM = {"description": "RFC 9457 problem details naming what is wrong."}


class MilestoneOut(Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    label = serializers.CharField()
    phase = serializers.CharField()
    due = serializers.DateField()
    met_on = serializers.DateField(allow_null=True)
    state = serializers.CharField(help_text="met, met late, late, open, unknown (source missing) or not shown")
    slip_days = serializers.IntegerField(help_text="Days late against the plan (0: on time or not due yet).")
    value = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    detail = serializers.CharField()
    source_available = serializers.BooleanField()


class PhaseOut(Serializer):
    name = serializers.CharField()
    start = serializers.DateField()
    last_day = serializers.DateField()
    days = serializers.IntegerField()


class PlanOut(Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    program = serializers.CharField()
    status = serializers.CharField()
    provider = serializers.CharField(allow_null=True, help_text="Null for the partner the work leaves.")
    from_provider = serializers.CharField(allow_null=True)
    start = serializers.DateField()
    months = serializers.IntegerField()
    end = serializers.DateField(help_text="The day after the plan's last day.")
    today = serializers.DateField()
    current_phase = serializers.CharField()
    phases = PhaseOut(many=True)
    split_percent = serializers.ListField(child=serializers.FloatField())
    milestones = MilestoneOut(many=True)
    late = serializers.IntegerField()
    max_slip_days = serializers.IntegerField()


class PercentTargetIn(Serializer):
    target_percent = serializers.FloatField(min_value=1, max_value=100, help_text="Share acknowledged (%).")


class CountTargetIn(Serializer):
    count = serializers.IntegerField(min_value=1, max_value=100_000, help_text="Agents certified (count).")


class ContactsTargetIn(Serializer):
    contacts = serializers.IntegerField(min_value=1, max_value=10_000_000, help_text="Contacts handled in a week.")


class StabilisationTargetIn(Serializer):
    line = serializers.IntegerField(min_value=1, required=False, help_text="Id of the scorecard line to meet.")
    weeks = serializers.IntegerField(min_value=1, max_value=52, required=False, help_text="Weeks on target in a row.")


class TargetsIn(Serializer):
    """What "met" means for each milestone read from the data (defaults: 90%, 1, 10, 50 contacts, 4 weeks)."""

    articles_acknowledged = PercentTargetIn(required=False)
    curriculum_delivered = CountTargetIn(required=False)
    cohort_certified = CountTargetIn(required=False)
    parallel_run = ContactsTargetIn(required=False)
    stabilisation_exit = StabilisationTargetIn(required=False)


class PlanIn(Serializer):
    title = serializers.CharField(max_length=200)
    program = serializers.CharField(max_length=32)
    provider = serializers.CharField(max_length=32, help_text="The partner the work moves to (its code).")
    from_provider = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    contact_types = serializers.ListField(child=serializers.CharField(max_length=32), required=False, default=list)
    start = serializers.DateField()
    months = serializers.IntegerField(min_value=1, max_value=36)
    split_percent = serializers.ListField(
        child=serializers.FloatField(min_value=0, max_value=100),
        min_length=3,
        max_length=3,
        required=False,
        default=[30, 20, 50],
        help_text="Preparation, transition, stabilisation in percent; add to 100.",
    )
    scorecard = serializers.IntegerField(required=False, allow_null=True, default=None)
    partner_owner = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    targets = TargetsIn(required=False, default=dict)


class CommentIn(Serializer):
    text = serializers.CharField(max_length=2000)


class DecisionIn(Serializer):
    decided_on = serializers.DateField()
    note = serializers.CharField(max_length=500)


class PlanListView(APIView):
    permission_classes = [capability(Cap.VIEW_ADOPTION)]

    @extend_schema(operation_id="knowledge_transitions_list", responses={200: PlanOut(many=True)})
    def get(self, request):
        return Response([selectors.status(request.user, p).as_json() for p in selectors.plans(request.user)])

    @extend_schema(
        operation_id="knowledge_transitions_create",
        request=PlanIn,
        responses={201: PlanOut, 400: PROBLEM, 403: PROBLEM},
    )
    def post(self, request):
        if not selectors.can_edit(request.user):  # refused before the payload is read: 403, not 400
            raise PermissionDenied("Only the client's knowledge editors create transition plans.")
        raw = request.data if isinstance(request.data, dict) else {}
        # the program and partner the plan names are looked up first: an unknown one is a 404 (as the article API
        # answers an unknown program), whatever else the body says
        if not Program.objects.filter(code=str(raw.get("program", ""))).exists():
            raise Http404("No such program.")
        if not Provider.objects.filter(code=str(raw.get("provider", ""))).exists():
            raise Http404("No such partner.")
        data = PlanIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["contact_types"] = tuple(fields["contact_types"])
        fields["split_percent"] = tuple(fields["split_percent"])
        plan = services.create_plan(user=request.user, data=services.PlanInput(**fields))
        return Response(selectors.status(request.user, plan).as_json(), status=201)


class PlanDetailView(APIView):
    permission_classes = [capability(Cap.VIEW_ADOPTION)]

    @extend_schema(operation_id="knowledge_transitions_retrieve", responses={200: PlanOut, 404: PROBLEM})
    def get(self, request, pk: int):
        return Response(selectors.status(request.user, selectors.plan(request.user, pk)).as_json())


class PlanCommentView(APIView):
    permission_classes = [capability(Cap.VIEW_ADOPTION)]

    @extend_schema(
        operation_id="knowledge_transitions_comment",
        request=CommentIn,
        responses={201: CommentIn, 400: PROBLEM, 404: PROBLEM},
    )
    def post(self, request, pk: int):
        plan = selectors.plan(request.user, pk)  # someone else's (or no) plan: 404 before the body is read
        data = CommentIn(data=request.data)
        data.is_valid(raise_exception=True)
        made = services.comment(user=request.user, plan=plan, **data.validated_data)
        return Response({"text": made.text}, status=201)


class MilestoneDecisionView(APIView):
    permission_classes = [capability(Cap.VIEW_ADOPTION)]

    @extend_schema(
        operation_id="knowledge_transitions_decision",
        request=DecisionIn,
        responses={200: MilestoneOut, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    def post(self, request, pk: int):
        milestone = get_object_or_404(Milestone.objects.select_related("plan"), pk=pk)
        plan = selectors.plan(request.user, milestone.plan_id)  # someone else's: 404
        data = DecisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_decision(user=request.user, milestone=milestone, **data.validated_data)
        report = selectors.status(request.user, plan)
        return Response(next(m.as_json() for m in report.milestones if m.milestone.pk == milestone.pk))
