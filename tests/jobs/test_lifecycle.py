"""#9.9 and "one job lifecycle": heartbeats, the dead-worker sweep, the no-worker notice, leftovers cleaned."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from concord.ingest import maintenance, services
from concord.ingest.engine.run import ingest_file
from concord.ingest.models import IngestRun
from concord.jobs import lifecycle
from concord.jobs.models import Worker
from concord.lake.store import Lake
from concord.lake.write import STAGING_PREFIX
from concord.planning.models import Forecast

HEADER = "source,external_id,provider,program,channel,created_at,updated_at"


def csv_bytes(*ids) -> bytes:
    rows = [f"zd,T{i},PA,SHARED,voice,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z" for i in ids]
    return (HEADER + "\n" + "\n".join(rows) + "\n").encode()


def _run(**fields) -> IngestRun:
    return IngestRun.objects.create(started_by_name="x", via="upload", file_name="a.csv",
                                    profile_name="canonical-csv", **fields)


def test_a_job_held_by_a_worker_that_stopped_beating_fails_at_once(world, client_admin):
    # given two running jobs with a fresh heartbeat: one held by a live worker, one by a worker gone silent
    now = timezone.now()
    Worker.objects.create(name="host:1", seen_at=now)
    Worker.objects.create(name="host:2", seen_at=now - dt.timedelta(minutes=5))
    alive = _run(status="running", heartbeat_at=now, worker="host:1")
    orphan = _run(status="running", heartbeat_at=now, worker="host:2")
    forecast = Forecast.objects.create(program=world.program_shared, grain="D", horizon_days=7, version=1,
                                       status="running", heartbeat_at=now, worker="host:2", created_by=client_admin)
    from concord.performance.models import DriftScan

    scan = DriftScan.objects.create(through=dt.date(2026, 3, 1), status="running", heartbeat_at=now, worker="host:2")
    # when the sweep runs (a page, the worker's start, the maintenance task)
    counts = lifecycle.sweep_all(now)
    # then the orphans are failed now, not after a 15- or 30-minute wait, and the live one runs on
    assert counts == {"ingest.IngestRun": 1, "planning.Forecast": 1, "performance.DriftScan": 1}
    assert DriftScan.objects.get(pk=scan.pk).status == "failed"
    statuses = {r.pk: r.status for r in IngestRun.objects.all()}
    assert statuses == {alive.pk: "running", orphan.pk: "failed"}
    forecast.refresh_from_db()
    assert forecast.status == "failed" and "stopped" in forecast.error_message


def test_start_counts_attempts_and_names_the_worker(world):
    run = _run()
    lifecycle.CURRENT_WORKER["name"] = "host:9"
    try:
        lifecycle.start(IngestRun, run.pk)
        lifecycle.fail(IngestRun, run.pk, "boom\nsecond line")
        lifecycle.start(IngestRun, run.pk)
    finally:
        lifecycle.CURRENT_WORKER["name"] = ""
    run.refresh_from_db()
    assert (run.status, run.attempts, run.worker, run.error_message) == ("running", 2, "host:9", "")
    assert run.heartbeat_at is not None


def test_pages_and_api_say_plainly_when_no_worker_runs(world, login, settings):
    # given the real (database) task backend and no worker running, and one queued upload
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = login(world.users["client_admin"])
    run = _run()
    # then the runs list, the upload page and the run page say so, and the API says the run waits
    for url in (reverse("ingest:runs"), reverse("ingest:upload"), reverse("ingest:run", args=[run.pk])):
        assert "No background worker is running" in client.get(url).content.decode(), url
    assert client.get(reverse("ingest-run-detail", args=[run.pk])).json()["waiting_for_worker"] is True
    # when a worker beats, the notice goes
    lifecycle.worker_beat("host:1")
    assert "No background worker is running" not in client.get(reverse("ingest:runs")).content.decode()
    assert client.get(reverse("ingest-run-detail", args=[run.pk])).json()["waiting_for_worker"] is False


def _orphan(lake_uri: str) -> Path:
    folder = Path(lake_uri) / "interactions" / "created_month=2026-03"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "part-00001-deadbeef-c000.snappy.parquet"
    path.write_bytes(b"PAR1 left by a killed append")
    return path


@pytest.mark.django_db(transaction=True)
def test_leftovers_are_removed_but_never_while_a_run_is_live(tmp_path, settings):
    # given a table with one committed version, a killed append's orphan file and a killed run's staging folder
    lake = Lake(settings.LAKE_URI)
    first = tmp_path / "first.csv"
    first.write_bytes(csv_bytes(1))
    assert ingest_file(first, "canonical-csv", lake).version_after == 0
    orphan = _orphan(settings.LAKE_URI)
    killed = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=services.staging_dir()))
    # and a live run: it stages its rows and is paused just before its commit, holding its table's lock
    second = tmp_path / "second.csv"
    second.write_bytes(csv_bytes(2, 3))
    staged, go_on, result = threading.Event(), threading.Event(), {}
    from concord.ingest.engine import run as engine_run

    real_commit = engine_run.commit_batches

    def paused_commit(*args, before_commit=None, **kwargs):
        def pause():
            before_commit()
            staged.set()
            go_on.wait(30)

        return real_commit(*args, before_commit=pause, **kwargs)

    def live_run():
        engine_run.commit_batches = paused_commit
        try:
            with services.table_lock("interactions"):
                result["run"] = ingest_file(second, "canonical-csv", lake, staging_dir=services.staging_dir())
        finally:
            engine_run.commit_batches = real_commit

    worker = threading.Thread(target=live_run)
    worker.start()
    try:
        assert staged.wait(30)
        live_staging = [p for p in services.staging_dir().glob(f"{STAGING_PREFIX}*") if p != killed]
        assert live_staging
        # when the maintenance runs while that run is live
        removed = maintenance.clean_leftovers()
        # then nothing of the live table and no staging folder is touched
        assert removed["staging folders"] == 0 and removed["orphan parquet files"] == 0
        assert orphan.exists() and killed.exists() and all(p.exists() for p in live_staging)
    finally:
        go_on.set()
        worker.join(30)
    assert result["run"].inserted == 2
    # and once no run is live, the leftovers go and every version still reads
    removed = maintenance.clean_leftovers()
    assert removed["orphan parquet files"] == 1 and removed["staging folders"] >= 1
    assert not orphan.exists() and not killed.exists()
    assert lake.read_arrow("interactions").num_rows == 3
    from deltalake import DeltaTable

    assert DeltaTable(lake.table_uri("interactions"), version=0).to_pyarrow_table().num_rows == 1
