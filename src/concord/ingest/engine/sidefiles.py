"""Files a run writes or reads on the side: the quarantine CSV and the file's SHA-256, taken while it is read."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from concord.safetext import FORMULA_START_PATTERN, PLAIN_NUMBER_PATTERN


def spreadsheet_safe(text: pa.Array) -> pa.Array:
    """Text a spreadsheet would run as a formula gets a leading quote (OWASP CSV injection guidance).

    People open quarantine files in a spreadsheet to see what to fix; a row whose name is
    ``=HYPERLINK(...)`` must show as text there. Plain numbers ("-5") stay numbers.
    """
    risky = pc.and_(
        pc.match_substring_regex(text, FORMULA_START_PATTERN),
        pc.invert(pc.match_substring_regex(text, PLAIN_NUMBER_PATTERN)),
    )
    return pc.if_else(risky, pc.binary_join_element_wise("'", text, ""), text)


class Quarantine:
    """Rejected rows as CSV: the input columns plus _row, _column, _reason."""

    def __init__(self, path: Path, columns: list[str]):
        self.path = path
        self.columns = [c for c in columns if not c.startswith("_")]
        self.schema = pa.schema(
            [(c, pa.string()) for c in self.columns]
            + [("_row", pa.int64()), ("_column", pa.string()), ("_reason", pa.string())]
        )
        self.writer = None
        self.rows = 0

    def write(self, raw: pa.RecordBatch, rows: pa.Array, column: pa.Array, reason: pa.Array) -> None:
        arrays = []
        for c in self.columns:
            arrays.append(
                raw.column(c).cast(pa.string()) if c in raw.schema.names else pa.nulls(len(rows), pa.string())
            )
        arrays = [spreadsheet_safe(a) for a in [*arrays, column.cast(pa.string()), reason.cast(pa.string())]]
        batch = pa.RecordBatch.from_arrays([*arrays[:-2], rows.cast(pa.int64()), *arrays[-2:]], schema=self.schema)
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pacsv.CSVWriter(self.path, self.schema)
        self.writer.write_batch(batch)
        self.rows += len(rows)

    def malformed(self, rows: list[tuple[int, str, str]]) -> None:
        if not rows:
            return
        n = len(rows)
        raw = pa.RecordBatch.from_pydict({c: pa.nulls(n, pa.string()) for c in self.columns} or {"_": pa.nulls(n)})
        self.write(
            raw,
            pa.array([r[0] for r in rows]),
            pa.array([None] * n, pa.string()),
            pa.array([f"{reason}: {text[:200]}" for _, text, reason in rows]),
        )
        rows.clear()

    def close(self) -> str | None:
        if self.writer is not None:
            self.writer.close()
            return str(self.path)
        return None


class HashingFile:
    """A read-only file that hashes and counts the bytes pyarrow pulls through it."""

    def __init__(self, path: Path):
        self._fh = path.open("rb")
        self.sha = hashlib.sha256()
        self.done = 0
        self.closed = False

    def hexdigest(self) -> str:
        return self.sha.hexdigest()

    def hash_bytes(self, view: memoryview) -> None:
        """Bytes read by someone else (the ranges' reader), in file order."""
        self.sha.update(view)

    def reached(self, offset: int) -> None:
        """How far the rows handed out so far reach, when someone else reads the file."""
        self.done = offset

    def read(self, n: int = -1) -> bytes:
        data = self._fh.read(n)
        self.sha.update(data)
        self.done += len(data)
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        self._fh.close()
        self.closed = True


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(8 << 20):
            sha.update(chunk)
    return sha.hexdigest()
