"""One ingest run: read -> map and validate -> quarantine bad rows -> one commit.

``ingest_file`` and ``ingest_rows`` never raise for bad input: structural
problems come back as ``IngestResult.errors`` (one sentence each) with nothing
written. Invariant: ``read == accepted + rejected + skipped``.

Duplicate keys inside one file are found by hashing each accepted row's key
(``keys``) and checking, just before the lake commits, that no hash repeats.
When one does, nothing is committed and the file is read again, this time
comparing the real keys of the suspect rows exactly, so the first occurrence
is kept and later ones are rejected.

Typed fast path: for a CSV profile whose every mapped column is a plain 1:1
copy (the canonical export), pyarrow converts numbers, booleans and ISO 8601
date-times with offsets while parsing (about half the reader's CPU), and
``map_batch`` validates the typed arrays by the same rules. That read holds
no raw text for the quarantine, so any cell pyarrow cannot convert and any row
a rule rejects abandons it before the lake commits: the file is read again
from the start as text, which quarantines exactly as before. A UTF-8 file is
parsed in byte ranges on every core (``ranges``); a cut that may have split a
quoted line break sends it back to one typed stream.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from concord.lake.schemas import TABLES
from concord.lake.store import Lake
from concord.lake.write import ROW_COLUMN, commit_batches

from .bounds import check_bounds
from .keys import SortedRuns, key_hashes
from .mapping import Context, References, map_batch
from .memory import no_huge_pages
from .prefetch import prefetch
from .profiles import Profile, ProfileError, load_profile, missing_required, typed_columns
from .readers import (
    _MAGIC as BINARY_MAGIC,
)
from .readers import (
    IngestError,
    RangesUnsafe,
    SerialReadNeeded,
    Source,
    TypedReadFailed,
    open_csv,
    open_json_records,
    open_jsonl,
    open_parquet,
    records_source,
)
from .sidefiles import HashingFile, Quarantine, file_sha256
from .transforms import TRANSFORMS

MAX_API_ROWS = 10_000
#: Why a row whose key another provider holds is rejected. It names nothing of the stored row (not even
#: that one exists is confirmed beyond the refusal itself), whatever its provider or ``updated_at``.
KEY_NOT_YOURS = "this key cannot be written by this provider's runs; use another external id"
Progress = Callable[[int, int, int], None]
#: Passes that read typed and committed ("used"), and typed reads abandoned for the text path ("fallback").
TYPED_READS = {"used": 0, "fallback": 0}


@dataclass
class IngestResult:
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    skipped: int = 0  # rows that are not facts (deleted or sample tickets, superseded versions): not errors
    skip_reasons: dict[str, int] = field(default_factory=dict)
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    new_agents: list[dict] = field(default_factory=list)
    version_before: int | None = None
    version_after: int | None = None
    quarantine_path: str | None = None
    errors: list[str] = field(default_factory=list)
    file_sha256: str | None = None
    duration: float = 0.0
    run_id: str = ""
    profile: str = ""
    table: str = ""
    dry_run: bool = False
    source_rows: int = 0  # rows in the file before any transform (events for an event log)
    moved: int = 0  # rows a client's run moved from one provider to another

    @property
    def ok(self) -> bool:
        return not self.errors


class _Duplicates(Exception):
    pass


def _open(path: Path, profile: Profile) -> Source:
    if profile.format == "csv":
        return open_csv(path, delimiter=profile.delimiter, encoding=profile.encoding)
    if profile.format == "parquet":
        return open_parquet(path)
    if profile.format == "jsonl":
        return open_jsonl(path)
    return open_json_records(path, profile.records)


def _required_fields(profile: Profile, columns: list[str], name: str, dupes: list[str]) -> None:
    specs = [spec for spec in profile.columns.values() if spec.field and not spec.optional]
    mapped = {spec.present_field(columns) or spec.field for spec in specs}
    if profile.transform:
        return  # the transform checks its own inputs
    ambiguous = sorted(mapped & set(dupes))
    if ambiguous:
        raise IngestError(
            f"{name}: the column name(s) {', '.join(map(repr, ambiguous))} appear more than once in the header; "
            "rename the duplicates so each column has one name."
        )
    missing = sorted(mapped - set(columns))
    if missing:
        raise IngestError(
            f"{name}: missing required column(s) {', '.join(map(repr, missing))} for profile {profile.name!r}; "
            f"found: {', '.join(map(repr, columns[:30]))}. Check the delimiter and the profile."
        )


#: where a person gives a value the file lacks, per required column
ASK_FOR = {
    "provider": 'the provider (--provider, the Provider field, "provider" in an API batch)',
    "program": 'the program (--program, the Program field, "program" in an API batch)',
}


def _check_sources(profile: Profile, ctx: Context) -> None:
    missing = missing_required(profile, given=tuple(ctx.constants), provider_bound=bool(ctx.bound_provider))
    if missing:
        asks = [ASK_FOR.get(name, f"{name!r} (add it to the profile)") for name in missing]
        raise IngestError(
            f"profile {profile.name!r} gives no value for the required column{'s' * (len(missing) > 1)} "
            f"{', '.join(map(repr, missing))}; give {' and '.join(asks)}."
        )


def ingest_file(
    path: str | Path,
    profile: str | Path | dict | Profile,
    lake: Lake,
    *,
    bound_provider: str | None = None,
    references: References | None = None,
    constants: dict | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    run_id: str | None = None,
    quarantine_path: str | Path | None = None,
    staging_dir: str | Path | None = None,
    customer_key_secret: bytes | None = None,
) -> IngestResult:
    """Ingest one file through ``profile`` into ``lake`` as at most one commit (staged in ``staging_dir``).

    ``customer_key_secret``: customer keys are stored as their keyed hash (see ``privacy``).
    """
    path = Path(path)
    with no_huge_pages():
        return _ingest(
            lambda prof, threads, types, ranges: _open_source(path, prof, threads, types, ranges),
            path.name,
            path,
            profile,
            lake,
            bound_provider=bound_provider,
            references=references,
            constants=constants,
            dry_run=dry_run,
            progress=progress,
            run_id=run_id,
            quarantine_path=quarantine_path,
            staging_dir=staging_dir,
            customer_key_secret=customer_key_secret,
        )


def ingest_rows(
    rows: list[dict],
    profile: str | Path | dict | Profile,
    lake: Lake,
    *,
    bound_provider: str | None = None,
    references: References | None = None,
    constants: dict | None = None,
    dry_run: bool = False,
    run_id: str | None = None,
    quarantine_path: str | Path | None = None,
    name: str = "api batch",
    staging_dir: str | Path | None = None,
    customer_key_secret: bytes | None = None,
) -> IngestResult:
    """Ingest a JSON batch (list of objects, at most ``MAX_API_ROWS``) the same way as a file."""
    if len(rows) > MAX_API_ROWS:
        return IngestResult(errors=[f"{name}: {len(rows)} rows sent; send at most {MAX_API_ROWS} rows per batch."])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        return IngestResult(errors=[f"{name}: expected a JSON array of objects."])
    return _ingest(
        lambda prof, threads, types, ranges: (records_source(rows), None),
        name,
        None,
        profile,
        lake,
        bound_provider=bound_provider,
        references=references,
        constants=constants,
        dry_run=dry_run,
        progress=None,
        run_id=run_id,
        quarantine_path=quarantine_path,
        staging_dir=staging_dir,
        customer_key_secret=customer_key_secret,
    )


def _open_source(path: Path, profile: Profile, threads: bool = True, types: dict | None = None, ranges=True):
    if not path.exists():
        raise IngestError(f"{path.name}: no such file.")
    if path.stat().st_size == 0:
        raise IngestError(f"{path.name}: the file is empty; export it again with a header row and data rows.")
    if profile.format == "csv":
        _check_line_breaks(path)
    if profile.format == "csv" and not profile.transform:
        # Rows stream through the hashing file (or the ranges' reader feeds it) so the bytes are read once.
        hashing = HashingFile(path)
        try:
            source = open_csv(
                path,
                delimiter=profile.delimiter,
                encoding=profile.encoding,
                data=hashing,
                threads=threads,
                types=types,
                true_values=profile.true_values,
                false_values=profile.false_values,
                ranges=ranges,
            )
        except BaseException:
            hashing.close()
            raise
        return source, hashing
    return _open(path, profile), None


#: A CSV whose first this-many bytes hold no line break is not a CSV export (a header is never that long).
LINE_BREAK_WITHIN = 1 << 20


def _check_line_breaks(path: Path) -> None:
    """A CSV of one line has no data rows; one long line is not an export at all: say so, not "empty"."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(LINE_BREAK_WITHIN)
    if b"\n" in head or b"\r" in head or head.startswith(tuple(BINARY_MAGIC)):
        return  # a ZIP, Parquet or PDF: the reader names what it is, which says more than "one line"
    if size <= LINE_BREAK_WITHIN:
        raise IngestError(
            f"{path.name}: the file holds a single line and no data rows; a CSV export needs a header line "
            "followed by one line per row."
        )
    raise IngestError(
        f"{path.name}: no line break in the first {LINE_BREAK_WITHIN // (1 << 20)} MB of this "
        f"{size / 1_000_000:,.0f} MB file, so it is not a CSV export (one line per row); export it again as CSV."
    )


