"""Ingest tests write a lake and keep files: both go to a temporary folder; tasks run at once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from concord.lake.store import Lake

HEADER = "source,external_id,provider,site,agent,program,channel,created_at,resolved_at,updated_at,wait_seconds,csat"


def row(i, *, provider="PA", site="PA-S1", agent="PA-001", created="2026-03-02T10:00:00Z",
        resolved="2026-03-02T10:20:00Z", updated="2026-03-02T11:00:00Z", wait="12.5", csat="4"):
    return f"zd,T{i},{provider},{site},{agent},SHARED,voice,{created},{resolved},{updated},{wait},{csat}"


def csv_bytes(*rows) -> bytes:
    return (HEADER + "\n" + "\n".join(rows) + "\n").encode()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def json_row(i, **changes) -> dict:
    out = {
        "source": "feed", "external_id": f"F{i}", "provider": "PA", "program": "SHARED", "channel": "chat",
        "created_at": "2026-03-02T10:00:00Z", "resolved_at": "2026-03-02T10:05:00Z",
        "updated_at": "2026-03-02T10:06:00Z", "csat": 5,
    }
    out.update(changes)
    return out


@pytest.fixture(autouse=True)
def ingest_settings(settings, tmp_path):
    settings.LAKE_URI = str(tmp_path / "lake")
    settings.INGEST_DIR = tmp_path / "ingest"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return settings


@pytest.fixture
def lake(ingest_settings):
    return Lake(ingest_settings.LAKE_URI)
