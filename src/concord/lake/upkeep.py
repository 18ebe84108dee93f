"""Keep a Delta table cheap to read: compact small files, vacuum what no kept version reads.

Every ingest batch adds a few files per month it touches; after a while a month
is hundreds of small files and every query opens them all. ``tidy`` rewrites
each partition's small files into few large ones (a commit that changes no
data), then deletes the files that no version within the retention still reads,
except those of the ``keep`` versions (what stored SLA results and closed
statements were computed from: see ``concord.jobs.pins``), which stay readable
however old.

The Delta log itself is kept whole (``delta.enableExpiredLogCleanup`` off):
without its log entry a pinned version could not be opened even with its files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.fs as pafs
from deltalake import DeltaTable

from .storage import is_object_store, pyarrow_filesystem

#: files below this size are compacted into files of about this size
TARGET_BYTES = 256 * 1024 * 1024
KEEP_LOG = {"delta.enableExpiredLogCleanup": "false"}


@dataclass(frozen=True)
class Tidied:
    table: str
    files_before: int
    files_after: int
    files_compacted: int
    files_vacuumed: int
    kept_versions: tuple[int, ...]


def tidy(uri: str, *, retention_hours: float, keep: set[int] | frozenset[int] = frozenset(),
         storage_options: dict[str, str] | None = None, target_bytes: int = TARGET_BYTES) -> Tidied:
    """Compact ``uri``'s small files, then vacuum files older than ``retention_hours`` that neither the
    latest version nor a ``keep`` version reads. The caller holds the table's write lock."""
    table = DeltaTable(uri, storage_options=storage_options)
    config = table.metadata().configuration or {}
    if any(config.get(k) != v for k, v in KEEP_LOG.items()):
        table.alter.set_table_properties(KEEP_LOG)
    before = len(table.file_uris())
    compacted = table.optimize.compact(target_size=target_bytes)
    table = DeltaTable(uri, storage_options=storage_options)
    latest = table.version()
    kept = tuple(sorted(v for v in keep if 0 <= v <= latest))
    options = dict(retention_hours=max(0, int(retention_hours)), enforce_retention_duration=False,
                   keep_versions=list(kept) or None)
    # deltalake lists the kept versions' files among the candidates though it keeps them; and a vacuum
    # commits twice even when it removes nothing: look first, so an idle table's version stays put
    protected = _files_of(uri, kept, storage_options)
    # it lists files an earlier vacuum deleted, too
    candidates = [_relative(f, uri) for f in table.vacuum(dry_run=True, **options)]
    removed = _existing(uri, [f for f in candidates if f not in protected])
    if removed:
        table.vacuum(dry_run=False, **options)
    return Tidied(uri.rstrip("/").rsplit("/", 1)[-1], before, len(table.file_uris()),
                  int(compacted.get("numFilesRemoved", 0)), len(removed), kept)


def _files_of(uri: str, versions: tuple[int, ...], storage_options) -> set[str]:
    files: set[str] = set()
    for version in versions:
        actions = DeltaTable(uri, version=version, storage_options=storage_options).get_add_actions()
        files.update(unquote(p) for p in pa.table(actions).column("path").to_pylist())
    return files


def _relative(path: str, uri: str) -> str:
    path = unquote(path)
    root = unquote(uri.rstrip("/")) + "/"
    return path[len(root):] if path.startswith(root) else path


def _existing(uri: str, paths: list[str]) -> list[str]:
    if not paths:
        return []
    fs, root = pyarrow_filesystem(uri) if is_object_store(uri) else (pafs.LocalFileSystem(), str(Path(uri).resolve()))
    infos = fs.get_file_info([f"{root.rstrip('/')}/{p}" for p in paths])
    return [p for p, info in zip(paths, infos, strict=True) if info.type == pafs.FileType.File]
