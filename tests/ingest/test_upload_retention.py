"""Uploads kept in the lake's ``_files/`` leave it once their ingest finished ``INGEST_UPLOAD_RETENTION_DAYS``
ago: the folder (file and quarantine) goes, the run forgets both paths, its counts stay."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from concord.accounts.models import AuditEntry
from concord.ingest import retention, services
from concord.ingest.models import IngestRun
from concord.lake import blobs

from .conftest import csv_bytes, row, upload


def _upload(actor, capture, name: str, data: bytes) -> IngestRun:
    with capture(execute=True):
        run = services.start_upload(actor=actor, uploaded_file=upload(name, data), profile_name="canonical-csv")
    run.refresh_from_db()
    return run


def uploads_leave_the_store_after_their_retention(actor, capture) -> None:
    """The whole story on whatever lake ``settings.LAKE_URI`` names (also run on an s3:// lake)."""
    settings.INGEST_UPLOAD_RETENTION_DAYS = 7
    # given a finished upload with one refused row (no created_at), so a quarantine file beside it
    run = _upload(actor, capture, "march.csv", csv_bytes(row(1), row(2, created="")))
    assert (run.status, run.accepted, run.rejected) == (IngestRun.Status.SUCCEEDED, 1, 1)
    folder = run.file_path.rsplit("/", 1)[0]
    assert folder.startswith(blobs.files_uri(settings.LAKE_URI) + "/")
    assert blobs.exists(run.file_path) and blobs.exists(run.quarantine_path)
    assert run.quarantine_path.startswith(folder + "/")
    # and another, still queued (a worker has yet to run it): never touched, however old
    waiting = services.start_upload(
        actor=actor, uploaded_file=upload("later.csv", csv_bytes(row(3))), profile_name="canonical-csv"
    )
    waiting.refresh_from_db()
    assert waiting.status == IngestRun.Status.QUEUED and blobs.exists(waiting.file_path)
    # when the cleaner looks six days after the run finished: within the retention, nothing goes
    assert retention.remove_expired_uploads(run.finished_at + dt.timedelta(days=6)) == {"kept uploads removed": 0}
    assert blobs.exists(run.file_path)
    # when it looks eight days after: the run's folder is gone, the run forgets the paths, audited
    later = run.finished_at + dt.timedelta(days=8)
    assert retention.remove_expired_uploads(later) == {"kept uploads removed": 1}
    gone_file, gone_quarantine = run.file_path, run.quarantine_path
    assert not blobs.exists(gone_file) and not blobs.exists(gone_quarantine)
    run.refresh_from_db()
    assert (run.file_path, run.quarantine_path, run.accepted, run.rejected) == ("", "", 1, 1)
    assert not run.has_quarantine and run.rejections  # the first refused rows stay on the run
    entry = AuditEntry.objects.filter(object_id=str(run.pk), action="update").latest("pk")
    assert entry.actor is None and entry.after["file_path"] == "" and entry.before["file_path"] == gone_file
    # and the queued upload is still there; a second pass finds nothing more
    assert blobs.exists(waiting.file_path)
    assert retention.remove_expired_uploads(later) == {"kept uploads removed": 0}


def test_uploads_leave_a_local_lake_after_their_retention(world, client_admin, django_capture_on_commit_callbacks):
    uploads_leave_the_store_after_their_retention(client_admin, django_capture_on_commit_callbacks)


def test_a_cli_ingest_file_is_never_removed(world, client_admin, tmp_path, lake):
    # a file ingested from the server's disk is the operator's, not a kept upload
    path = tmp_path / "server.csv"
    path.write_bytes(csv_bytes(row(1)))
    run = services.ingest_path(actor=client_admin, path=path, profile_name="canonical-csv")
    assert run.status == IngestRun.Status.SUCCEEDED
    assert retention.remove_expired_uploads(run.finished_at + dt.timedelta(days=30)) == {"kept uploads removed": 0}
    assert path.exists()


def test_the_daily_chain_is_started_once_and_books_its_next_run(world, settings):
    from django_tasks_db.models import DBTaskResult

    from concord.ingest.tasks import ensure_upload_retention_scheduled, upload_retention_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert ensure_upload_retention_scheduled() is True
    assert ensure_upload_retention_scheduled() is False  # one chain, however often Concord restarts
    assert upload_retention_task.call(True) == {"kept uploads removed": 0}  # what the worker runs
    assert DBTaskResult.objects.filter(task_path=upload_retention_task.module_path).count() == 2  # + tomorrow's
