"""Background work for knowledge: acknowledgement reminders, hourly, run by the task worker."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

REMIND_EVERY = dt.timedelta(hours=1)


@task()
def reminders_task(reschedule: bool = True) -> dict:
    """Send due acknowledgement reminders, then come back in an hour (a self-scheduling chain:
    ``ensure_reminders_scheduled`` starts it when Concord serves or a worker starts)."""
    from .reminders import send
    from .transition.services import sweep

    try:
        return send() | {"transition_slip_notices": sweep()}  # milestones behind plan: told once, like reminders
    finally:
        if reschedule:
            reminders_task.using(run_after=dt.datetime.now(dt.UTC) + REMIND_EVERY).enqueue(True)


def ensure_reminders_scheduled() -> bool:
    from concord.jobs.schedule import ensure_chain

    return ensure_chain(reminders_task, True)
