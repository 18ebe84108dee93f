"""Escalation records: targets from the ladder's calendar, breach flags, step-up, history, who may act.

Timers are hand-computed on Madrid's wall clock (business hours 09:00-17:00, Monday-Friday; the
clocks go forward on Sunday 29 March 2026, CET UTC+1 -> CEST UTC+2).
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from concord.governance import escalations
from concord.governance.models import Escalation
from concord.notifications.models import Notification

UTC = dt.UTC
FRIDAY_4PM = dt.datetime(2026, 3, 27, 15, 0, tzinfo=UTC)  # 16:00 CET


def _open(world, ladder, code="P2", at=FRIDAY_4PM, who="client_admin"):
    severity = ladder.severities.get(code=code)
    return escalations.open_escalation(actor=world.users[who], provider=world.partner_a, severity=severity,
                                       title="Queue outage", opened_at=at)  # fmt: skip


def test_business_targets_skip_the_weekend_and_breaches_step_up_once(world, ladder):
    e = _open(world, ladder)
    # response 120 business min: 60 on Friday, 60 on Monday from 09:00 CEST -> Mon 10:00 CEST = 08:00 UTC
    assert e.response_due_at == dt.datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    # resolution 960 business min: 60 Fri + 480 Mon + 420 Tue -> Tue 16:00 CEST = 14:00 UTC
    assert e.resolution_due_at == dt.datetime(2026, 3, 31, 14, 0, tzinfo=UTC)
    # Monday 07:59 UTC: nothing is late yet
    assert escalations.check_timers(now=dt.datetime(2026, 3, 30, 7, 59, tzinfo=UTC)) == []
    # Monday 08:30 UTC, not acknowledged: the response target is missed, up to level 2
    escalations.check_timers(now=dt.datetime(2026, 3, 30, 8, 30, tzinfo=UTC))
    e.refresh_from_db()
    assert (e.response_breached, e.resolution_breached, e.level) == (True, False, 2)
    # the sweep running again changes nothing
    escalations.check_timers(now=dt.datetime(2026, 3, 30, 9, 0, tzinfo=UTC))
    e.refresh_from_db()
    assert e.level == 2
    # Tuesday 14:00 UTC: resolution missed, up to level 3 (the top)
    escalations.check_timers(now=dt.datetime(2026, 3, 31, 14, 0, tzinfo=UTC))
    e.refresh_from_db()
    assert (e.resolution_breached, e.level) == (True, 3)
    kinds = [ev.kind for ev in e.events.all()]
    assert kinds == ["opened", "breach", "stepped_up", "breach", "stepped_up"]
    # the level-3 contact (the client admin) was told, once
    assert (
        Notification.objects.filter(user=world.users["client_admin"], kind="governance.escalation_breached").count()
        == 2
    )


def test_calendar_targets_run_through_the_weekend(world, ladder):
    e = _open(world, ladder, code="P1", at=dt.datetime(2026, 3, 28, 10, 0, tzinfo=UTC))  # Saturday
    assert e.response_due_at == dt.datetime(2026, 3, 28, 11, 0, tzinfo=UTC)
    assert e.resolution_due_at == dt.datetime(2026, 3, 28, 14, 0, tzinfo=UTC)


def test_acknowledging_stops_the_response_clock(world, ladder):
    e = _open(world, ladder)
    escalations.acknowledge(actor=world.users["partner_a_lead"], escalation=e, text="On it",
                            at=dt.datetime(2026, 3, 30, 7, 30, tzinfo=UTC))  # fmt: skip
    escalations.check_timers(now=dt.datetime(2026, 3, 30, 9, 0, tzinfo=UTC))
    e.refresh_from_db()
    assert (e.status, e.response_breached, e.level) == (Escalation.Status.ACKNOWLEDGED, False, 1)
    # acknowledging twice changes nothing
    escalations.acknowledge(actor=world.users["partner_a_lead"], escalation=e)
    assert e.events.filter(kind="acknowledged").count() == 1
    escalations.add_update(actor=world.users["partner_a_lead"], escalation=e, text="Carrier fixed it", resolve=True)
    e.refresh_from_db()
    assert e.status == Escalation.Status.RESOLVED
    assert escalations.check_timers(now=dt.datetime(2026, 4, 30, tzinfo=UTC)) == []


def test_another_partner_and_an_agent_cannot_touch_it(world, ladder):
    e = _open(world, ladder)
    with pytest.raises(Http404):
        escalations.acknowledge(actor=world.users["partner_b_lead"], escalation=e)
    with pytest.raises(PermissionDenied):
        escalations.acknowledge(actor=world.users["partner_a_agent"], escalation=e)
    e.refresh_from_db()
    assert e.acknowledged_at is None and e.events.count() == 1


def test_the_remaining_time_is_counted_in_the_severitys_basis(world, ladder):
    e = _open(world, ladder)
    # Saturday noon: no business time passes at weekends; 60 business minutes of the response remain
    left = escalations.remaining(e, now=dt.datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    assert left["response_minutes_left"] == 60 and left["basis"] == "business"
