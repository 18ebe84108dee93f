"""Escalations: open, acknowledge, update, resolve; timers that flag breaches and step up the ladder.

Targets come from the severity (response and resolution, in business or calendar time on the
ladder's calendar). Each breach steps the escalation up one level (to at most the ladder's top)
and tells that level's contact; flags and steps are recorded once (the sweep may run any time).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from concord.accounts import access, audit
from concord.accounts.models import User
from concord.accounts.roles import Cap, Role
from concord.notifications.services import notify

from . import timers
from .models import Escalation, EscalationEvent, EscalationLadder, EscalationLevel, Severity


def _name(user) -> str:
    return getattr(user, "username", "") or "system"


def url(e: Escalation) -> str:
    return reverse("governance:escalation", args=[e.pk])


@transaction.atomic
def ladder_set(
    *,
    actor,
    provider,
    timezone_name: str = "Europe/Madrid",
    business_start=dt.time(9),
    business_end=dt.time(18),
    business_days: str = "0,1,2,3,4",
    severities=(),
    levels=(),
) -> EscalationLadder:
    """Create or replace a provider's ladder. ``severities``: dicts of code, name, response_minutes,
    resolution_minutes, basis; ``levels``: dicts of number, name, contact_name, contact_email, contact_user."""
    access.require_for_provider(actor, Cap.RUN_GOVERNANCE, provider.pk)
    if actor.provider_id is not None:
        raise PermissionDenied("The client keeps the escalation ladders.")
    fields = {
        "timezone": timezone_name,
        "business_start": business_start,
        "business_end": business_end,
        "business_days": business_days,
    }
    ladder = EscalationLadder.objects.filter(provider=provider).first()
    if ladder is None:
        ladder = audit.create(actor=actor, instance=EscalationLadder(provider=provider, **fields))
    else:
        ladder = audit.update(actor=actor, instance=ladder, changes=fields)
    for s in severities:
        Severity.objects.update_or_create(
            ladder=ladder, code=s["code"], defaults={k: v for k, v in s.items() if k != "code"}
        )
    for lv in levels:
        EscalationLevel.objects.update_or_create(
            ladder=ladder, number=lv["number"], defaults={k: v for k, v in lv.items() if k != "number"}
        )
    return ladder


def _contacts(e: Escalation, level: int) -> list[User]:
    lv = e.severity.ladder.levels.filter(number=level).first()
    people = [lv.contact_user] if lv and lv.contact_user else []
    client = User.objects.filter(provider=None, role__in=[Role.CLIENT_ADMIN, Role.MANAGER], is_active=True)
    partner = User.objects.filter(provider=e.provider_id, role=Role.PROVIDER_LEAD, is_active=True)
    return [*people, *client, *partner] if level == 1 else [*people, *client]


def _event(e: Escalation, kind: str, text: str, actor_name: str, at: dt.datetime | None = None) -> None:
    EscalationEvent.objects.create(escalation=e, at=at or timezone.now(), kind=kind, text=text, actor_name=actor_name)


@transaction.atomic
def open_escalation(
    *, actor, provider, severity: Severity, title: str, description: str = "", opened_at: dt.datetime | None = None
) -> Escalation:
    """Either side raises an escalation about its own provider; timers start at ``opened_at`` (now)."""
    access.require_for_provider(actor, Cap.ANSWER_GOVERNANCE, provider.pk)
    if severity.ladder.provider_id != provider.pk:
        raise ValidationError({"severity": "That severity belongs to another provider's ladder."})
    at = opened_at or timezone.now()
    cal = severity.ladder.calendar()
    e = audit.create(
        actor=actor,
        instance=Escalation(
            provider=provider,
            severity=severity,
            title=title,
            description=description,
            opened_at=at,
            opened_by_name=_name(actor),
            response_due_at=timers.add(at, severity.response_minutes, severity.basis, cal),
            resolution_due_at=timers.add(at, severity.resolution_minutes, severity.basis, cal),
        ),
    )
    _event(e, "opened", f"{severity} opened at level 1.", _name(actor), at)
    notify(
        recipients=_contacts(e, 1),
        subject=f"Escalation {severity.code}: {title}",
        body=f"Response due {e.response_due_at:%Y-%m-%d %H:%M} UTC.",
        url=url(e),
        kind="governance.escalation_opened",
        key=f"escalation-{e.pk}-opened",
        provider=provider,
    )
    return e


def _partner_or_client(actor, e: Escalation) -> None:
    access.require_for_provider(actor, Cap.ANSWER_GOVERNANCE, e.provider_id)
    if e.status == Escalation.Status.RESOLVED:
        raise ValidationError("The escalation is resolved.")


@transaction.atomic
def acknowledge(*, actor, escalation: Escalation, text: str = "", at: dt.datetime | None = None) -> Escalation:
    """The partner (or the client) acknowledges: the response clock stops; twice changes nothing."""
    _partner_or_client(actor, escalation)
    if escalation.acknowledged_at is not None:
        return escalation
    at = at or timezone.now()
    escalation = audit.update(
        actor=actor, instance=escalation, changes={"status": Escalation.Status.ACKNOWLEDGED, "acknowledged_at": at}
    )
    _event(escalation, "acknowledged", text, _name(actor), at)
    return escalation


@transaction.atomic
def add_update(
    *, actor, escalation: Escalation, text: str, resolve: bool = False, at: dt.datetime | None = None
) -> Escalation:
    _partner_or_client(actor, escalation)
    at = at or timezone.now()
    _event(escalation, "resolved" if resolve else "update", text, _name(actor), at)
    if resolve:
        changes = {"status": Escalation.Status.RESOLVED, "resolved_at": at}
        if escalation.acknowledged_at is None:
            changes["acknowledged_at"] = at
        escalation = audit.update(actor=actor, instance=escalation, changes=changes)
    return escalation


def check_timers(*, now: dt.datetime | None = None) -> list[str]:
    """Flag breaches of open escalations and step each breach up one level (the sweep's job)."""
    now = now or timezone.now()
    said = []
    live = Escalation.objects.exclude(status=Escalation.Status.RESOLVED).select_related("severity__ladder", "provider")
    for e in live:
        with transaction.atomic():
            e = Escalation.objects.select_for_update().get(pk=e.pk)
            breaches = []
            if not e.response_breached and e.acknowledged_at is None and now >= e.response_due_at:
                breaches.append(("response_breached", "response", e.response_due_at))
            if not e.resolution_breached and now >= e.resolution_due_at:
                breaches.append(("resolution_breached", "resolution", e.resolution_due_at))
            for flag, what, due in breaches:
                top = e.severity.ladder.levels.order_by("-number").values_list("number", flat=True).first() or 1
                level = min(e.level + 1, top)
                Escalation.objects.filter(pk=e.pk).update(**{flag: True, "level": level})
                setattr(e, flag, True)
                _event(e, "breach", f"{what.capitalize()} target missed (due {due:%Y-%m-%d %H:%M} UTC).", "system", due)
                if level != e.level:
                    _event(e, "stepped_up", f"Stepped up to level {level}.", "system", due)
                    e.level = level
                notify(
                    recipients=_contacts(e, level),
                    subject=f"Escalation breached ({what}): {e.title}",
                    body=f"Now at level {level}.",
                    url=url(e),
                    kind="governance.escalation_breached",
                    key=f"escalation-{e.pk}-{what}-breach",
                    provider=e.provider,
                )
                said.append(f"{e.pk}: {what} breached, level {level}")
    return said


def remaining(e: Escalation, *, now: dt.datetime | None = None) -> dict:
    """The running timers as minutes left (negative: overdue), in the severity's own basis."""
    now = now or timezone.now()
    cal = e.severity.ladder.calendar()
    basis = e.severity.basis

    def left(due: dt.datetime, stopped: dt.datetime | None) -> int | None:
        if stopped is not None:
            return None
        sign = 1 if now <= due else -1
        span = timers.elapsed(min(now, due), max(now, due), basis, cal)
        return sign * int(span.total_seconds() // 60)

    return {
        "response_minutes_left": left(e.response_due_at, e.acknowledged_at),
        "resolution_minutes_left": left(e.resolution_due_at, e.resolved_at),
        "basis": basis,
    }
