"""Acknowledgement reminders: once on publication, once when overdue, leads told how many are behind; never twice."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from concord.knowledge import reminders, services
from concord.notifications.models import Notification


def test_reminders_once_each_and_leads_hear_when_overdue(world, publish, django_capture_on_commit_callbacks):
    version = publish("returns", "Returns", "Take the return.", requires_ack=True, ack_due_days=7)
    agent_user = world.users["partner_a_agent"]
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders.send()
        again = reminders.send()
    assert first == {"published": 1, "overdue": 0, "leads": 0}  # only partner A's agent has a login
    assert again == {"published": 0, "overdue": 0, "leads": 0}
    notice = Notification.objects.get(user=agent_user)
    assert notice.subject == "Please read and acknowledge “Returns” (version 1)"
    assert notice.url == f"/knowledge/articles/{version.article_id}/"
    assert [m.to for m in mail.outbox] == [[agent_user.email]]
    later = timezone.now() + dt.timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        overdue = reminders.send(now=later)
    # the agent again (overdue), and one lead per partner with agents behind (A: 1, B: 1; the internal team has none)
    assert overdue == {"published": 0, "overdue": 1, "leads": 2}
    lead_a = Notification.objects.get(user=world.users["partner_a_lead"])
    assert lead_a.subject == "1 of your agents have not acknowledged “Returns” (overdue)"
    assert not Notification.objects.filter(user=world.users["partner_b_lead"], provider_id=world.partner_a.pk).exists()
    services.acknowledge(user=agent_user, version=version)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send(now=later + dt.timedelta(hours=1)) == {"published": 0, "overdue": 0, "leads": 0}
