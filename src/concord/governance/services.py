"""Every change to the governance rhythm: cadences, meetings, minutes, decisions, actions, RACI.

Keyword-only arguments, the acting user, one transaction, audit rows; notices go out once committed.
Escalations are in ``escalations``; packs in ``packs``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from concord import reporting
from concord.accounts import access, audit
from concord.accounts.roles import Cap, Role
from concord.notifications.services import notify

from . import schedule
from .models import (
    Action,
    AgendaItem,
    AgendaTemplateItem,
    Cadence,
    Decision,
    Meeting,
    MinuteNote,
    RaciActivity,
    RaciAssignment,
)

CADENCE_FIELDS = ("provider", "program", "name", "kind", "frequency", "weekday", "local_time", "duration_minutes")
#: how far ahead meetings are kept scheduled
HORIZON_DAYS = {"daily": 14, "weekly": 35, "monthly": 100, "quarterly": 200}


def _run(actor, provider_id) -> None:
    """The client runs the rhythm: cadences, meetings, closing, RACI, ladders."""
    access.require_for_provider(actor, Cap.RUN_GOVERNANCE, provider_id)
    if actor.provider_id is not None:
        raise PermissionDenied("The client runs the governance rhythm.")


def _name(user) -> str:
    return getattr(user, "username", "") or "system"


# --- cadences and meetings ---------------------------------------------------------------------


@transaction.atomic
def cadence_create(*, actor, attendees=(), agenda=(), **fields) -> Cadence:
    """A cadence with its attendees and agenda template (``agenda``: titles, or (title, client_only) pairs)."""
    unknown = set(fields) - set(CADENCE_FIELDS)
    if unknown:
        raise ValueError(f"no editable field {', '.join(sorted(unknown))}")
    _run(actor, fields["provider"].pk)
    program = fields.get("program")
    if program is not None and not program.providers.filter(pk=fields["provider"].pk).exists():
        raise ValidationError({"program": f"{fields['provider']} does not serve {program}."})
    cadence = audit.create(actor=actor, instance=Cadence(**fields))
    _check_attendees(cadence, attendees)
    cadence.attendees.set(attendees)
    for i, item in enumerate(agenda):
        title, client_only = (item, False) if isinstance(item, str) else item
        AgendaTemplateItem.objects.create(cadence=cadence, position=i, title=title, client_only=client_only)
    return cadence


def _check_attendees(cadence: Cadence, attendees) -> None:
    strangers = [u.username for u in attendees if u.provider_id not in (None, cadence.provider_id)]
    if strangers:
        raise ValidationError({"attendees": f"{', '.join(strangers)} work for another provider."})


@transaction.atomic
def schedule_meetings(*, actor, cadence: Cadence, today: dt.date | None = None) -> list[Meeting]:
    """Create the meetings of the coming weeks that are not scheduled yet (twice changes nothing)."""
    _run(actor, cadence.provider_id)
    return _schedule(cadence, today or reporting.today())


def _schedule(cadence: Cadence, today: dt.date) -> list[Meeting]:
    end = today + dt.timedelta(days=HORIZON_DAYS[cadence.frequency])
    made = []
    for day in schedule.slot_days(cadence.frequency, cadence.weekday, start=today, end=end):
        made += _meeting_on(cadence, day)
    return made


def _meeting_on(cadence: Cadence, day: dt.date) -> list[Meeting]:
    starts = schedule.start_instant(day, cadence.local_time, settings.REPORTING_TIMEZONE)
    if Meeting.objects.filter(cadence=cadence, starts_at=starts).exists():
        return []
    meeting = Meeting.objects.create(
        cadence=cadence,
        provider_id=cadence.provider_id,
        starts_at=starts,
        grain=cadence.grain,
        period_start=schedule.reviewed_period(cadence.grain, day),
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=t.position, title=t.title, client_only=t.client_only)
        for t in cadence.agenda_template.all()
    )
    return [meeting]


def schedule_all(*, today: dt.date | None = None) -> int:
    """Keep every active cadence's coming meetings scheduled (the sweep's job): how many were created."""
    today = today or reporting.today()
    n = 0
    for cadence in Cadence.objects.filter(active=True).prefetch_related("agenda_template"):
        with transaction.atomic():
            n += len(_schedule(cadence, today))
    return n


@transaction.atomic
def agenda_item_add(*, actor, meeting: Meeting, title: str, client_only: bool = False) -> AgendaItem:
    _run(actor, meeting.provider_id)
    _open(meeting)
    position = meeting.agenda.count()
    return audit.create(
        actor=actor, instance=AgendaItem(meeting=meeting, position=position, title=title, client_only=client_only)
    )


def _open(meeting: Meeting) -> None:
    if meeting.closed:
        raise ValidationError("The meeting is closed: its minutes and pack are frozen.")


@transaction.atomic
def note_add(*, actor, meeting: Meeting, text: str, client_only: bool = False) -> MinuteNote:
    """A line of the minutes: the client's people and the partner's lead may write; only the client
    writes client-only notes."""
    access.require_for_provider(actor, Cap.ANSWER_GOVERNANCE, meeting.provider_id)
    _open(meeting)
    if client_only and actor.provider_id is not None:
        raise PermissionDenied("Only the client's people write client-only notes.")
    return audit.create(
        actor=actor,
        instance=MinuteNote(
            meeting=meeting, text=text, client_only=client_only, author=actor, author_name=_name(actor)
        ),
    )


@transaction.atomic
def close_meeting(*, actor, meeting: Meeting, at: dt.datetime | None = None) -> Meeting:
    """Close the meeting and freeze its pack (numbers, charts, lake versions, and the actions and escalations
    open at the close); closing twice changes nothing. ``at``: when it closed, for a record of a past
    meeting (the demo's); now by default."""
    _run(actor, meeting.provider_id)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.closed:
        return meeting
    from .packs.build import freeze_meeting_pack

    at = at or timezone.now()
    freeze_meeting_pack(meeting=meeting, actor=actor, at=at)
    return audit.update(
        actor=actor,
        instance=meeting,
        changes={
            "status": Meeting.Status.CLOSED,
            "closed_at": at,
            "closed_by": actor if actor.pk else None,
        },
    )


# --- RACI ------------------------------------------------------------------------------------------


@transaction.atomic
def raci_row_set(
    *, actor, program, name: str, kind: str = "decision", partner_may_decide: bool = False, letters: dict
) -> RaciActivity:
    """Create or replace a RACI row. ``letters``: {(side, role): 'R'|'A'|'C'|'I'}; exactly one A."""
    access.require(actor, Cap.RUN_GOVERNANCE)
    if actor.provider_id is not None:
        raise PermissionDenied("The client keeps the RACI.")
    accountable = [k for k, v in letters.items() if v == "A"]
    if len(accountable) != 1:
        raise ValidationError(f"{name!r}: a RACI row needs exactly one Accountable (A); it has {len(accountable)}.")
    for (side, role), letter in letters.items():
        if letter not in RaciAssignment.Letter.values:
            raise ValidationError(f"{name!r}: {letter!r} is not one of R, A, C, I.")
        if side not in RaciAssignment.Side.values or role not in Role.__members__.values():
            raise ValidationError(f"{name!r}: {side} {role} is not a side and role Concord knows.")
        if (side == "client") != Role(role).is_client_role:
            raise ValidationError(f"{name!r}: {role} is not a {side} role.")
    row = RaciActivity.objects.filter(program=program, name=name).first()
    if row is None:
        position = RaciActivity.objects.filter(program=program).count()
        row = audit.create(
            actor=actor,
            instance=RaciActivity(
                program=program, name=name, kind=kind, partner_may_decide=partner_may_decide, position=position
            ),
        )
    else:
        row = audit.update(actor=actor, instance=row, changes={"kind": kind, "partner_may_decide": partner_may_decide})
    before = sorted(f"{a.side}:{a.role}:{a.letter}" for a in row.assignments.all())
    after = sorted(f"{s}:{r}:{v}" for (s, r), v in letters.items())
    if before != after:
        row.assignments.all().delete()
        RaciAssignment.objects.bulk_create(
            RaciAssignment(activity=row, side=s, role=r, letter=v) for (s, r), v in letters.items()
        )
        audit.record(actor=actor, action="update", instance=row, before={"letters": before}, after={"letters": after})
    return row


def accountability(user, row: RaciActivity | None, provider_id: int) -> str:
    """Why ``user`` may not decide ``row`` for this provider ('' when they may)."""
    if row is None:
        return ""
    a = row.accountable
    if a is None:
        return f"{row.name!r} has no Accountable in the RACI."
    side = "client" if user.provider_id is None else "partner"
    if side == "partner" and user.provider_id != provider_id:
        return "another provider's decision"
    if (a.side, a.role) == (side, user.role):
        return ""
    if side == "partner" and row.partner_may_decide:
        return ""
    who, me = a.role.replace("_", " "), user.role.replace("_", " ")
    return f"the RACI makes {a.side} {who} accountable for {row.name!r}, not {side} {me}"


# --- decisions -----------------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    actor,
    provider,
    what: str,
    why: str = "",
    raci_activity: RaciActivity | None = None,
    meeting: Meeting | None = None,
    decided_at: dt.datetime | None = None,
) -> Decision:
    """Log a decision. Someone the RACI row does not make accountable: a partner is refused; the
    client's record is kept but flagged (the client may overrule, and it shows)."""
    access.require_for_provider(actor, Cap.ANSWER_GOVERNANCE, provider.pk)
    if meeting is not None and meeting.provider_id != provider.pk:
        raise ValidationError("That meeting is another provider's.")
    if meeting is not None:
        _open(meeting)
    if raci_activity is not None and not raci_activity.program.providers.filter(pk=provider.pk).exists():
        raise ValidationError({"raci_activity": f"{raci_activity} is not a RACI row of a program {provider} serves."})
    why_not = accountability(actor, raci_activity, provider.pk)
    if why_not and actor.provider_id is not None:
        raise PermissionDenied(f"Not yours to decide: {why_not}.")
    return audit.create(
        actor=actor,
        instance=Decision(
            provider=provider,
            meeting=meeting,
            raci_activity=raci_activity,
            what=what,
            why=why,
            decided_by=actor if actor.pk else None,
            decided_by_name=_name(actor),
            decided_at=decided_at or timezone.now(),
            flagged=bool(why_not),
            flag_reason=why_not[:300],
        ),
    )


