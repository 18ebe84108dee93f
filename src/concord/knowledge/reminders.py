"""Acknowledgement reminders through the notification channels (in-app inbox and email).

For the current version of every article that asks for an acknowledgement: each agent with a
login who has not acknowledged it is told once when it is published and once when it is overdue;
when it is overdue, each partner's leads get one notice with how many of their agents are behind.
Every notice has a key, so running this again sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone

from concord.accounts.access import LOGIN_SOURCE
from concord.accounts.models import User
from concord.accounts.roles import Role
from concord.notifications.services import notify
from concord.providers.models import Agent

from . import audience as audiences
from .adoption import _providers_serving, current_required_versions
from .models import Acknowledgement
from .selectors import person_of


def send(*, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    versions = current_required_versions()
    serving = _providers_serving({v.article.program_id for v in versions})
    logins = dict(
        Agent.objects.filter(external_ids__source=LOGIN_SOURCE).values_list("pk", "external_ids__external_id")
    )
    users = {u.username: u for u in User.objects.filter(username__in=logins.values(), is_active=True)}
    agents = list(
        Agent.objects.filter(role=Agent.Role.AGENT, exit_date__isnull=True)
        .exclude(status=Agent.Status.EXITED)
        .select_related("provider", "site", "team")
    )
    sent = {"published": 0, "overdue": 0, "leads": 0}
    for version in versions:
        acked = set(Acknowledgement.objects.filter(version=version).values_list("agent_id", flat=True))
        overdue = now > version.created_at + dt.timedelta(days=version.ack_due_days)
        url = reverse("knowledge:article", args=[version.article_id])
        behind: dict[int, int] = defaultdict(int)
        for agent in agents:
            if agent.pk in acked or agent.provider_id not in serving[version.article.program_id]:
                continue
            if not audiences.admits(version.audience, person_of(agent)):
                continue
            behind[agent.provider_id] += 1
            user = users.get(logins.get(agent.pk, ""))
            if user is None:
                continue
            kind = "overdue" if overdue else "published"
            made = notify(
                recipients=[user], kind="knowledge", key=f"knowledge-{kind}-{version.pk}", url=url,
                subject=(f"Overdue: acknowledge “{version.title}” (version {version.number})" if overdue
                         else f"Please read and acknowledge “{version.title}” (version {version.number})"),
                body=version.note, provider=agent.provider,
            )  # fmt: skip
            sent[kind] += len(made)
        if overdue:
            for provider_id, count in behind.items():
                leads = User.objects.filter(provider_id=provider_id, role=Role.PROVIDER_LEAD, is_active=True)
                made = notify(
                    recipients=leads, kind="knowledge", key=f"knowledge-leads-{version.pk}-{provider_id}", url=url,
                    subject=f"{count} of your agents have not acknowledged “{version.title}” (overdue)",
                    provider=provider_id,
                )  # fmt: skip
                sent["leads"] += len(made)
    return sent
