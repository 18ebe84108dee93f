"""Action items: the one-call signature other apps use, owners on either side, reminders sent once."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404

from concord.governance import services
from concord.governance.models import Action
from concord.notifications.models import Notification


def test_create_action_from_a_cause_in_one_call(world, django_capture_on_commit_callbacks):
    world.users["partner_a_lead"].email = "lead@pa.example"
    world.users["partner_a_lead"].save()
    with django_capture_on_commit_callbacks(execute=True):
        a = services.create_action(
            user=world.users["client_admin"], title="Explain the AHT rise", owner=world.users["partner_a_lead"],
            due=dt.date(2026, 6, 10), cause_kind="drift_alert", cause_id="17", cause_url="/performance/alerts/17/",
        )  # fmt: skip
    assert (a.provider, a.owner_side, a.cause_kind, a.cause_id) == (world.partner_a, "partner", "drift_alert", "17")
    assert (
        Notification.objects.get(user=world.users["partner_a_lead"]).subject
        == "New action for you: Explain the AHT rise"
    )
    assert [m.to for m in mail.outbox] == [["lead@pa.example"]]


def test_an_owner_from_another_partner_is_refused(world):
    with pytest.raises(ValidationError, match="cannot own"):
        services.create_action(user=world.users["client_admin"], title="x", owner=world.users["partner_b_lead"],
                               due=dt.date(2026, 6, 1), provider=world.partner_a)  # fmt: skip
    with pytest.raises(Http404):
        services.create_action(user=world.users["partner_b_lead"], title="x", owner=world.users["partner_b_lead"],
                               due=dt.date(2026, 6, 1), provider=world.partner_a)  # fmt: skip
    assert not Action.objects.exists()


def test_reminders_before_due_and_when_overdue_go_out_once_each(world):
    admin, lead = world.users["client_admin"], world.users["partner_a_lead"]
    a = services.create_action(user=lead, title="Retrain night shift", owner=lead, due=dt.date(2026, 6, 10))
    # 5 days before: nothing; 2 days before: a "due" reminder; again that day: nothing more
    assert services.send_action_reminders(today=dt.date(2026, 6, 5)) == 0
    assert services.send_action_reminders(today=dt.date(2026, 6, 8)) == 1
    assert services.send_action_reminders(today=dt.date(2026, 6, 9)) == 0
    # overdue from 11 June: one "overdue" reminder
    assert services.send_action_reminders(today=dt.date(2026, 6, 11)) == 1
    assert services.send_action_reminders(today=dt.date(2026, 6, 12)) == 0
    kinds = sorted(Notification.objects.filter(user=lead).values_list("kind", flat=True))
    assert kinds == ["governance.action_due", "governance.action_overdue"]
    # done: no reminder ever again
    services.action_update(actor=admin, action=a, status="done")
    a.refresh_from_db()
    assert a.closed_at is not None and not a.is_open
