"""Background work: an uploaded file's ingest, run by the task worker (``manage.py db_worker``), and the
daily removal of uploads kept past their retention."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

#: how often kept uploads past ``INGEST_UPLOAD_RETENTION_DAYS`` are looked for
UPLOAD_RETENTION_EVERY = dt.timedelta(days=1)


@task()
def ingest_run_task(run_id: int) -> dict:
    from . import services

    run = services.run_ingest(run_id)
    return {"run": run.pk, "status": run.status, "read": run.read, "rejected": run.rejected}


@task()
def warm_pages_task() -> dict:
    """Once a run committed a new lake version: the scorecard pages' default views, computed ahead."""
    from concord.performance.warm import warm_defaults

    return {"scorecards": warm_defaults()}


@task()
def upload_retention_task(reschedule: bool = True) -> dict:
    """Remove uploads kept past their retention, then come back tomorrow (a self-scheduling task:
    django-tasks has no scheduler of its own; ``ensure_upload_retention_scheduled`` starts the chain)."""
    from .retention import remove_expired_uploads

    try:
        return remove_expired_uploads()
    finally:
        if reschedule:
            upload_retention_task.using(run_after=dt.datetime.now(dt.UTC) + UPLOAD_RETENTION_EVERY).enqueue(True)


def ensure_upload_retention_scheduled() -> bool:
    """Start the daily chain unless one is already waiting or running (``concord.jobs.schedule``)."""
    from concord.jobs.schedule import ensure_chain

    return ensure_chain(upload_retention_task, True)
