"""REST endpoints of the governance rhythm: the same selectors and services as the pages."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.models import User
from concord.accounts.roles import Cap
from concord.web import api as api_base
from concord.web.api import LIST_OF_OBJECTS, capability

from . import escalations as esc
from . import selectors, services
from .models import Action
from .packs import render as pack_render
from .packs.build import meeting_pack


def _meeting_json(user, m, *, full: bool = False) -> dict:
    data = {
        "id": m.pk,
        "cadence": m.cadence.name,
        "kind": m.cadence.kind,
        "provider": m.provider.code,
        "starts_at": m.starts_at.isoformat(),
        "period_start": m.period_start.isoformat(),
        "grain": m.grain,
        "status": m.status,
    }
    if full:
        data["agenda"] = [{"title": a.title, "client_only": a.client_only} for a in selectors.agenda(user, m)]
        data["notes"] = [
            {"text": n.text, "author": n.author_name, "at": n.created_at.isoformat(), "client_only": n.client_only}
            for n in selectors.notes(user, m)
        ]
        data["decisions"] = [
            {
                "what": d.what,
                "why": d.why,
                "by": d.decided_by_name,
                "raci": d.raci_activity.name if d.raci_activity else None,
                "flagged": d.flagged,
                "flag_reason": d.flag_reason,
            }
            for d in m.decisions.select_related("raci_activity")
        ]
    return data


def _action_json(a: Action) -> dict:
    return {
        "id": a.pk,
        "provider": a.provider.code,
        "title": a.title,
        "owner": a.owner.username,
        "side": a.owner_side,
        "due": a.due.isoformat(),
        "status": a.status,
        "cause_kind": a.cause_kind,
        "cause_id": a.cause_id,
        "cause_url": a.cause_url,
        "meeting": a.meeting_id,
    }


class MeetingListView(APIView):
    permission_classes = [capability(Cap.VIEW_GOVERNANCE)]

    @extend_schema(operation_id="governance_meetings_list", responses={200: LIST_OF_OBJECTS})
    def get(self, request):
        qs = selectors.meetings(request.user).order_by("-starts_at")[:500]
        return Response([_meeting_json(request.user, m) for m in qs])


class MeetingDetailView(APIView):
    permission_classes = [capability(Cap.VIEW_GOVERNANCE)]

    @extend_schema(operation_id="governance_meetings_retrieve", responses={200: dict})
    def get(self, request, pk: int):
        return Response(_meeting_json(request.user, selectors.meeting(request.user, pk), full=True))


class MeetingPackView(APIView):
    """The meeting's pack: frozen figures (with restatements noted) once closed, else built now."""

    permission_classes = [capability(Cap.VIEW_GOVERNANCE)]

    @extend_schema(operation_id="governance_meetings_pack", responses={200: dict})
    def get(self, request, pk: int):
        m = selectors.meeting(request.user, pk)
        pv = pack_render.view(request.user, meeting_pack(m, user=request.user))
        return Response(
            {
                "pack": pv.pack.pk,
                "provider": pv.pack.provider.code,
                "period": pv.period_label,
                "frozen_at": pv.pack.frozen_at.isoformat() if pv.pack.frozen_at else None,
                "lake_versions": pv.pack.lake_versions,
                "sections": pv.pack.sections,
                "restated": pv.restated,
                "agenda": [a.title for a in pv.agenda],
                "notes": [n.text for n in pv.notes],
            }
        )


class MeetingCloseView(APIView):
    """Close a meeting (the client): its pack freezes. Closing twice changes nothing."""

    permission_classes = [capability(Cap.VIEW_GOVERNANCE)]

    @extend_schema(operation_id="governance_meetings_close", request=None, responses={200: dict})
    def post(self, request, pk: int):
        m = selectors.meeting(request.user, pk)
        m = services.close_meeting(actor=request.user, meeting=m)
        return Response(_meeting_json(request.user, m))


class ActionInput(api_base.Serializer):
    provider = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="Id of the provider the action is about."
    )
    title = serializers.CharField(max_length=200)
    owner = serializers.CharField(max_length=150, help_text="Username of the owner (client or this provider).")
    due = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    cause_kind = serializers.CharField(required=False, allow_blank=True, max_length=40)
    cause_id = serializers.CharField(required=False, allow_blank=True, max_length=64)
    cause_url = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ActionListView(APIView):
    permission_classes = [capability(Cap.VIEW_GOVERNANCE)]

    @extend_schema(operation_id="governance_actions_list", responses={200: LIST_OF_OBJECTS})
    def get(self, request):
        return Response([_action_json(a) for a in selectors.actions(request.user)[:1000]])

    @extend_schema(operation_id="governance_actions_create", request=ActionInput, responses={201: dict})
    def post(self, request):
        data = ActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        provider = selectors.provider(request.user, d.pop("provider"))
        # Only people who may own this provider's action are looked up (the client's and this provider's):
        # another partner's user is "no such user" like an unknown name, a 404 that says nothing about who exists
        # elsewhere (a 400 "cannot own" used to confirm another partner's usernames).
        eligible = User.objects.filter(is_active=True).filter(Q(provider__isnull=True) | Q(provider=provider))
        owner = eligible.filter(username=d.pop("owner")).first()
        if owner is None:
            raise api_base.UnknownReference({"owner": ["No active user by that name can own this provider's action."]})
        action = services.create_action(user=request.user, provider=provider, owner=owner, **d)
        return Response(_action_json(action), status=201)


class ActionStatusInput(api_base.Serializer):
    status = serializers.ChoiceField(choices=Action.Status.values)


class ActionDetailView(APIView):
    permission_classes = [capability(Cap.VIEW_GOVERNANCE)]

    @extend_schema(operation_id="governance_actions_retrieve", responses={200: dict})
    def get(self, request, pk: int):
        return Response(_action_json(selectors.action(request.user, pk)))

    @extend_schema(operation_id="governance_actions_update", request=ActionStatusInput, responses={200: dict})
    def patch(self, request, pk: int):
        action = selectors.action(request.user, pk)
        data = ActionStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.action_update(actor=request.user, action=action, status=data.validated_data["status"])
        return Response(_action_json(action))


def _escalation_json(e) -> dict:
    return {
        "id": e.pk,
        "provider": e.provider.code,
        "severity": e.severity.code,
        "title": e.title,
        "level": e.level,
        "status": e.status,
        "opened_at": e.opened_at.isoformat(),
        "response_due_at": e.response_due_at.isoformat(),
        "resolution_due_at": e.resolution_due_at.isoformat(),
        "response_breached": e.response_breached,
        "resolution_breached": e.resolution_breached,
        **esc.remaining(e),
    }


class EscalationListView(APIView):
    permission_classes = [capability(Cap.VIEW_GOVERNANCE)]

    @extend_schema(operation_id="governance_escalations_list", responses={200: LIST_OF_OBJECTS})
    def get(self, request):
        return Response([_escalation_json(e) for e in selectors.escalations(request.user)[:1000]])


class EscalationAckView(APIView):
    """The partner (or the client) acknowledges an escalation: its response clock stops."""

    permission_classes = [capability(Cap.VIEW_GOVERNANCE)]

    @extend_schema(operation_id="governance_escalations_acknowledge", request=None, responses={200: dict})
    def post(self, request, pk: int):
        e = selectors.escalation(request.user, pk)
        return Response(_escalation_json(esc.acknowledge(actor=request.user, escalation=e)))
