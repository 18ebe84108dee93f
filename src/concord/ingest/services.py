"""Every ingest: upload (background task), API batch and CLI file, recorded as one IngestRun each.

The engine (``concord.ingest.engine``, no Django) reads, validates, quarantines
and commits; these functions decide who may load what, bind a partner's rows to
their own provider, pass the known references from the database and record the
run's counts, versions and progress. Page, API and CLI call these.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import getpass
import hashlib
import io
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from concord.accounts import access, audit
from concord.accounts.roles import Cap
from concord.jobs import lifecycle
from concord.lake import blobs
from concord.lake.store import Lake
from concord.providers.models import Agent, AgentExternalId, Provider, Site

from . import locks
from .engine.mapping import References
from .engine.profiles import (
    IngestOptions,
    Profile,
    profile_from_dict,
)
from .engine.readers import expected_rows
from .engine.run import MAX_API_ROWS, IngestResult, ingest_file, ingest_rows
from .models import IngestRun
from .profile_services import IngestRefused, profile_for_run, resolve_profile

#: the progress row is written at most this often (seconds)
PROGRESS_EVERY = 0.5
#: rejected rows kept on the run itself (the quarantine file has them all)
REJECTIONS_KEPT = 200


def _update(run_pk: int, **fields) -> None:
    """Write run fields directly (progress, results): the run's own bookkeeping, a sign of life, no audit row."""
    lifecycle.touch(IngestRun, run_pk, **fields)


# --- runs --------------------------------------------------------------------------------------------


def _bound_provider(actor, provider: Provider | None) -> Provider | None:
    """The provider every row is bound to: a partner's own, always; the client's choice otherwise."""
    if actor is None:  # the local operator at the command line
        return provider
    access.require(actor, Cap.INGEST)
    if actor.provider_id is not None:
        if provider is not None:
            access.require_for_provider(actor, Cap.INGEST, provider.pk)
        return actor.provider
    return provider


def references(provider: Provider | None) -> References:
    """The codes rows may name, from the database: providers, sites and agents (employee or external ids)."""
    sites = Site.objects.all()
    agents = Agent.objects.all()
    external = AgentExternalId.objects.all()
    if provider is not None:
        sites = sites.filter(provider=provider)
        agents = agents.filter(provider=provider)
        external = external.filter(agent__provider=provider)
    return References(
        providers=set(Provider.objects.values_list("code", flat=True)),
        sites=set(sites.values_list("code", flat=True)),
        agents=set(agents.values_list("employee_id", flat=True)) | set(external.values_list("external_id", flat=True)),
    )


def _safe_name(name: str) -> str:
    base = Path(name or "upload").name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:120] or "upload"


def _run_dir(run: IngestRun) -> Path:
    """The run's own folder; the random part keeps a reset database from reusing another run's folder."""
    return Path(settings.INGEST_DIR) / "runs" / f"{run.pk:06d}-{secrets.token_hex(4)}"


@transaction.atomic
def _new_run(*, actor, via, file_name, profile: Profile, provider, dry_run) -> IngestRun:
    run = IngestRun(
        started_by=actor,
        started_by_name=getattr(actor, "username", "") or getpass.getuser(),
        via=via,
        file_name=file_name[:255],
        profile_name=profile.name,
        profile_definition=profile.to_dict(),
        table=profile.table,
        provider=provider,
        dry_run=dry_run,
    )
    return audit.create(actor=actor, instance=run)


def start_upload(*, actor, uploaded_file, profile_name: str, provider: Provider | None = None,
                 dry_run: bool = False, options: IngestOptions | None = None) -> IngestRun:
    """Keep the uploaded file and queue its ingest as a background task; the run page shows progress."""
    bound = _bound_provider(actor, provider)
    profile = profile_for_run(profile_name, options, bound)
    _check_upload_size(uploaded_file)
    with transaction.atomic():
        run = _new_run(actor=actor, via=IngestRun.Via.UPLOAD, file_name=uploaded_file.name, profile=profile,
                       provider=bound, dry_run=dry_run)
        # Kept in the lake's store, not on this web host's disk: any worker host can run the ingest.
        target = blobs.files_uri(settings.LAKE_URI, _run_dir(run).name, _safe_name(uploaded_file.name))
        local = Path(target) if blobs.is_local(target) else staging_dir() / f"upload-{run.pk}-{secrets.token_hex(4)}"
        local.parent.mkdir(parents=True, exist_ok=True)
        sha = hashlib.sha256()
        size = 0
        try:
            with local.open("wb") as out:
                for chunk in uploaded_file.chunks():
                    out.write(chunk)
                    sha.update(chunk)
                    size += len(chunk)
            rows = expected_rows(local, profile.format)
            blobs.put_file(local, target)
        finally:
            if not blobs.is_local(target):
                local.unlink(missing_ok=True)
        _update(
            run.pk,
            file_path=target,
            file_sha256=sha.hexdigest(),
            progress_total_bytes=size,
            progress_total_rows=rows,
        )
        run.refresh_from_db()
        from .tasks import ingest_run_task

        transaction.on_commit(lambda: ingest_run_task.enqueue(run.pk))
    return run


