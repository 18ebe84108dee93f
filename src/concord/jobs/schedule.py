"""Self-scheduling task chains: django-tasks has no scheduler, so a periodic task enqueues its next run.

``ensure_chain`` starts a chain unless one is already waiting or running (so restarts do not multiply it).
Only the database backend keeps tasks across processes; with any other backend it starts nothing.
"""

from __future__ import annotations


def ensure_chain(task, *args) -> bool:
    """Enqueue ``task(*args)`` unless a run of it is waiting or running; True when it enqueued one."""
    from django_tasks import task_backends

    if not type(task_backends["default"]).__module__.startswith("django_tasks_db"):
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=task.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    if waiting.exists():
        return False
    task.enqueue(*args)
    return True