def _ingest(
    opener,
    name,
    path,
    profile_ref,
    lake,
    *,
    bound_provider,
    references,
    constants,
    dry_run,
    progress,
    run_id,
    quarantine_path,
    staging_dir=None,
    customer_key_secret=None,
) -> IngestResult:
    started = time.perf_counter()
    run_id = run_id or uuid.uuid4().hex[:12]
    result = IngestResult(run_id=run_id, dry_run=dry_run)
    try:
        profile = load_profile(profile_ref)
    except ProfileError as exc:
        result.errors.append(str(exc))
        return result
    result.profile, result.table = profile.name, profile.table
    ctx = Context(
        profile,
        TABLES[profile.table],
        run_id,
        bound_provider,
        dict(constants or {}),
        references or References(),
        customer_key_secret,
    )
    result.version_before = result.version_after = lake.version(profile.table)
    qpath = (
        Path(quarantine_path)
        if quarantine_path
        else Path(tempfile.gettempdir()) / "concord-quarantine" / f"{Path(name).stem}.{run_id}.quarantine.csv"
    )
    suspects: np.ndarray | None = None
    threads = ranges = True
    types = typed_columns(profile) if path is not None else None
    for _attempt in range(6):  # ranges -> one typed stream -> text -> serial text -> exact duplicates
        try:
            _check_sources(profile, ctx)
            source, hashing = opener(profile, threads, types, ranges)
            _required_fields(profile, source.columns, name, getattr(source, "duplicate_names", []))
            counts = _Pass(source, ctx, name, qpath, hashing, path, progress, suspects, typed=types is not None)
            stream = prefetch(counts.accepted_batches())
            # a dry run classifies like a real one (what would be inserted, updated, refused) and commits nothing
            commit = commit_batches(
                lake, profile.table, stream, before_commit=counts.check_unique, owner=ctx.bound_provider,
                staging_dir=staging_dir, dry_run=dry_run,
            )
            result.inserted, result.updated, result.unchanged = commit.inserted, commit.updated, commit.unchanged
            result.version_after, result.moved = commit.version_after, commit.moved
            counts.refuse(commit.refused, ctx.table.key)
        except IngestError as exc:
            result.errors.append(str(exc))
            _finish(result, locals().get("counts"), started)
            return result
        except TypedReadFailed:
            # A cell or row only the text path can judge and quarantine: read the whole file again as text.
            _discard(locals().get("counts"))
            TYPED_READS["fallback"] += 1
            types = None
            continue
        except RangesUnsafe:
            # A cut between ranges may have split a quoted line break: read typed again, in one stream.
            _discard(locals().get("counts"))
            ranges = False
            continue
        except SerialReadNeeded:
            # A malformed row: read again without threads so its row number is known.
            _discard(locals().get("counts"))
            threads, types = False, None
            continue
        except Exception:
            found = locals().get("counts")
            if found is not None and found.suspects is not None and suspects is None:
                _discard(found)
                suspects = found.suspects  # duplicates: read again, exactly
                types = None  # the rejected duplicates go to the quarantine as text
                continue
            raise
        if types is not None:
            TYPED_READS["used"] += 1
        break
    _finish(result, counts, started)
    return result


