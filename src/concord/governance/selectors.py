"""Reads of the governance rhythm, always scoped: a partner sees its own provider's records, and
never a client-only agenda item or note."""

from __future__ import annotations

from django.db.models import QuerySet

from concord.accounts import access
from concord.accounts.roles import Cap

from .models import (
    Action,
    AgendaItem,
    Cadence,
    Decision,
    Escalation,
    EscalationLadder,
    Meeting,
    MinuteNote,
    Pack,
    RaciActivity,
)


def _view(user) -> None:
    access.require(user, Cap.VIEW_GOVERNANCE)


def sees_client_only(user) -> bool:
    return user.provider_id is None


def cadences(user) -> QuerySet[Cadence]:
    _view(user)
    return access.scope(user, Cadence.objects.select_related("provider", "program"))


def cadence(user, pk: int) -> Cadence:
    return access.get_visible_or_404(user, cadences(user), pk=pk)


def meetings(user) -> QuerySet[Meeting]:
    _view(user)
    return access.scope(user, Meeting.objects.select_related("cadence", "provider"))


def meeting(user, pk: int) -> Meeting:
    return access.get_visible_or_404(user, meetings(user), pk=pk)


def agenda(user, m: Meeting) -> QuerySet[AgendaItem]:
    qs = m.agenda.all()
    return qs if sees_client_only(user) else qs.filter(client_only=False)


def notes(user, m: Meeting) -> QuerySet[MinuteNote]:
    qs = m.notes.all()
    return qs if sees_client_only(user) else qs.filter(client_only=False)


def packs(user) -> QuerySet[Pack]:
    _view(user)
    return access.scope(user, Pack.objects.select_related("provider", "program", "meeting"))


def pack(user, pk: int) -> Pack:
    return access.get_visible_or_404(user, packs(user), pk=pk)


def decisions(user) -> QuerySet[Decision]:
    _view(user)
    return access.scope(user, Decision.objects.select_related("provider", "raci_activity", "meeting"))


def actions(user) -> QuerySet[Action]:
    _view(user)
    return access.scope(user, Action.objects.select_related("provider", "owner", "meeting"))


def action(user, pk: int) -> Action:
    return access.get_visible_or_404(user, actions(user), pk=pk)


def open_actions(user, provider=None) -> QuerySet[Action]:
    qs = actions(user).filter(status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS])
    return qs.filter(provider=provider) if provider is not None else qs


def escalations(user) -> QuerySet[Escalation]:
    _view(user)
    return access.scope(user, Escalation.objects.select_related("provider", "severity"))


def escalation(user, pk: int) -> Escalation:
    return access.get_visible_or_404(user, escalations(user), pk=pk)


def ladders(user) -> QuerySet[EscalationLadder]:
    _view(user)
    qs = EscalationLadder.objects.select_related("provider").prefetch_related("severities", "levels")
    return access.scope(user, qs)


def raci(user, program=None) -> QuerySet[RaciActivity]:
    """RACI rows of the programs the user's provider serves (every program for the client)."""
    _view(user)
    qs = RaciActivity.objects.select_related("program").prefetch_related("assignments")
    qs = access.scope(user, qs, "program__providers").distinct()
    return qs.filter(program=program) if program is not None else qs


def provider(user, pk: int):
    from concord.providers.models import Provider

    _view(user)
    return access.get_visible_or_404(user, Provider.objects.all(), "pk", pk=pk)