# --- actions -------------------------------------------------------------------------------------


@transaction.atomic
def create_action(
    *,
    user,
    title: str,
    owner,
    due: dt.date,
    cause_kind: str = "",
    cause_id: str = "",
    cause_url: str = "",
    provider=None,
    meeting: Meeting | None = None,
    description: str = "",
) -> Action:
    """An action item. ``provider`` defaults to the meeting's, else the owner's (a client owner needs one).
    Either side may raise an action about its own provider; the owner may be on either side."""
    provider = provider or (meeting.provider if meeting else None) or getattr(owner, "provider", None)
    if provider is None:
        raise ValidationError("Say which provider the action is about.")
    access.require_for_provider(user, Cap.ANSWER_GOVERNANCE, provider.pk)
    if owner.provider_id not in (None, provider.pk) or not owner.is_active:
        raise ValidationError({"owner": f"{owner.username} cannot own an action of {provider}."})
    if meeting is not None and meeting.provider_id != provider.pk:
        raise ValidationError("That meeting is another provider's.")
    action = audit.create(
        actor=user,
        instance=Action(
            provider=provider,
            meeting=meeting,
            title=title,
            description=description,
            owner=owner,
            due=due,
            cause_kind=cause_kind,
            cause_id=str(cause_id),
            cause_url=cause_url,
            created_by_name=_name(user),
        ),
    )
    if owner.pk != getattr(user, "pk", None):
        notify(
            recipients=[owner],
            subject=f"New action for you: {title}",
            body=f"Due {due:%d %b %Y}. Raised by {_name(user)}.",
            url=action_url(action),
            kind="governance.action_assigned",
            key=f"action-{action.pk}-assigned",
            provider=provider,
        )
    return action


