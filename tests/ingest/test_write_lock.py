"""Two hosts ingesting overlapping files at once: no key stored twice, no update lost.

Two ingest processes stand in for two hosts: each has its own var and ingest
folders (nothing on a disk is shared but the lake), and they share the lake and
the database, as a web host and a worker host would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.compute as pc
import pytest
from django.db import connection

from concord.ingest import locks
from concord.ingest.models import IngestRun

from .conftest import csv_bytes, row

HOST = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from concord.ingest.services import ingest_path
print("ready", flush=True)
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.02)
run = ingest_path(actor=None, path=sys.argv[1], profile_name="canonical-csv")
print(run.status, run.inserted, run.updated, run.unchanged, flush=True)
"""


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _waiting_for_advisory_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_hosts_ingesting_overlapping_files_store_each_key_once_and_keep_the_newer(world, lake, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("two processes share only a server database; the SQLite test database lives in memory")
    # given two files that overlap on 1,500 keys, the second holding newer versions of them (CSAT 5)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_bytes(csv_bytes(*(row(i, updated="2026-03-02T11:00:00Z", csat="3") for i in range(3000))))
    second.write_bytes(csv_bytes(*(row(i, updated="2026-03-02T12:00:00Z", csat="5") for i in range(1500, 4500))))
    go = tmp_path / "go"
    # and two hosts, each with its own folders, sharing only the lake and the database
    hosts = []
    for name, path in (("a", first), ("b", second)):
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="concord.settings",
            DATABASE_URL=_database_url(),
            LAKE_URI=str(lake.uri),
            CONCORD_VAR_DIR=str(tmp_path / f"host-{name}"),
            CONCORD_INGEST_DIR=str(tmp_path / f"host-{name}" / "ingest"),
        )
        env.pop("CACHE_URL", None)
        hosts.append(subprocess.Popen([sys.executable, "-c", HOST, str(path), str(go)], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    try:
        for host in hosts:
            assert host.stdout.readline().strip() == "ready", host.stderr.read()
        # when both start at once while the table's lock is held here, so that both wait on it together
        with locks.table_lock("interactions"):
            go.touch()
            deadline = time.monotonic() + 60
            while _waiting_for_advisory_locks() < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _waiting_for_advisory_locks() == 2, "both hosts queue on the one lock in the database"
        outputs = [host.communicate(timeout=120) for host in hosts]
    finally:
        for host in hosts:
            if host.poll() is None:
                host.kill()
    assert all(host.returncode == 0 for host in hosts), outputs
    # then every key is stored once: 4,500 distinct keys, 4,500 rows
    stored = lake.read_arrow("interactions", columns=["external_id", "csat"])
    assert stored.num_rows == 4500
    assert len(pc.unique(stored.column("external_id"))) == 4500
    # and the overlap holds the newer version whichever host committed last
    by_id = dict(zip(stored.column("external_id").to_pylist(), stored.column("csat").to_pylist(), strict=True))
    assert {by_id[f"T{i}"] for i in range(1500, 3000)} == {5}
    assert {by_id[f"T{i}"] for i in range(1500)} == {3}
    # and the two runs' counts add up: every key inserted exactly once
    runs = IngestRun.objects.all()
    assert sum(r.inserted for r in runs) == 4500 and {r.status for r in runs} == {IngestRun.Status.SUCCEEDED}


def test_the_sqlite_lock_sits_beside_the_database_not_in_a_hosts_ingest_folder(settings, tmp_path):
    # given an SQLite deployment whose database file every process opens
    database = tmp_path / "db" / "concord.sqlite3"
    database.parent.mkdir()
    real = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(database)
    try:
        # when two processes with different ingest folders name the table's lock
        settings.INGEST_DIR = tmp_path / "host-a"
        path_a = locks._lock_file("interactions")
        settings.INGEST_DIR = tmp_path / "host-b"
        path_b = locks._lock_file("interactions")
    finally:
        connection.settings_dict["NAME"] = real
    # then it is one file, beside the database
    assert path_a == path_b and path_a.parent == Path(f"{database}.locks")


def test_a_held_lock_is_refused_to_a_try_and_granted_once_released(tmp_path):
    # given the lock of a table held by one writer (a thread here; a process behaves alike)
    path = tmp_path / "t.lock"
    held, release = threading.Event(), threading.Event()

    def writer():
        with locks._file_lock(path, wait=True) as got:
            assert got
            held.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    assert held.wait(10)
    # when maintenance tries it without waiting, it is told no
    with locks._file_lock(path, wait=False) as got:
        assert got is False
    release.set()
    thread.join(10)
    # and once released, it is granted
    with locks._file_lock(path, wait=False) as got:
        assert got is True


def test_lock_keys_differ_per_table_and_per_lake():
    keys = {locks.lock_key(t, u) for t in ("interactions", "intervals") for u in ("/lake/a", "s3://b/lake")}
    assert len(keys) == 4 and all(-(2**63) <= k < 2**63 for k in keys)
