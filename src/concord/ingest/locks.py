"""The write lock of one fact table, shared by every host that writes the lake.

Delta commits are atomic, but two runs that both read "key not stored" and
then both append it would store it twice. So the runs of one table queue
behind each other, and the queue must be as wide as the set of writers: every
web, worker and CLI host of one deployment shares the database, not a disk.

- PostgreSQL: a session advisory lock on a connection of its own (the run's
  own connection opens and closes transactions meanwhile). The server drops
  it when the holder's connection ends, so a killed host never leaves it held.
- SQLite: the database is one file on one machine, so an ``flock`` on a file
  beside it is shared by exactly the processes that share the database, whatever
  their ``CONCORD_INGEST_DIR``. The kernel drops it when the holder dies.

The lock's identity is the lake's URI plus the table: two deployments on one
PostgreSQL with different lakes never wait for each other.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connections

#: advisory lock keys live in one 64-bit space shared with anything else on the server: ours are hashed
#: from this prefix, the lake's URI and the table
KEY_PREFIX = "concord-lake-write"


def lock_key(table: str, lake_uri: str | None = None) -> int:
    """The signed 64-bit advisory lock key of ``table`` in the lake at ``lake_uri`` (the configured one)."""
    uri = str(lake_uri or settings.LAKE_URI).rstrip("/")
    digest = hashlib.sha256(f"{KEY_PREFIX}\0{uri}\0{table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _is_postgres(alias: str = "default") -> bool:
    return connections[alias].vendor == "postgresql"


@contextlib.contextmanager
def table_lock(table: str, *, wait: bool = True) -> Iterator[bool]:
    """Hold ``table``'s write lock for the block; yields whether it is held.

    ``wait=False``: take it only if it is free now (maintenance skips a busy
    table); the block then runs either way and is told by the yielded value.
    """
    if _is_postgres():
        with _advisory_lock(lock_key(table), wait=wait) as held:
            yield held
    else:
        with _file_lock(_lock_file(table), wait=wait) as held:
            yield held


@contextlib.contextmanager
def _advisory_lock(key: int, *, wait: bool) -> Iterator[bool]:
    # A connection of its own: Django's may be closed or reset by the run's transactions meanwhile,
    # which would drop a session lock without a word.
    own = connections["default"].copy()
    try:
        with own.cursor() as cursor:
            if wait:
                cursor.execute("SELECT pg_advisory_lock(%s)", [key])
                held = True
            else:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
                held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with own.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    finally:
        own.close()


def _lock_file(table: str) -> Path:
    """Beside the SQLite file (every process of the deployment shares it); an in-memory test database has
    no file, so its locks sit in the ingest folder like before."""
    name = str(connections["default"].settings_dict.get("NAME") or "")
    digest = hashlib.sha256(str(settings.LAKE_URI).rstrip("/").encode()).hexdigest()[:12]
    if name and ":memory:" not in name and "mode=memory" not in name:
        folder = Path(f"{name}.locks")
    else:
        folder = Path(settings.INGEST_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{table}-{digest}.lock"


@contextlib.contextmanager
def _file_lock(path: Path, *, wait: bool) -> Iterator[bool]:
    with path.open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            held = True
        except BlockingIOError:
            held = False
        try:
            yield held
        finally:
            if held:
                fcntl.flock(fh, fcntl.LOCK_UN)