def _discard(counts) -> None:
    """Close what an abandoned pass opened before the file is read again."""
    if counts is None:
        return
    counts.quarantine.close()
    if counts.hashing is not None:
        counts.hashing.close()


def _finish(result: IngestResult, counts, started: float) -> None:
    if counts is not None:
        result.read, result.accepted, result.rejected = counts.read, counts.accepted, counts.rejected
        result.skipped, result.skip_reasons = counts.skipped, dict(counts.skip_reasons)
        result.source_rows = counts.source_rows
        result.new_agents = sorted(counts.new_agents.values(), key=lambda d: tuple(str(v) for v in d.values()))
        result.quarantine_path = counts.quarantine.close()
        result.file_sha256 = counts.sha256()
    result.duration = time.perf_counter() - started


class _Pass:
    """One read of the source; yields accepted canonical batches, tallies the rest."""

    def __init__(
        self, source: Source, ctx: Context, name: str, qpath: Path, hashing, path, progress, suspects, typed=False
    ):
        self.source, self.ctx, self.name, self.typed = source, ctx, name, typed
        self.quarantine = Quarantine(qpath, source.columns)
        self.skipped_set: set[int] = set()
        self.hashing, self.path, self.progress = hashing, path, progress
        self.total_bytes = path.stat().st_size if path is not None else 0
        self.read = self.accepted = self.rejected = self.skipped = self.source_rows = 0
        self.skip_reasons: dict[str, int] = {}
        self.new_agents: dict[tuple, dict] = {}
        self.known_suspects = suspects
        self.first_seen: dict[tuple, int] = {}
        self.hashes = SortedRuns()
        self.suspects: np.ndarray | None = None
        self.duck = duckdb.connect(config={"threads": 1})

    def sha256(self) -> str | None:
        if self.hashing is not None and self.hashing.done == self.total_bytes:
            return self.hashing.hexdigest()
        return file_sha256(self.path) if self.path is not None else None

    def _raw_batches(self) -> Iterator[tuple[pa.RecordBatch, np.ndarray]]:
        profile = self.ctx.profile
        if profile.transform:
            batches = list(self.source.batches)
            table = (
                pa.Table.from_batches(batches)
                if batches
                else pa.table({c: pa.array([], pa.string()) for c in self.source.columns})
            )
            self.source_rows = table.num_rows
            table = table.append_column("_row", pa.array(np.arange(1, table.num_rows + 1), pa.int64()))
            options = dict(profile.transform_options, _document=getattr(self.source, "document", None))
            out = self._skip(TRANSFORMS[profile.transform](table, options, self.name))
            self.quarantine = Quarantine(self.quarantine.path, out.column_names)
            for batch in out.to_batches(max_chunksize=100_000):
                yield batch, batch.column("_row").to_numpy(zero_copy_only=False)
            return
        next_row = 1
        skipped: set[int] = set()  # data rows pyarrow skipped as malformed
        for batch in self.source.batches:
            n = batch.num_rows
            malformed = self._drain_malformed()
            if malformed:
                skipped.update(r for r, _, _ in malformed)
                self.read += len(malformed)
                self.rejected += len(malformed)
                self.quarantine.malformed(malformed)
            ahead = sum(1 for r in skipped if r >= next_row)
            if ahead:
                candidates = np.arange(next_row, next_row + n + ahead)
                rows = candidates[~np.isin(candidates, np.fromiter(skipped, np.int64))][:n]
            else:
                rows = np.arange(next_row, next_row + n)
            next_row = int(rows[-1]) + 1 if n else next_row
            self.source_rows += n
            yield batch, rows
        malformed = self._drain_malformed()
        if malformed:
            self.read += len(malformed)
            self.rejected += len(malformed)
            self.quarantine.malformed(malformed)

    def _skip(self, rows: pa.Table) -> pa.Table:
        """Drop the rows a transform marked ``_skip`` (not facts at all), counting them as read and skipped."""
        if "_skip" not in rows.column_names:
            return rows
        reasons = rows.column("_skip")
        for item in pc.value_counts(reasons.drop_null().combine_chunks()).to_pylist():
            self.skip_reasons[item["values"]] = self.skip_reasons.get(item["values"], 0) + item["counts"]
        n_skipped = len(reasons) - reasons.null_count
        self.read += n_skipped
        self.skipped += n_skipped
        return rows.filter(pc.is_null(reasons)).drop_columns(["_skip"])

    def _drain_malformed(self) -> list[tuple[int, str, str]]:
        """Take the malformed rows found so far; the reader's threads may append more meanwhile."""
        found = self.source.malformed
        taken = found[: len(found)]
        del found[: len(taken)]
        return taken

    def accepted_batches(self) -> Iterator[pa.RecordBatch]:
        table = self.ctx.table
        for raw, rows in self._raw_batches():
            n = raw.num_rows
            if n == 0:
                continue
            canonical, problems, new_agents = map_batch(raw, self.ctx)
            check_bounds(canonical, self.ctx.table.name, problems)
            if self.ctx.profile.transform and "_reason" in raw.schema.names:  # rows a transform could not build
                problems.add(pc.is_valid(raw.column("_reason")), "", raw.column("_reason"))
            ok = pc.invert(problems.flagged)
            key_hash = key_hashes(self.duck, canonical, self.ctx.table.key)
            if self.known_suspects is not None:
                ok = self._reject_duplicates(canonical, rows, key_hash, ok, problems)
            self.read += n
            rejected = pc.invert(ok)
            n_bad = pc.sum(rejected.cast(pa.int64())).as_py() or 0
            if n_bad and self.typed:
                raise TypedReadFailed(self.name)  # the quarantine needs the row's text: read it as text
            if n_bad:
                self.quarantine.write(
                    raw.filter(rejected),
                    pa.array(rows).filter(rejected),
                    problems.column.filter(rejected),
                    problems.reason.filter(rejected),
                )
            self.rejected += n_bad
            self.accepted += n - n_bad
            for agent in new_agents:
                self.new_agents.setdefault(tuple(agent.values()), agent)
            self.hashes.add(key_hash[ok.to_numpy(zero_copy_only=False)] if n_bad else key_hash)
            if self.progress is not None:
                done = self.hashing.done if self.hashing is not None else 0
                self.progress(self.read, done, self.total_bytes)
            if n_bad < n:
                # the row numbers ride along so that a row the lake refuses can be quarantined by number
                numbered = canonical.append_column(ROW_COLUMN, pa.array(rows, pa.int64()))
                yield numbered.filter(ok) if n_bad else numbered
        del table

    def refuse(self, refused: pa.Table | None, key: tuple[str, ...]) -> None:
        """Rows the lake refused (their key is another provider's): rejected, quarantined by row number."""
        if refused is None or not refused.num_rows:
            return
        n = refused.num_rows
        self.accepted -= n
        self.rejected += n
        for batch in refused.to_batches():
            k = batch.num_rows
            self.quarantine.write(
                batch,
                batch.column(ROW_COLUMN),
                pa.repeat(pa.scalar(",".join(key)), k),
                pa.repeat(pa.scalar(KEY_NOT_YOURS), k),
            )

    def check_unique(self) -> None:
        """Raise ``_Duplicates`` (keeping the suspect hashes) when a key hash repeats; run before the commit."""
        if self.known_suspects is not None or not self.hashes.runs:
            return  # the exact pass rejected the duplicates itself
        all_hashes = self.hashes.merged()
        repeated = all_hashes[1:][all_hashes[1:] == all_hashes[:-1]]
        if len(repeated):
            self.suspects = np.unique(repeated)
            raise _Duplicates(f"{len(repeated)} duplicate keys")

    def _reject_duplicates(self, canonical, rows, key_hash, ok, problems):
        suspect = np.isin(key_hash, self.known_suspects) & ok.to_numpy(zero_copy_only=False)
        if not suspect.any():
            return ok
        key_cols = [canonical.column(k).to_pylist() for k in self.ctx.table.key]
        dup = np.zeros(len(rows), dtype=bool)
        first_at = [None] * len(rows)
        for i in np.flatnonzero(suspect):
            k = tuple(col[i] for col in key_cols)
            if k in self.first_seen:
                dup[i] = True
                first_at[i] = f"duplicate key in file (first at row {self.first_seen[k]})"
            else:
                self.first_seen[k] = int(rows[i])
        mask = pa.array(dup)
        problems.add(mask, ",".join(self.ctx.table.key), pa.array(first_at, pa.string()))
        return pc.invert(problems.flagged)
