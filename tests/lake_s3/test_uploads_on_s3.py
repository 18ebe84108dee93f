"""Uploads kept in an s3:// lake's ``_files/`` leave the bucket after their retention, as on a local lake."""

from __future__ import annotations

from tests.ingest.test_upload_retention import uploads_leave_the_store_after_their_retention


def test_uploads_leave_an_s3_lake_after_their_retention(world, client_admin, s3_lake, settings, tmp_path,
                                                         django_capture_on_commit_callbacks):  # fmt: skip
    settings.LAKE_URI = s3_lake.uri
    settings.INGEST_DIR = tmp_path / "ingest"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    uploads_leave_the_store_after_their_retention(client_admin, django_capture_on_commit_callbacks)
