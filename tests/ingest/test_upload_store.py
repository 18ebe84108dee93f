"""Uploads are kept in the lake's store, so a worker on another host can run them."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from concord.ingest import services
from concord.ingest.models import IngestRun

from .conftest import csv_bytes, row


def test_an_upload_is_kept_under_the_lake_and_its_rejections_beside_it(world, lake, ingest_settings,
                                                                      django_capture_on_commit_callbacks):
    # given an upload with one good and one bad row
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_upload(actor=world.users["client_admin"], profile_name="canonical-csv",
                                    uploaded_file=SimpleUploadedFile("a.csv", csv_bytes(row(1), row(2, wait="x"))))
    run.refresh_from_db()
    # then the file sits in the lake's store, not under this host's ingest folder, and the worker ran it
    lake_files = Path(ingest_settings.LAKE_URI) / "_files"
    assert Path(run.file_path).is_relative_to(lake_files) and Path(run.file_path).read_bytes().startswith(b"source,")
    assert not list(Path(ingest_settings.INGEST_DIR).rglob("a.csv"))
    assert run.status == IngestRun.Status.SUCCEEDED and (run.accepted, run.rejected) == (1, 1)
    assert Path(run.quarantine_path).parent == Path(run.file_path).parent