def action_url(action: Action) -> str:
    from django.urls import reverse

    return reverse("governance:action", args=[action.pk])


@transaction.atomic
def action_update(*, actor, action: Action, status: str | None = None, due: dt.date | None = None) -> Action:
    """Progress an action: its owner, the partner's lead for the partner's actions, or the client."""
    access.require_for_provider(actor, Cap.ANSWER_GOVERNANCE, action.provider_id)
    changes: dict = {}
    if status is not None:
        if status not in Action.Status.values:
            raise ValidationError({"status": f"{status!r} is not one of {', '.join(Action.Status.values)}."})
        changes["status"] = status
        is_open = status in (Action.Status.OPEN, Action.Status.IN_PROGRESS)
        changes["closed_at"] = None if is_open else (action.closed_at or timezone.now())
    if due is not None:
        if actor.provider_id is not None:
            raise PermissionDenied("Only the client moves a due date.")
        changes["due"] = due
    return audit.update(actor=actor, instance=action, changes=changes)


#: reminders go out this many days before the due date, and on each day overdue... once per action
REMIND_BEFORE_DAYS = 2


def send_action_reminders(*, today: dt.date | None = None) -> int:
    """Remind owners of open actions due within ``REMIND_BEFORE_DAYS`` and of overdue ones (once each:
    the notice key carries the action and the kind of reminder)."""
    today = today or reporting.today()
    sent = 0
    soon = Action.objects.filter(
        status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS],
        due__lte=today + dt.timedelta(days=REMIND_BEFORE_DAYS),
    ).select_related("owner", "provider")
    for a in soon:
        overdue = a.due < today
        kind = "overdue" if overdue else "due"
        subject = f"Overdue since {a.due:%d %b}: {a.title}" if overdue else f"Due {a.due:%d %b}: {a.title}"
        sent += len(
            notify(
                recipients=[a.owner],
                subject=subject,
                body=f"Action of {a.provider.name}.",
                url=action_url(a),
                kind=f"governance.action_{kind}",
                key=f"action-{a.pk}-{kind}",
                provider=a.provider,
            )
        )
    return sent
