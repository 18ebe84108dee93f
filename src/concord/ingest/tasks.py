"""Background work: an uploaded file's ingest, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def ingest_run_task(run_id: int) -> dict:
    from . import services

    run = services.run_ingest(run_id)
    return {"run": run.pk, "status": run.status, "read": run.read, "rejected": run.rejected}
