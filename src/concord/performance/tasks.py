"""Background work for performance: the daily drift scan, run by the task worker (``concord worker``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

#: how often the drift scan runs
DRIFT_SCAN_EVERY = dt.timedelta(days=1)


@task()
def drift_scan_task(reschedule: bool = True) -> dict:
    """Scan every provider x scorecard metric for drift, then come back tomorrow (a self-scheduling
    task, like the SLA sweep: django-tasks has no scheduler of its own; ``ensure_drift_scan_scheduled``
    starts the chain when Concord serves or a worker starts)."""
    from .drift_services import run_scan

    try:
        scan = run_scan()
    finally:
        if reschedule:
            drift_scan_task.using(run_after=dt.datetime.now(dt.UTC) + DRIFT_SCAN_EVERY).enqueue(True)
    return {"scan": scan.pk, "through": scan.through.isoformat(), "alerts_raised": scan.alerts_raised}


def ensure_drift_scan_scheduled() -> bool:
    """Start the daily chain unless one is already waiting or running (``concord.jobs.schedule``)."""
    from concord.jobs.schedule import ensure_chain

    return ensure_chain(drift_scan_task, True)
