"""Keeping stored SLA results true to the contract and the lake, without anyone pressing Recompute.

A result computed with terms that have since changed, from a lake version that has
since moved on, or provisional past the instant it matures is recomputed here, by
the background tasks (tasks.py): after every change of terms, and on a schedule.
A closed month is left as billed; the pages show its staleness so a person can decide
on a restatement.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from concord.lake.store import Lake

from . import notify
from .models import Contract, SLAResult, Statement
from .services import measure_and_store
from .terms import staleness


def months_needing_refresh(contract: Contract, *, lake: Lake, now: dt.datetime) -> list[dt.date]:
    """The open months of the contract whose stored results are out of date or have matured."""
    closed = set(Statement.objects.filter(contract=contract).values_list("period", flat=True))
    results = [
        r
        for r in SLAResult.objects.filter(sla__contract=contract).select_related("sla__contract")
        if r.period not in closed
    ]
    stale = staleness(results, lake)
    months = {r.period for r in results if stale[r.pk].out_of_date}
    months |= {r.period for r in results if r.provisional and r.final_from and r.final_from <= now}
    return sorted(months)


def refresh_contract(contract_id: int, actor_id: int | None = None, *, now: dt.datetime | None = None) -> list[dt.date]:
    """Recompute the contract's open months that need it; the audit names who changed the terms
    (or "system" for a scheduled run). Returns the months recomputed."""
    now = now or dt.datetime.now(dt.UTC)
    lake = Lake(settings.LAKE_URI)
    contract = Contract.objects.filter(pk=contract_id).first()
    if contract is None:
        return []
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    months = months_needing_refresh(contract, lake=lake, now=now)
    for period in months:
        with transaction.atomic():
            # closed in the meantime? then it stays as billed
            if not Statement.objects.filter(contract=contract, period=period).exists():
                measure_and_store(actor, contract, period, lake=lake, now=now)
    return months


def sweep(*, now: dt.datetime | None = None) -> dict[int, list[dt.date]]:
    """Every contract's open months brought up to date: new lake data, matured results."""
    return {c.pk: refresh_contract(c.pk, now=now) for c in Contract.objects.order_by("pk")}


def remind_overdue_signoffs(*, now: dt.datetime | None = None) -> list[Statement]:
    """Remind both sides of each statement awaiting the partner past its sign-off period, once a day:
    an email to the partner's leads and the client's contract editors, and an event on the statement."""
    from concord.accounts.models import User
    from concord.accounts.roles import Role

    from .month_close import record_event

    now = now or dt.datetime.now(dt.UTC)
    reminded = []
    for st in Statement.objects.select_related("contract__provider"):
        if not st.signoff_overdue(now) or st.events.filter(
            text__startswith="Reminder", at__gte=now - dt.timedelta(days=1)
        ):
            continue
        partner = User.objects.filter(provider=st.contract.provider, role=Role.PROVIDER_LEAD, is_active=True)
        client = User.objects.filter(provider__isnull=True, role__in=[Role.CLIENT_ADMIN, Role.MANAGER], is_active=True)
        subject = f"Sign-off overdue: credit statement {st.contract.name} {st.period:%B %Y}"
        body = (
            f"The credit statement of {st.period:%B %Y} for {st.contract.name} was issued on {st.closed_at:%d %b %Y} "
            f"and is still {st.get_status_display().lower()}. The partner accepts it or disputes named lines "
            "on the statement page in Concord."
        )
        notify.send(
            users=[*partner, *client],
            subject=subject,
            body=body,
            provider=st.contract.provider,
            url=f"{reverse('contracts:statement', args=[st.contract_id])}?period={st.period:%Y-%m}",
            key=f"signoff-overdue-{st.pk}-{now:%Y-%m-%d}",
        )
        record_event(
            User(username="system", role=Role.CLIENT_ADMIN),
            st,
            f"Reminder sent: sign-off overdue since {st.signoff_due:%d %b %Y}.",
        )
        reminded.append(st)
    return reminded
