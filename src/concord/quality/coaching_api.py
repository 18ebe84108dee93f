"""Coaching endpoints: the same functions as the pages."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.roles import Cap
from concord.web.api import LIST_OF_OBJECTS, capability

from . import api_inputs, coaching, selectors
from .api import text
from .work_models import CoachingSession


def _date(value, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, "") and not required:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: "a date, YYYY-MM-DD"}) from None


def session_json(s: CoachingSession, *, numbers: bool = False) -> dict:
    out = {
        "id": s.pk,
        "provider": s.provider.code,
        "agent": {"id": s.agent_id, "name": s.agent.display_name},
        "coach": s.coach.username,
        "held_on": s.held_on.isoformat(),
        "topic": s.topic,
        "evaluations": sorted(e.pk for e in s.evaluations.all()),
        "metrics": s.metrics,
        "notes": s.notes,
        "commitments": s.commitment_list,
        "follow_up_on": s.follow_up_on.isoformat() if s.follow_up_on else None,
    }
    if numbers:
        found = coaching.before_and_after(s)
        out["before"] = {"start": found["before"].start.isoformat(), "end": found["before"].end.isoformat()}
        out["after"] = {
            "start": found["after"].start.isoformat(), "end": found["after"].end.isoformat(),
            "complete": found["after"].complete,
        }  # fmt: skip
        out["metrics_before_after"] = [
            {
                "metric": m.key,
                "unit": m.unit,
                "before": m.before,
                "before_volume": m.before_volume,
                "after": m.after,
                "after_volume": m.after_volume,
                "change": m.change,
                "too_little_volume": m.too_little,
            }
            for m in found["changes"]
        ]
    return out


class CoachingListView(APIView):
    """Coaching sessions the user may see (an agent: their own); POST records one."""

    permission_classes = [capability(Cap.VIEW_OWN_EVALUATIONS)]

    @extend_schema(operation_id="quality_coaching_list", responses={200: LIST_OF_OBJECTS})
    def get(self, request):
        return Response([session_json(s) for s in coaching.sessions(request.user)[:500]])

    @extend_schema(
        operation_id="quality_coaching_record", request=api_inputs.CoachingRecordInput, responses={201: dict}
    )
    def post(self, request):
        body = api_inputs.validated(api_inputs.CoachingRecordInput, request)
        try:
            agent_id = int(body["agent"])
            evaluation_ids = [int(x) for x in body.get("evaluations") or []]
        except (KeyError, TypeError, ValueError):
            raise ValidationError({"agent": "an agent id; evaluations: a list of evaluation ids"}) from None
        metrics = body.get("metrics") or []
        if not isinstance(metrics, list):
            raise ValidationError({"metrics": "a list of metric keys"})
        agent = selectors.evaluable_agent(request.user, agent_id)
        evaluations = [selectors.evaluation(request.user, pk) for pk in evaluation_ids]
        s = coaching.coaching_record(
            actor=request.user, agent=agent, held_on=_date(body.get("held_on"), "held_on"),
            topic=text(body, "topic"), evaluations=evaluations, metrics=[str(m) for m in metrics],
            notes=text(body, "notes"), commitments=text(body, "commitments"),
            follow_up_on=_date(body.get("follow_up_on"), "follow_up_on", required=False),
        )  # fmt: skip
        return Response(session_json(s), status=201)


class CoachingDetailView(APIView):
    """One session with the agent's metrics for the weeks before and after it."""

    permission_classes = [capability(Cap.VIEW_OWN_EVALUATIONS)]

    @extend_schema(operation_id="quality_coaching_detail", responses={200: dict})
    def get(self, request, pk: int):
        return Response(session_json(coaching.session(request.user, pk), numbers=True))
