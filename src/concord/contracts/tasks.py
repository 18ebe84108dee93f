"""Background work for SLA results, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

#: how often the sweep looks for new lake data and matured provisional results
SWEEP_EVERY = dt.timedelta(hours=1)


@task()
def refresh_contract_task(contract_id: int, actor_id: int | None = None) -> dict:
    from .refresh import refresh_contract

    months = refresh_contract(contract_id, actor_id)
    return {"contract": contract_id, "recomputed": [f"{m:%Y-%m}" for m in months]}


@task()
def sweep_task(reschedule: bool = True) -> dict:
    """Recompute what went out of date or matured, then come back in an hour (a self-scheduling
    task: django-tasks has no scheduler of its own; ``concord contracts sweep`` starts it)."""
    from .refresh import remind_overdue_signoffs, sweep

    done = sweep()
    remind_overdue_signoffs()
    if reschedule:
        sweep_task.using(run_after=dt.datetime.now(dt.UTC) + SWEEP_EVERY).enqueue(True)
    return {str(pk): [f"{m:%Y-%m}" for m in months] for pk, months in done.items() if months}


def ensure_sweep_scheduled() -> bool:
    """Start the sweep's hourly chain unless one is already waiting or running (so restarts do not
    multiply it); ``concord.jobs.schedule.ensure_chain``."""
    from concord.jobs.schedule import ensure_chain

    return ensure_chain(sweep_task, True)
