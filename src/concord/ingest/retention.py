"""Uploaded files leave the lake's store some days after their ingest finished.

An upload is kept in ``<lake>/_files/<run folder>/`` (with its quarantine file, if any
row was refused) so any worker host can run it and any web host can serve the refused
rows. Once the run has finished and ``INGEST_UPLOAD_RETENTION_DAYS`` have passed, the
folder is deleted and the run forgets both paths: it can no longer be retried or its
quarantine downloaded, which its page then stops offering. Its counts, first refused
rows and audit history stay. Run by the daily chain in ``tasks`` and by the maintenance
command; a second pass finds nothing more to do.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from concord.accounts import audit
from concord.lake import blobs

from .models import IngestRun


def expired_uploads(now: dt.datetime | None = None):
    """Finished upload runs whose file, kept in the lake's ``_files/``, is past the retention."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.INGEST_UPLOAD_RETENTION_DAYS)
    return IngestRun.objects.filter(
        via=IngestRun.Via.UPLOAD,
        status__in=[IngestRun.Status.SUCCEEDED, IngestRun.Status.FAILED],
        finished_at__lt=cutoff,
        file_path__startswith=blobs.files_uri(settings.LAKE_URI) + "/",
    ).order_by("pk")


def remove_expired_uploads(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete the kept folder of every expired upload and clear its paths on the run (audited)."""
    removed = 0
    for run in expired_uploads(now):
        folder = run.file_path.rsplit("/", 1)[0]
        changes = {"file_path": ""}
        if run.quarantine_path.startswith(folder + "/"):
            changes["quarantine_path"] = ""
        blobs.remove_folder(folder)
        with transaction.atomic():
            audit.update(actor=None, instance=run, changes=changes)
        removed += 1
    return {"kept uploads removed": removed}
