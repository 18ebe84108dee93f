"""The one job lifecycle: queue -> start -> beat -> succeed | fail, retry, and the stale sweep.

Each function takes the job's model class (a ``Job`` subclass) and primary key
and writes with ``update()``: it is the job's own bookkeeping, not a person's
change, so it has no audit row (``retry``, a person's act, has one).

Liveness is heartbeat-based. A running job beats every ``HEARTBEAT_EVERY``
seconds from a small thread (``running``); the worker process beats too
(``concord_worker``). A running job is dead, and marked failed by ``sweep``,
when its own heartbeat is older than ``STALE_AFTER`` or when the worker that
holds it no longer beats. A page can say plainly that no worker runs
(``worker_alive``), so queued work does not wait in silence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import threading
from collections.abc import Callable, Iterator

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Job, Worker

#: a running job and a worker say they are alive at least this often (seconds)
HEARTBEAT_EVERY = 10
#: silent this long: dead (six missed beats)
STALE_AFTER = dt.timedelta(seconds=60)
#: the job models the sweep looks after ("app_label.Model"); a new background job adds itself here
JOB_MODELS = ("ingest.IngestRun", "planning.Forecast", "performance.DriftScan")
DEAD_MESSAGE = (
    "The process running this job stopped (no sign of life for a minute); nothing of it was kept, "
    "so it can be started again."
)
#: the name of the worker this process is, when it is one (set by ``concord_worker``)
CURRENT_WORKER = {"name": ""}


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:1000]


def touch(model: type[Job], pk: int, /, **fields) -> None:
    """The job is alive (and, optionally, these fields changed: progress, results)."""
    model.objects.filter(pk=pk).update(heartbeat_at=timezone.now(), **fields)


def start(model: type[Job], pk: int, /, **fields) -> None:
    now = timezone.now()
    model.objects.filter(pk=pk).update(
        status=Job.Status.RUNNING, started_at=now, finished_at=None, heartbeat_at=now, error_message="",
        worker=CURRENT_WORKER["name"], attempts=F("attempts") + 1, **fields,
    )  # fmt: skip


def succeed(model: type[Job], pk: int, /, **fields) -> None:
    now = timezone.now()
    model.objects.filter(pk=pk).update(
        status=Job.Status.SUCCEEDED, finished_at=now, heartbeat_at=now, error_message="", **fields
    )


def fail(model: type[Job], pk: int, message: str, /, **fields) -> None:
    now = timezone.now()
    model.objects.filter(pk=pk).update(
        status=Job.Status.FAILED, finished_at=now, heartbeat_at=now, error_message=_one_line(message), **fields
    )


def retry(*, actor, job: Job, enqueue: Callable[[], object]) -> Job:
    """A person queues a failed job again: audited, enqueued once the change is committed."""
    from django.core.exceptions import ValidationError

    from concord.accounts import audit

    if job.status != Job.Status.FAILED:
        raise ValidationError("Only a failed job can be run again.")
    with transaction.atomic():
        audit.update(actor=actor, instance=job, changes={"status": Job.Status.QUEUED, "error_message": ""})
        transaction.on_commit(enqueue)
    return job


@contextlib.contextmanager
def running(model: type[Job], pk: int) -> Iterator[None]:
    """Beat for job ``pk`` from a thread while the body runs (the body may hold the GIL-free engine for minutes).

    Inside a transaction (tests, an API request) no thread can see the row, and the request ends soon: no beat.
    """
    if transaction.get_connection().in_atomic_block:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        from django.db import connection

        try:
            while not stop.wait(HEARTBEAT_EVERY):
                touch(model, pk)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-heartbeat-{model._meta.label_lower}-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


# --- workers -------------------------------------------------------------------------------------


def worker_beat(name: str) -> None:
    now = timezone.now()
    updated = Worker.objects.filter(name=name).update(seen_at=now)
    if not updated:
        Worker.objects.create(name=name, started_at=now, seen_at=now)


def worker_gone(name: str) -> None:
    Worker.objects.filter(name=name).delete()


def live_workers(now: dt.datetime | None = None):
    now = now or timezone.now()
    return Worker.objects.filter(seen_at__gte=now - STALE_AFTER)


def worker_alive(now: dt.datetime | None = None) -> bool:
    """Whether any task worker beat recently: without one, uploads and forecasts wait."""
    return live_workers(now).exists()


def waiting_for_worker() -> bool:
    """Queued jobs wait for a worker that is not running (tasks that run at once need none)."""
    from django.conf import settings

    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return not backend.endswith("ImmediateBackend") and not worker_alive()


# --- the sweep -------------------------------------------------------------------------------------


def sweep(model: type[Job], now: dt.datetime | None = None) -> int:
    """Running jobs whose process died are marked failed (so they can run again); returns how many.

    Dead: no heartbeat for ``STALE_AFTER``, or held by a worker that no longer beats.
    """
    now = now or timezone.now()
    alive = set(live_workers(now).values_list("name", flat=True))
    running_jobs = model.objects.filter(status=Job.Status.RUNNING)
    silent = running_jobs.filter(heartbeat_at__lt=now - STALE_AFTER) | running_jobs.filter(heartbeat_at__isnull=True)
    orphaned = running_jobs.exclude(worker="").exclude(worker__in=alive)
    dead = list((silent | orphaned).values_list("pk", flat=True))
    if not dead:
        return 0
    return model.objects.filter(pk__in=dead, status=Job.Status.RUNNING).update(
        status=Job.Status.FAILED, finished_at=now, error_message=DEAD_MESSAGE
    )


def sweep_all(now: dt.datetime | None = None) -> dict[str, int]:
    from django.apps import apps

    return {label: sweep(apps.get_model(label), now) for label in JOB_MODELS}