def _check_upload_size(uploaded_file) -> None:
    limit_mb = settings.INGEST_MAX_UPLOAD_MB
    size = uploaded_file.size or 0
    if size > limit_mb * 1_000_000:
        raise IngestRefused(
            f"{uploaded_file.name} is {size / 1_000_000:,.1f} MB; the upload page takes files up to {limit_mb:,} MB. "
            "Split the export, or load it with `concord ingest` on the server.",
            field="file",
        )


@contextlib.contextmanager
def table_lock(table: str, *, dry_run: bool = False):
    """One writer per fact table at a time across every host of the deployment (see ``locks``).

    The lake's commits are atomic, but two concurrent first writes of the same
    keys would both land; runs of one table therefore queue behind each other.
    """
    if dry_run:
        yield
        return
    with locks.table_lock(table):
        yield


def run_ingest(run_id: int, *, progress: Callable[[int, int, int], None] | None = None) -> IngestRun:
    """The task body: ingest the run's file and record the outcome. A failed or killed run can run again."""
    run = IngestRun.objects.select_related("provider").get(pk=run_id)
    if run.status == IngestRun.Status.SUCCEEDED:
        return run
    lifecycle.start(IngestRun, run.pk, progress_rows=0, progress_bytes=0)
    recorder = _ProgressRecorder(run.pk, progress)
    try:
        profile = _run_profile(run)
        with lifecycle.running(IngestRun, run.pk), table_lock(profile.table, dry_run=run.dry_run):
            result = _ingest_file_locked(run, profile, recorder)
    except Exception as exc:  # the run must end marked failed, whatever broke
        _fail(run.pk, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        recorder.close()
    _record(run.pk, result)
    run.refresh_from_db()
    return run


def _ingest_file_locked(run: IngestRun, profile: Profile, recorder) -> IngestResult:
    with _local_copy(run) as path:
        result = _ingest_local(run, path, profile, recorder)
    if result.quarantine_path and run.via == IngestRun.Via.UPLOAD and not blobs.is_local(run.file_path):
        # beside the upload in the lake's store, where any web host can serve it
        kept = run.file_path.rsplit("/", 1)[0] + "/quarantine.csv"
        blobs.put_file(result.quarantine_path, kept)
        Path(result.quarantine_path).unlink(missing_ok=True)
        result.quarantine_path = kept
    return result


@contextlib.contextmanager
def _local_copy(run: IngestRun):
    """A local path of the run's file: itself when on this host's disk (a local lake, the CLI), else
    a copy from the lake's store in this host's staging folder, removed afterwards."""
    if blobs.is_local(run.file_path):
        yield Path(run.file_path)
        return
    local = staging_dir() / f"run-{run.pk}-{secrets.token_hex(4)}" / run.file_path.rsplit("/", 1)[-1]
    try:
        yield blobs.fetch(run.file_path, local)
    finally:
        shutil.rmtree(local.parent, ignore_errors=True)


def _ingest_local(run: IngestRun, path: Path, profile: Profile, recorder) -> IngestResult:
    return ingest_file(
        path,
        profile,
        Lake(settings.LAKE_URI),
        bound_provider=run.provider.code if run.provider else None,
        references=references(run.provider),
        dry_run=run.dry_run,
        progress=recorder,
        run_id=str(run.pk),
        quarantine_path=_quarantine_target(run),
        staging_dir=staging_dir(),
        customer_key_secret=settings.CUSTOMER_KEY_SECRET,
    )


def staging_dir() -> Path:
    """Where runs stage rows before the lake commit: this deployment's own folder, so that the
    maintenance sweep removes only its own killed runs' leftovers."""
    folder = Path(settings.INGEST_DIR) / "staging"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _quarantine_target(run: IngestRun) -> Path:
    """Next to the uploaded file; in a fresh run folder for files ingested where they lie (CLI)."""
    if run.via == IngestRun.Via.UPLOAD and run.file_path and blobs.is_local(run.file_path):
        return Path(run.file_path).parent / "quarantine.csv"
    return _run_dir(run) / "quarantine.csv"


def _run_profile(run: IngestRun) -> Profile:
    # the run replays the profile it stored, options included; falling back to the named profile would
    # silently drop the program and time zone the person gave (a stored definition that no longer
    # validates fails the run, naming why)
    if run.profile_definition:
        return profile_from_dict(run.profile_definition)
    return resolve_profile(run.profile_name)


class _ProgressRecorder:
    """Keeps the run row's progress fresh for the page, at most every ``PROGRESS_EVERY`` seconds.

    The engine may call ``progress`` from a writer thread of the lake (the Delta
    writer pulls batches itself), where Django's connection is not ours to use.
    So calls only note the numbers; the calling thread writes them when it is
    the run's own thread, and otherwise a small flusher thread with its own
    connection does, when the run is not inside a transaction (a worker's run).
    """

    def __init__(self, run_pk: int, also: Callable[[int, int, int], None] | None):
        self.run_pk, self.also = run_pk, also
        self.owner = threading.get_ident()
        self.latest: tuple[int, int, int] | None = None
        self.written: tuple[int, int, int] | None = None
        self.last = 0.0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.flusher = None
        if not transaction.get_connection().in_atomic_block:
            self.flusher = threading.Thread(target=self._flush_loop, name=f"ingest-progress-{run_pk}", daemon=True)
            self.flusher.start()

    def __call__(self, rows: int, done: int, total: int) -> None:
        if self.also is not None:
            self.also(rows, done, total)
        with self.lock:
            self.latest = (rows, done, total)
        if self.flusher is None and threading.get_ident() == self.owner:
            now = time.monotonic()
            if now - self.last >= PROGRESS_EVERY:
                self.last = now
                self._write()

    def _write(self) -> None:
        with self.lock:
            latest = self.latest
        if latest is None or latest == self.written:
            return
        rows, done, total = latest
        _update(self.run_pk, progress_rows=rows, progress_bytes=done, progress_total_bytes=total or 0)
        self.written = latest

    def _flush_loop(self) -> None:
        from django.db import connection

        try:
            while not self.stop.wait(PROGRESS_EVERY):
                self._write()
        finally:
            connection.close()

    def close(self) -> None:
        if self.flusher is not None:
            self.stop.set()
            self.flusher.join(timeout=5)


def _fail(run_pk: int, message: str) -> None:
    lifecycle.fail(IngestRun, run_pk, message)


def read_rejections(path: str | Path | None, limit: int | None = REJECTIONS_KEPT) -> list[dict]:
    """The first rejected rows of a quarantine file (local, or in the lake's store) as {row, column, reason}."""
    if not path or not blobs.exists(str(path)):
        return []
    out = []
    with _text(str(path)) as fh:
        for record in csv.DictReader(fh):
            if limit is not None and len(out) >= limit:
                break
            row = record.get("_row")
            out.append({
                "row": int(row) if row and row.isdigit() else None,
                "column": record.get("_column") or None,
                "reason": record.get("_reason") or "",
            })
    return out


@contextlib.contextmanager
def _text(uri: str):
    with blobs.open_read(uri) as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        yield fh


def _record(run_pk: int, result: IngestResult) -> None:
    fields = {
        "read": result.read,
        "accepted": result.accepted,
        "rejected": result.rejected,
        "skipped": result.skipped,
        "skip_reasons": result.skip_reasons,
        "inserted": result.inserted,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "version_before": result.version_before,
        "version_after": result.version_after,
        "duration_seconds": round(result.duration, 3),
        "new_agents": result.new_agents,
        "quarantine_path": result.quarantine_path or "",
        "rejections": read_rejections(result.quarantine_path),
        "progress_rows": result.read,
    }
    if result.file_sha256:
        fields["file_sha256"] = result.file_sha256
    run = IngestRun.objects.get(pk=run_pk)
    if run.progress_total_bytes and not result.errors:
        fields["progress_bytes"] = run.progress_total_bytes
    if result.errors:
        lifecycle.fail(IngestRun, run_pk, "; ".join(result.errors), **fields)
    elif result.read and not result.accepted:
        # a run that loaded nothing is no success, however orderly its end
        rows = f"{result.read:,} row{'s' if result.read != 1 else ''}"
        message = f"0 of {rows} accepted; every row was rejected (see the rows and their reasons)."
        lifecycle.fail(IngestRun, run_pk, message, **fields)
    else:
        lifecycle.succeed(IngestRun, run_pk, **fields)
    if not result.dry_run and result.version_after != result.version_before:
        from .tasks import warm_pages_task

        # a new lake version: the worker computes the pages' default views before anyone asks
        transaction.on_commit(warm_pages_task.enqueue)
    if result.moved:
        # only a client's run (bound to no provider) can move facts between providers: say who did
        audit.record(actor=run.started_by, action="update", instance=run,
                     before={"moved_between_providers": 0}, after={"moved_between_providers": result.moved})


def retry(*, actor, run: IngestRun) -> IngestRun:
    """Queue a failed run again; the lake was left as it was, so running it again completes it."""
    access.require_for_provider(actor, Cap.INGEST, run.provider_id)
    if run.status != IngestRun.Status.FAILED or not run.file_path:
        from django.core.exceptions import ValidationError

        raise ValidationError("Only a failed upload can be run again.")
    from .tasks import ingest_run_task

    return lifecycle.retry(actor=actor, job=run, enqueue=lambda: ingest_run_task.enqueue(run.pk))


def fail_stale_runs(now: dt.datetime | None = None) -> int:
    """Runs left 'running' by a process that died are marked failed (heartbeat-based; see ``concord.jobs``)."""
    return lifecycle.sweep(IngestRun, now)


def ingest_batch(*, actor, rows: list, profile_name: str, provider: Provider | None = None,
                 dry_run: bool = False, options: IngestOptions | None = None) -> tuple[IngestRun, list[dict]]:
    """Ingest one JSON batch now (API); returns the run and every rejected row (row, column, reason)."""
    bound = _bound_provider(actor, provider)
    if not isinstance(rows, list):
        raise IngestRefused("'rows' must be a JSON array of objects.")
    if len(rows) > MAX_API_ROWS:
        raise IngestRefused(f"{len(rows)} rows sent; send at most {MAX_API_ROWS} rows per batch.")
    profile = profile_for_run(profile_name, options, bound)
    run = _new_run(actor=actor, via=IngestRun.Via.API, file_name=f"api batch of {len(rows)} rows", profile=profile,
                   provider=bound, dry_run=dry_run)
    lifecycle.start(IngestRun, run.pk)
    try:
        with table_lock(profile.table, dry_run=dry_run):
            result = ingest_rows(
                rows,
                profile,
                Lake(settings.LAKE_URI),
                bound_provider=bound.code if bound else None,
                references=references(bound),
                dry_run=dry_run,
                run_id=str(run.pk),
                quarantine_path=_run_dir(run) / "quarantine.csv",
                name=f"api batch {run.pk}",
                staging_dir=staging_dir(),
                customer_key_secret=settings.CUSTOMER_KEY_SECRET,
            )
    except Exception as exc:
        _fail(run.pk, f"{type(exc).__name__}: {exc}")
        raise
    _record(run.pk, result)
    run.refresh_from_db()
    return run, read_rejections(result.quarantine_path, limit=None)


def ingest_path(*, actor, path: str | Path, profile_name: str, provider: Provider | None = None,
                dry_run: bool = False, progress: Callable[[int, int, int], None] | None = None,
                options: IngestOptions | None = None) -> IngestRun:
    """Ingest a local file now (CLI, demo), recorded like an upload. ``actor`` None: the local operator.

    The command line may name a profile file (the operator's own disk); pages and the API may not."""
    bound = _bound_provider(actor, provider)
    profile = profile_for_run(profile_name, options, bound, allow_file=True)
    path = Path(path)
    if not path.is_file():
        raise IngestRefused(f"{path}: no such file.")
    run = _new_run(actor=actor, via=IngestRun.Via.CLI, file_name=path.name, profile=profile, provider=bound,
                   dry_run=dry_run)
    _update(
        run.pk,
        file_path=str(path.resolve()),
        progress_total_bytes=path.stat().st_size,
        progress_total_rows=expected_rows(path, profile.format),
    )
    return run_ingest(run.pk, progress=progress)
