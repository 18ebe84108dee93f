"""Sampling plan endpoints: the same service and reads as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts import access
from concord.accounts.models import User
from concord.accounts.roles import Cap
from concord.providers.models import Provider
from concord.web.api import LIST_OF_OBJECTS, UnknownReference, capability

from . import api_inputs, sampling, sampling_services
from .api import text
from .coaching_api import _date
from .work_models import SamplingPlan


def plan_json(p: SamplingPlan, *, detail: bool = False) -> dict:
    out = {
        "id": p.pk, "name": p.name, "provider": p.provider.code, "week_start": p.week_start.isoformat(),
        "per_agent": p.per_agent, "stratify": p.stratify,
        "risk": {"low_csat": p.risk_low_csat, "long_handle": p.risk_long_handle, "repeat": p.risk_repeat},
        "seed": p.seed, "lake_version": p.lake_version, "due_on": p.due_on.isoformat(),
        "evaluators": sorted(u.username for u in p.evaluators.all()),
    }  # fmt: skip
    if detail:
        workload, coverage, done = sampling_services.progress(p)
        out["workload"] = [w.__dict__ for w in workload]
        out["coverage"] = [
            {"agent": c.agent.employee_id, "target": c.target, "sampled": c.sampled, "evaluated": c.evaluated}
            for c in coverage
        ]
        out["assignments"] = [
            {
                "agent": a.agent.employee_id,
                "evaluator": a.evaluator.username,
                "source": a.interaction_source,
                "external_id": a.interaction_id,
                "created_at": a.interaction_at.isoformat(),
                "contact_type": a.contact_type,
                "channel": a.channel,
                "weight": a.weight,
                "done": (a.interaction_source, a.interaction_id) in done,
            }
            for a in p.assignments.select_related("agent", "evaluator").order_by("agent__employee_id", "interaction_at")
        ]
    return out


def _int(body, key, default=None):
    value = body.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError({key: "a whole number"})
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({key: "a whole number"}) from None


class PlanListView(APIView):
    """Sampling plans in the user's scope; POST draws one."""

    permission_classes = [capability(Cap.VIEW_QUALITY)]

    @extend_schema(operation_id="quality_sampling_list", responses={200: LIST_OF_OBJECTS})
    def get(self, request):
        return Response([plan_json(p) for p in sampling_services.plans(request.user)[:200]])

    @extend_schema(operation_id="quality_sampling_draw", request=api_inputs.SamplingPlanInput, responses={201: dict})
    def post(self, request):
        body = api_inputs.validated(api_inputs.SamplingPlanInput, request)
        provider = access.get_visible_or_404(request.user, Provider.objects.all(), "pk", pk=_int(body, "provider"))
        names = body.get("evaluators")
        if not isinstance(names, list) or not names:
            raise ValidationError({"evaluators": "a list of usernames"})
        people = list(User.objects.filter(username__in=[str(n) for n in names]))
        if len(people) != len(set(names)):  # names that match nobody: a 404, like any unknown reference
            raise UnknownReference({"evaluators": ["Unknown username(s)."]})
        risk = body.get("risk") or {}
        if not isinstance(risk, dict):
            raise ValidationError({"risk": "an object with low_csat, long_handle, repeat"})
        p = sampling_services.plan_create(
            actor=request.user, name=text(body, "name"), provider=provider,
            week_start=_date(body.get("week_start"), "week_start"), per_agent=_int(body, "per_agent", 0),
            evaluators=people, due_on=_date(body.get("due_on"), "due_on", required=False),
            stratify=bool(body.get("stratify", True)), seed=_int(body, "seed"),
            risk=sampling.Risk(_int(risk, "low_csat", 0), _int(risk, "long_handle", 0), _int(risk, "repeat", 0)),
        )  # fmt: skip
        return Response(plan_json(p), status=201)


class PlanDetailView(APIView):
    """One plan with its assignments, evaluator workload and per-agent coverage."""

    permission_classes = [capability(Cap.VIEW_QUALITY)]

    @extend_schema(operation_id="quality_sampling_detail", responses={200: dict})
    def get(self, request, pk: int):
        return Response(plan_json(sampling_services.plan(request.user, pk), detail=True))
