"""The governance sweep, a self-scheduling background task (``concord.jobs``' worker runs it):
escalation timers and step-ups, action reminders, meetings kept scheduled, pack drafts the day
before a meeting, and webhook retries that are due. Every part is idempotent, so running it twice,
or late, sends nothing twice."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

#: how often the sweep comes back (escalation targets are minutes apart, so it runs often)
SWEEP_EVERY = dt.timedelta(minutes=5)


def sweep(*, now: dt.datetime | None = None) -> dict:
    from django.utils import timezone

    from concord import reporting
    from concord.notifications.tasks import retry_due

    from . import escalations, services
    from .packs.drafts import draft_tomorrows_packs

    now = now or timezone.now()
    today = reporting.today(now=now)
    return {
        "escalations": escalations.check_timers(now=now),
        "reminders": services.send_action_reminders(today=today),
        "scheduled": services.schedule_all(today=today),
        "drafts": draft_tomorrows_packs(now=now),
        "webhook_retries": retry_due(now=now),
    }


@task()
def sweep_task(reschedule: bool = True) -> dict:
    done = sweep()
    if reschedule:
        sweep_task.using(run_after=dt.datetime.now(dt.UTC) + SWEEP_EVERY).enqueue(True)
    return done


def ensure_sweep_scheduled() -> bool:
    """Start the sweep's chain unless one is waiting or running (``concord.jobs.schedule.ensure_chain``)."""
    from concord.jobs.schedule import ensure_chain

    return ensure_chain(sweep_task, True)
