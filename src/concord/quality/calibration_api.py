"""Calibration endpoints. Blind here too: another grader's scores and the results stay hidden
until the caller has submitted their own or the session is closed."""

from __future__ import annotations

import math

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts import access
from concord.accounts.models import User
from concord.accounts.roles import Cap
from concord.providers.models import Provider
from concord.web.api import LIST_OF_OBJECTS, Conflict, UnknownReference, capability

from . import api_inputs
from . import calibration_selectors as selectors
from . import calibration_services as services
from .calibration import SessionResult
from .inputs import ratings_from_json
from .lake_reads import interaction as lake_interaction
from .models import CalibrationSession
from .selectors import forms, lake


def _num(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def session_json(user, s: CalibrationSession) -> dict:
    return {
        "id": s.pk,
        "title": s.title,
        "provider": s.provider.code,
        "form": str(s.form_version),
        "status": s.status,
        "key_grader": s.key_grader.username if s.key_grader_id else None,
        "graders": [
            {"username": u.username, "submitted": s.submissions.filter(grader=u).exists()}
            for u in s.participants.order_by("username")
        ],
        "items": [
            {"number": i.position + 1, "id": i.pk, "source": i.interaction_source, "external_id": i.interaction_id}
            for i in s.items.order_by("position")
        ],
        "blind": not selectors.sees_everyone(user, s),
        "scores": [
            {
                "item": score.item.position + 1,
                "grader": score.grader.username,
                "criterion": score.criterion.code,
                "value": None if score.value is None else float(score.value),
                "not_applicable": score.not_applicable,
                "comment": score.comment,
            }
            for score in selectors.visible_scores(user, s).order_by("item__position", "grader__username", "criterion")
        ],
    }


def result_json(result: SessionResult) -> dict:
    return {
        "reference": result.reference,
        "graders": [
            {
                "grader": g.grader,
                "items_scored": g.items_scored,
                "mean_score_percent": _num(g.mean_score),
                "mean_gap_points": _num(g.mean_gap),
                "alignment_percent": _num(g.alignment),
                "flag": g.flag,
                "evidence": g.evidence,
            }
            for g in result.graders
        ],
        "criteria": [
            {
                "code": c.rule.code,
                "level": c.alpha.level,
                "alpha": _num(c.alpha.value),
                "ci95": list(c.alpha.ci95) if c.alpha.ci95 else None,
                "pairable_values": c.alpha.pairable_values,
                "fleiss_kappa": _num(c.fleiss_kappa),
                "cohen_kappa": _num(c.cohen_kappa),
                "mean_deviation": c.mean_deviation,
                "needs_work": c.needs_work,
            }
            for c in result.criteria
        ],
        "icc_items": result.icc_items,
        "icc": None
        if result.icc is None
        else {
            name: {"value": f.value, "ci95": list(f.ci95), "F": f.f, "df1": f.df1, "df2": f.df2, "p": f.p}
            for name, f in result.icc.items()
        },
    }


class CalibrationListView(APIView):
    """Sessions the user may see (GET); POST sets one up on a provider's lake interactions."""

    permission_classes = [capability(Cap.VIEW_QUALITY)]

    @extend_schema(operation_id="quality_calibrations_list", responses={200: LIST_OF_OBJECTS})
    def get(self, request):
        return Response([session_json(request.user, s) for s in selectors.sessions(request.user).order_by("-pk")[:200]])

    @extend_schema(request=api_inputs.CalibrationCreateInput, responses={201: dict})
    def post(self, request):
        access.require(request.user, Cap.EVALUATE)  # before looking anything up
        body = api_inputs.validated(api_inputs.CalibrationCreateInput, request)
        try:
            provider_id = int(body["provider"])
            names = [str(n) for n in body["participants"]]
            wanted = [(str(i["source"]), str(i["external_id"])) for i in body["interactions"]]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                {"detail": "Give provider (an id), participants (usernames) and interactions ({source, external_id})."}
            ) from None
        provider = access.get_visible_or_404(request.user, Provider.objects.all(), "pk", pk=provider_id)
        people = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
        missing = sorted(set(names) - set(people))
        if missing:
            raise UnknownReference({"participants": [f"No such user: {', '.join(missing)}."]})
        found = []
        for source, external_id in wanted:
            row = lake_interaction(lake(), source, external_id)
            if row is None or row.provider != provider.code:
                raise Http404("No such interaction of this provider.")
            found.append(row)
        form = forms(request.user).first()
        if form is None:
            raise Conflict({"detail": ["There is no QA form yet."]})
        key = body.get("key_grader")
        session = services.session_create(
            actor=request.user,
            title=str(body.get("title", "")),
            provider=provider,
            form_version=form.current,
            participants=[people[n] for n in names],
            key_grader=people.get(str(key)) if key else None,
            interactions=found,
        )
        return Response(session_json(request.user, session), status=201)


class CalibrationDetailView(APIView):
    """A session with the scores the caller may see: their own, or everyone's once allowed."""

    permission_classes = [capability(Cap.VIEW_QUALITY)]

    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        return Response(session_json(request.user, selectors.session(request.user, pk)))


class CalibrationResultsView(APIView):
    """Per-criterion and overall agreement; 403 while the caller is still blind."""

    permission_classes = [capability(Cap.VIEW_QUALITY)]

    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        session = selectors.session(request.user, pk)
        return Response(result_json(selectors.results(request.user, session)))


class CalibrationScoresView(APIView):
    """POST {"item": number, "ratings": {code: {value, not_applicable, comment}}}: the caller's scores."""

    permission_classes = [capability(Cap.VIEW_QUALITY)]

    @extend_schema(request=api_inputs.CalibrationScoreInput, responses={200: dict})
    def post(self, request, pk: int):
        session = selectors.session(request.user, pk)
        services.require_grader(request.user, session)
        body = api_inputs.validated(api_inputs.CalibrationScoreInput, request)
        item = session.items.filter(position=int(body.get("item", 0) or 0) - 1).first()
        if item is None:
            raise UnknownReference({"item": ["No such item in this session; give its number (1, 2, ...)."]})
        services.calibration_score(
            actor=request.user, session=session, item=item, ratings=ratings_from_json(body.get("ratings", {}))
        )
        return Response(session_json(request.user, session))


class CalibrationSubmitView(APIView):
    permission_classes = [capability(Cap.VIEW_QUALITY)]

    @extend_schema(request=None, responses={200: dict})
    def post(self, request, pk: int):
        session = selectors.session(request.user, pk)
        services.calibration_submit(actor=request.user, session=session)
        return Response(session_json(request.user, session))
