"""Parquet files of one append to a local lake, written by Concord itself and committed as ``add`` actions.

The Delta writer, fed every month in every batch, wrote many small files and
slowed down as files accumulated; this writer keeps one open file per partition
value and large row groups (see ``PartitionFiles``).
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from deltalake.transaction import AddAction

from .schemas import FactTable
from .stats import file_stats

#: Parquet compression. Snappy is the Delta ecosystem's default and, measured on the 10M-row ingest with
#: row groups encoded on the pool, 4-5% faster end to end than ZSTD level 1 (files about 30% larger),
#: and faster to read back.
COMPRESSION = "snappy"
#: Rows per Parquet row group in the files this module writes itself.
ROW_GROUP_ROWS = 512 * 1024
#: Most rows held in memory waiting for their partition's row group to fill (about 200 bytes each).
BUFFERED_ROWS = 1_000_000
#: A partition's file is closed and a new one started beyond this many rows.
FILE_ROWS = 8_000_000
#: Row groups encoded at once, each on its own thread.
ENCODERS = max(1, min(4, os.cpu_count() or 1))


class PartitionFiles:
    """Parquet files of one append, one open file per partition value.

    Rows of a batch are grouped by partition value (one ``take``) and buffered
    per partition until a full row group is ready, so the files hold large row
    groups however the months are interleaved in the input. Row groups are
    encoded on a pool (pyarrow releases the GIL), one at a time per file and
    at most ``ENCODERS`` at once, so encoding spreads over the cores while the
    caller goes on splitting. ``close`` returns the Delta ``add`` actions
    (size, partition values, row count and stats).
    """

    def __init__(self, folder: Path, table: FactTable):
        self.folder, self.table = folder, table
        self.part_cols = list(table.partition_by)
        self.data_schema = pa.schema([f for f in table.schema if f.name not in self.part_cols])
        # Dictionary-encode the repeated codes; trying it on ids costs time and gains nothing.
        self.dictionary = [
            f.name for f in self.data_schema if pa.types.is_string(f.type) and f.name not in table.unique_text
        ]
        self.tag = uuid.uuid4().hex
        self.buffers: dict[tuple, list[pa.RecordBatch]] = {}
        self.buffered: dict[tuple, int] = {}
        self.files: dict[tuple, OpenFile] = {}
        self.finished: list[tuple[tuple, str, int]] = []
        self.paths: list[Path] = []
        self.total_buffered = 0
        self.seq = 0
        self.pool = ThreadPoolExecutor(max_workers=ENCODERS, thread_name_prefix="parquet-encode")
        self.encoding: deque[Future] = deque()

    def write(self, batch: pa.RecordBatch) -> None:
        if not batch.num_rows:
            return
        if not self.part_cols:
            self._buffer((), batch)
            return
        if len(self.part_cols) == 1:
            encoded = pc.dictionary_encode(batch.column(self.part_cols[0]))
            values = [(v,) for v in encoded.dictionary.to_pylist()]
            codes = encoded.indices.to_numpy(zero_copy_only=False)
        else:
            keys = pa.table([batch.column(c) for c in self.part_cols], names=self.part_cols)
            distinct = keys.group_by(self.part_cols).aggregate([])
            values = list(zip(*(distinct.column(c).to_pylist() for c in self.part_cols), strict=True))
            codes = np.zeros(batch.num_rows, dtype=np.int64)
            for i, value in enumerate(values):
                mask = np.ones(batch.num_rows, dtype=bool)
                for c, v in zip(self.part_cols, value, strict=True):
                    mask &= pc.equal(batch.column(c), v).fill_null(False).to_numpy(zero_copy_only=False)
                codes[mask] = i
        data = batch.drop_columns(self.part_cols)
        if len(values) == 1:
            self._buffer(values[0], data)
            return
        order = np.argsort(codes, kind="stable")
        counts = np.bincount(codes, minlength=len(values))
        start = 0
        for value, count in zip(values, counts, strict=True):
            if count:
                # One compact copy per partition (not slices of one copy, which would keep it all alive).
                self._buffer(value, data.take(pa.array(order[start : start + count])))
            start += int(count)

    def _buffer(self, value: tuple, batch: pa.RecordBatch) -> None:
        self.buffers.setdefault(value, []).append(batch)
        self.buffered[value] = self.buffered.get(value, 0) + batch.num_rows
        self.total_buffered += batch.num_rows
        if self.buffered[value] >= ROW_GROUP_ROWS:
            self._flush(value)
        while self.total_buffered > BUFFERED_ROWS:
            self._flush(max(self.buffered, key=self.buffered.get))

    def _flush(self, value: tuple, *, last: bool = False) -> None:
        """Hand ``value``'s buffered rows to the pool as one row group (``last``: then close its file).

        Waits while ``ENCODERS`` row groups are queued, except for the last
        ones: their rows are held already, and the caller has other work meanwhile.
        """
        batches = self.buffers.pop(value, [])
        rows = self.buffered.pop(value, 0)
        self.total_buffered -= rows
        if not rows and not last:
            return
        file = self.files.get(value) or self._open(value)
        file.rows += rows
        closing = last or file.rows >= FILE_ROWS
        if closing:
            del self.files[value]
            self.finished.append((value, file.rel, file.rows))
        rows_table = pa.Table.from_batches(batches, self.data_schema) if rows else None
        while not last and len(self.encoding) >= ENCODERS:  # bound the row groups held for encoding
            self.encoding.popleft().result()
        self.encoding.append(self.pool.submit(file.encode, rows_table, closing))

    def _open(self, value: tuple) -> OpenFile:
        parts = [f"{c}={v}" for c, v in zip(self.part_cols, value, strict=True)]
        if any(quote(part, safe="=") != part for part in parts):
            # Partition values are derived (YYYY-MM); anything needing escaping is a bug, not data to guess about.
            raise ValueError(f"partition value needs escaping, refusing to write it: {parts}")
        self.seq += 1
        name = f"part-{self.seq:05d}-{self.tag}-c000.{COMPRESSION}.parquet"
        rel = "/".join([*parts, name])
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        self.paths.append(path)
        writer = pq.ParquetWriter(
            path,
            self.data_schema,
            compression=COMPRESSION,
            use_dictionary=self.dictionary,
        )
        self.files[value] = OpenFile(writer, rel)
        return self.files[value]

    def close(self, check=None) -> list[AddAction]:
        """Encode what is left and return the ``add`` actions; ``check()`` runs meanwhile (and may raise)."""
        for value in sorted(set(self.buffers) | set(self.files)):
            self._flush(value, last=True)
        if check is not None:
            check()
        self._drain()
        self.pool.shutdown()
        actions = []
        for value, rel, rows in self.finished:
            path = self.folder / rel
            stat = path.stat()
            actions.append(
                AddAction(
                    path=rel,
                    size=stat.st_size,
                    partition_values={
                        c: (None if v is None else str(v)) for c, v in zip(self.part_cols, value, strict=True)
                    },
                    modification_time=int(stat.st_mtime * 1000),
                    data_change=True,
                    stats=file_stats(path, rows),
                )
            )
        return actions

    def _drain(self) -> None:
        """Wait for every row group handed to the pool; the first failure is raised after all have ended."""
        failure = None
        while self.encoding:
            try:
                self.encoding.popleft().result()
            except BaseException as exc:  # every job must end before the files go
                failure = failure or exc
        if failure is not None:
            raise failure

    def names(self) -> set[str]:
        return {path.name for path in self.paths}

    def discard(self) -> None:
        with contextlib.suppress(BaseException):  # best effort: the files are removed next
            self._drain()
        self.pool.shutdown(cancel_futures=True)
        for file in self.files.values():
            with contextlib.suppress(Exception):
                file.writer.close()
        self.files.clear()
        for path in self.paths:
            with contextlib.suppress(OSError):
                os.unlink(path)


class OpenFile:
    """One Parquet file being written; its row groups are encoded one at a time."""

    def __init__(self, writer: pq.ParquetWriter, rel: str):
        self.writer, self.rel, self.rows = writer, rel, 0
        self.lock = threading.Lock()

    def encode(self, table: pa.Table | None, close: bool) -> None:
        with self.lock:
            if table is not None:
                self.writer.write_table(table, row_group_size=table.num_rows)
            if close:
                self.writer.close()
