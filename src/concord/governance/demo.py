"""Demo step for governance: cadences for every partner, the last two reviews of each cadence closed with
frozen packs (the QBRs reach back six months), minutes, decisions and actions (some done, some overdue), a
RACI per program, an escalation ladder per partner with a few escalations (one breached).

Each closed meeting freezes a pack built from the lake (its scorecard queries are most of the cost), so the
demo closes two per cadence, not all six months of monthly reviews: every demo-loading test pays for each.
Past meetings are closed as at their end, so their packs list the actions and escalations open then."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from concord import periods
from concord.accounts.models import User
from concord.providers.models import Program, Provider

from . import escalations, schedule, services
from .models import Action, Meeting, MinuteNote

PARTNERS = ("ATLAS", "BRAVO", "CORA")
RACI = [
    # name, kind, partner decides alone, letters
    ("Agent schedules and breaks", "decision", True,
     {("partner", "provider_lead"): "A", ("client", "manager"): "I"}),
    ("Change a contact reason's process", "decision", False,
     {("client", "manager"): "A", ("partner", "provider_lead"): "C", ("client", "analyst"): "R"}),
    ("QA form and calibration key", "decision", False,
     {("client", "manager"): "A", ("partner", "provider_qa"): "C", ("partner", "provider_lead"): "I"}),
    ("Hiring and training waves", "activity", True,
     {("partner", "provider_lead"): "A", ("partner", "provider_trainer"): "R", ("client", "manager"): "C"}),
    ("Service credits and earn-back", "decision", False,
     {("client", "client_admin"): "A", ("client", "manager"): "R", ("partner", "provider_lead"): "I"}),
]  # fmt: skip
SEVERITIES = [
    {"code": "P1", "name": "Service down", "response_minutes": 30, "resolution_minutes": 240, "basis": "calendar"},
    {"code": "P2", "name": "Service degraded", "response_minutes": 120, "resolution_minutes": 960, "basis": "business"},
    {"code": "P3", "name": "Process issue", "response_minutes": 480, "resolution_minutes": 4800, "basis": "business"},
]
#: past reviews of each cadence closed with a frozen pack, the most recent ones: six months of monthly
#: reviews (issue 14's demo) and the quarterly ones of the same six months
PAST_MEETINGS = 6
#: what reviews raise, taken in turn (one or two a meeting), so a partner's open list does not repeat itself
ACTIONS = [
    ("Root-cause the AHT rise on returns", "metric", "aht"),
    ("Refresh the refunds knowledge article", "evaluation", ""),
    ("Recover service level on the evening peak", "sla_result", ""),
    ("Present the retention plan for first-90-day agents", "metric", "attrition"),
    ("Retrain the billing queue on the new fee rules", "evaluation", ""),
    ("Add two chat agents to the Monday morning shift", "sla_result", ""),
    ("Review transfers to second line with the client's team leads", "metric", "transfer_rate"),
    ("Send the recalibration plan for the closing criterion", "evaluation", ""),
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return schedule.start_instant(day, dt.time(hour), settings.REPORTING_TIMEZONE)


def build_governance(ctx) -> None:
    admin = ctx.actor or User.objects.get(username="admin")
    manager = User.objects.filter(username="manager").first() or admin
    for program in Program.objects.order_by("code"):
        for name, kind, alone, letters in RACI:
            services.raci_row_set(actor=admin, program=program, name=name, kind=kind, partner_may_decide=alone,
                                  letters=letters)  # fmt: skip
    n_meetings = n_actions = n_esc = 0
    for k, code in enumerate(PARTNERS):
        provider = Provider.objects.filter(code=code).first()
        if provider is None:
            continue
        lead = User.objects.filter(provider=provider, role="provider_lead").first()
        people = [u for u in (admin, manager, lead) if u is not None]
        cadences = [
            services.cadence_create(
                actor=admin, provider=provider, name=f"{provider.name} daily operations", kind="operational",
                frequency="daily", local_time=dt.time(9, 30), duration_minutes=30, attendees=people,
                agenda=["Yesterday's service level and backlog", "Staffing today"],
            ),
            services.cadence_create(
                actor=admin, provider=provider, name=f"{provider.name} monthly review", kind="tactical",
                frequency="monthly", weekday=1, attendees=people,
                agenda=["Scorecard and SLA results", "QA and calibration", "Actions",
                        ("Commercial position and contract options", True)],
            ),
            services.cadence_create(
                actor=admin, provider=provider, name=f"{provider.name} quarterly business review", kind="strategic",
                frequency="quarterly", weekday=2, attendees=people,
                agenda=["Quarter in numbers", "Capacity and hiring plan", "Roadmap",
                        ("Renewal and volume split (client only)", True)],
            ),
        ]  # fmt: skip
        for c in cadences:
            services.schedule_meetings(actor=admin, cadence=c, today=ctx.today)
        n_esc += _escalations(ctx, admin, lead, provider)  # before the meetings: their packs list them
        start = periods.shift(ctx.today.replace(day=1), "month", -6)
        past = sorted(  # oldest first across cadences: a pack lists the actions earlier reviews left open
            (day, c.pk, c)
            for c in cadences[1:]
            for day in schedule.slot_days(c.frequency, c.weekday, start=start, end=ctx.today)[-PAST_MEETINGS:]
        )
        for turn, (day, _, c) in enumerate(past):
            (m,) = services._meeting_on(c, day) or [Meeting.objects.get(cadence=c, starts_at=_at(day))]
            n_meetings += 1
            n_actions += _minutes(ctx, m, admin, lead, k, turn)
    escalations.check_timers()  # the old unacknowledged one breaches and steps up
    ctx.progress(f"{n_meetings} past meetings closed with frozen packs, {n_actions} actions, {n_esc} escalations")


def raised_at(turn: int, k: int) -> list[tuple[str, str, str]]:
    """The actions the ``turn``-th past review of the ``k``-th partner raises: one or two, in turn."""
    return [ACTIONS[(2 * turn + k + j) % len(ACTIONS)] for j in range(1 + (turn + k) % 2)]


def _minutes(ctx, m: Meeting, admin, lead, k: int, turn: int) -> int:
    """Notes, a decision and actions for a past meeting; then it is closed (its pack frozen)."""
    services.note_add(actor=admin, meeting=m, text="Reviewed the scorecard against last month and last year.")
    services.note_add(actor=admin, meeting=m, text="Keep the volume split as is until the renewal.", client_only=True)
    if lead is not None:
        services.note_add(actor=lead, meeting=m, text="New hires start nesting next week.")
        row = m.cadence.program or m.provider.programs.order_by("code").first()
        allowed = row.raci.filter(partner_may_decide=True).first() if row else None
        services.decision_record(
            actor=lead,
            provider=m.provider,
            meeting=m,
            what="Move two agents to the evening peak",
            why="Service level dips after 19:00.",
            raci_activity=allowed,
            decided_at=m.starts_at,
        )
    made = 0
    day = m.starts_at.date()
    for j, (title, cause, metric) in enumerate(raised_at(turn, k)):
        owner = lead if (lead is not None and j % 2 == 0) else admin
        url = f"/performance/?metric={metric}" if metric else ""
        a = services.create_action(user=admin, title=title, owner=owner, due=day + dt.timedelta(days=21), meeting=m,
                                   cause_kind=cause, cause_url=url)  # fmt: skip
        made += 1
        # raised at the meeting; older actions were done a fortnight later, the recent ones stay open, some
        # past due (overdue)
        dates = {"created_at": m.starts_at}
        if day < ctx.today - dt.timedelta(days=70):
            services.action_update(actor=owner, action=a, status="done")
            dates["closed_at"] = m.starts_at + dt.timedelta(days=14)
        Action.objects.filter(pk=a.pk).update(**dates)  # after the update, whose save wrote the instance's dates
    # minutes are taken during the meeting, not on the day the demo loads
    MinuteNote.objects.filter(meeting=m).update(created_at=m.starts_at + dt.timedelta(minutes=20))
    services.close_meeting(actor=admin, meeting=m, at=m.starts_at + dt.timedelta(hours=1))
    return made


def _escalations(ctx, admin, lead, provider) -> int:
    ladder = escalations.ladder_set(
        actor=admin, provider=provider, timezone_name=settings.REPORTING_TIMEZONE, severities=SEVERITIES,
        levels=[
            {"number": 1, "name": "Duty team lead", "contact_name": f"{provider.name} duty lead", "contact_user": lead},
            {"number": 2, "name": "Account manager", "contact_name": f"{provider.name} account manager"},
            {"number": 3, "name": "Executive sponsors", "contact_name": "Northwind VP Customer Care",
             "contact_user": admin},
        ],
    )  # fmt: skip
    now = timezone.now()
    p2, p3 = ladder.severities.get(code="P2"), ladder.severities.get(code="P3")
    done = escalations.open_escalation(actor=admin, provider=provider, severity=p2, title="Chat queue backlog",
                                       opened_at=now - dt.timedelta(days=20))  # fmt: skip
    actor = lead or admin
    escalations.acknowledge(actor=actor, escalation=done, at=done.opened_at + dt.timedelta(minutes=40))
    escalations.add_update(actor=actor, escalation=done, text="Added two agents; backlog cleared.", resolve=True,
                           at=done.opened_at + dt.timedelta(hours=6))  # fmt: skip
    live = escalations.open_escalation(actor=admin, provider=provider, severity=p3, title="Refund reasons miscoded",
                                       opened_at=now - dt.timedelta(hours=3))  # fmt: skip
    escalations.acknowledge(actor=actor, escalation=live, at=live.opened_at + dt.timedelta(minutes=30))
    if provider.code == "ATLAS":  # one left unanswered: it breaches and steps up
        escalations.open_escalation(actor=admin, provider=provider, severity=p2, title="IVR routing loop on returns",
                                    opened_at=now - dt.timedelta(days=4))  # fmt: skip
        return 3
    return 2
