"""Leftovers of killed or failed ingests: staging folders, orphan Parquet files, upload temp files.

Never while a run is live: the cleaner takes every fact table's lock without
waiting (a run holds its table's lock for as long as it stages and commits, and
the lock dies with its process) and skips a table whose lock is held. Upload temp
files and run folders with no run have no lock; they must be an hour old.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings

from concord.lake.schemas import TABLES
from concord.lake.write import STAGING_PREFIX, local_dir

from . import locks
from .models import IngestRun

#: temp files and folders no lock protects are left alone this long (seconds)
UNLOCKED_MIN_AGE = 3600


def clean_leftovers() -> dict[str, int]:
    removed = {"staging folders": 0, "orphan parquet files": 0, "upload temp files": 0, "run folders": 0}
    with _all_table_locks() as free:
        if len(free) == len(TABLES):  # no ingest writes anywhere: staging folders are all leftovers
            removed["staging folders"] = _remove_staging()
        for table in free:
            removed["orphan parquet files"] += _remove_orphans(table)
    removed["upload temp files"] = _remove_old(Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()),
                                               "*.upload*")
    removed["run folders"] = _remove_run_folders_without_run()
    return removed


@contextlib.contextmanager
def _all_table_locks():
    """The tables whose write lock was free (and is held until the block ends)."""
    with contextlib.ExitStack() as stack:
        yield [table for table in TABLES if stack.enter_context(locks.table_lock(table, wait=False))]


def _remove_staging() -> int:
    from .services import staging_dir

    count = 0
    for path in staging_dir().glob(f"{STAGING_PREFIX}*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            count += 1
    return count


def _remove_orphans(table: str) -> int:
    """Parquet files in the table's folder that no version of the table ever added (a killed append's)."""
    from concord.lake.store import Lake

    folder = local_dir(Lake(settings.LAKE_URI).table_uri(table))
    if folder is None or not (folder / "_delta_log").is_dir():
        return 0
    referenced = _ever_added(folder / "_delta_log")
    count = 0
    for path in folder.rglob("*.parquet"):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith("_delta_log/") or rel in referenced:
            continue
        path.unlink(missing_ok=True)
        count += 1
    return count


def _ever_added(log: Path) -> set[str]:
    """Every file path any commit of the log added (older versions stay readable: their files are kept)."""
    paths: set[str] = set()
    for commit in log.glob("*.json"):
        with commit.open(encoding="utf-8") as fh:
            for line in fh:
                action = json.loads(line) if line.strip() else {}
                if "add" in action:
                    paths.add(unquote(action["add"]["path"]))
    if any(log.glob("*.checkpoint*.parquet")):
        from deltalake import DeltaTable

        for uri in DeltaTable(str(log.parent)).file_uris():
            path = local_dir(uri)
            with contextlib.suppress(ValueError):
                paths.add(path.relative_to(log.parent).as_posix())
    return paths


def _remove_old(folder: Path, pattern: str) -> int:
    count = 0
    cutoff = time.time() - UNLOCKED_MIN_AGE
    for path in folder.glob(pattern):
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                count += 1
    return count


def _remove_run_folders_without_run() -> int:
    """Folders of runs whose row was never committed (the request died while the file was saved)."""
    runs = Path(settings.INGEST_DIR) / "runs"
    if not runs.is_dir():
        return 0
    known = {f"{pk:06d}" for pk in IngestRun.objects.values_list("pk", flat=True)}
    cutoff = time.time() - UNLOCKED_MIN_AGE
    count = 0
    for path in runs.iterdir():
        prefix = path.name.split("-", 1)[0]
        with contextlib.suppress(OSError):
            if path.is_dir() and prefix not in known and path.stat().st_mtime < cutoff:
                shutil.rmtree(path, ignore_errors=True)
                count += 1
    return count
