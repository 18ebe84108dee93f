"""Parse one CSV file as byte ranges on several threads, batches in file order.

pyarrow's streaming CSV reader parses on about one core; its whole-file reader
is parallel but holds the whole table. Here the file is cut after a newline
every ``RANGE_BYTES`` and each range is parsed by its own reader on a pool
thread (pyarrow releases the GIL), a few ranges ahead of the consumer, so
memory stays bounded and both cores parse.

A cut is only right between records: a quoted value may hold a line break.
Each range is parsed from a true record start (the file's start, or a cut
already proven right), so its parser follows the file's real quoting; had the
next cut fallen inside quotes, the range's last row would end in the open
quoted value, holding the newline at the cut. So a range whose last row holds
a line break in any text value raises ``RangesUnsafe``, before any batch of
the ranges after it is handed out, and the caller reads the file in one
stream. Used only by the typed fast path, which has no row numbers to keep:
the caller stops at a malformed row as it does with the threaded reader.
"""

from __future__ import annotations

import codecs
import queue
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

#: Bytes of CSV per range (about 150,000 rows of the canonical export).
RANGE_BYTES = 32 << 20
#: pyarrow block inside a range: small blocks stay in the core's cache (parsing a range costs 15% less
#: than in one block); a range's blocks are then joined into one batch, as fewer, larger batches cost less downstream.
RANGE_BLOCK = 2 << 20
#: Ranges parsed ahead of the consumer, per worker.
AHEAD = 2


class RangesUnsafe(Exception):
    """A cut between ranges may have fallen inside a quoted value: read the file in one stream."""


def cut_points(path: Path, start: int, range_bytes: int | None = None) -> list[int]:
    """Offsets of range starts from ``start`` (the first data row), each just after a newline, plus the file size."""
    range_bytes = range_bytes or RANGE_BYTES
    size = path.stat().st_size
    points = [start]
    with path.open("rb") as fh:
        pos = start + range_bytes
        while pos < size:
            fh.seek(pos)
            skipped = 0
            while True:
                chunk = fh.read(1 << 16)
                if not chunk:
                    break
                newline = chunk.find(b"\n")
                if newline >= 0:
                    skipped += newline + 1
                    break
                skipped += len(chunk)
            pos += skipped
            if pos >= size:
                break
            points.append(pos)
            pos += range_bytes
    points.append(size)
    return points


class NotUtf8(Exception):
    """A range holds bytes that are not UTF-8 (the parsers skip that check: it is done here, once)."""


class Feed:
    """What the ranges' reader reports on the way.

    ``hash_bytes(view)`` hears every byte of the file in order, header
    included, so the file's digest costs no second read; ``done(offset)``
    hears how far the batches handed out reach.
    """

    def __init__(self, hash_bytes: Callable[[memoryview], None], done: Callable[[int], None]):
        self.hash_bytes, self.done = hash_bytes, done


def parse_ranges(
    path: Path,
    points: list[int],
    *,
    read_options: pacsv.ReadOptions,
    parse_options: pacsv.ParseOptions,
    convert_options: pacsv.ConvertOptions,
    after_range: Callable[[], None],
    workers: int,
    feed: Feed,
) -> Iterator[pa.RecordBatch]:
    """Batches of every range in file order, each range read with ``read_options`` (names given, no header).

    Each range is read once, in file order, by the consumer's thread into a
    reusable buffer and parsed on the pool. ``after_range()`` runs once a range
    is parsed, before its batches are handed out (the caller raises there
    when its invalid-row handler met a row). ``convert_options`` may skip
    pyarrow's UTF-8 check: every range is checked here, and one that is not
    UTF-8 raises ``NotUtf8``.
    """
    count = len(points) - 1
    in_flight = workers * AHEAD
    free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
    for _ in range(in_flight):
        free.put(bytearray(RANGE_BYTES + (1 << 20)))

    def parse(k: int, data: memoryview, buffer: bytearray) -> list[pa.RecordBatch]:
        try:
            reader = pacsv.open_csv(
                pa.BufferReader(pa.py_buffer(data)),
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )
            # The parser copies every value it keeps, so the buffer is free again afterwards.
            batches = [batch for batch in reader if batch.num_rows]
        finally:
            free.put(buffer)
        if k + 1 < count and batches and _line_break_in_last_row(batches[-1]):
            raise RangesUnsafe(path.name)
        if len(batches) > 1:
            batches = pa.Table.from_batches(batches).combine_chunks().to_batches()
        return batches

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="csv-range")
    pending: deque[Future] = deque()
    submitted = 0
    try:
        with path.open("rb") as header:  # buffered: read(n) returns all n bytes
            feed.hash_bytes(memoryview(header.read(points[0])))
        with path.open("rb", buffering=0) as fh:
            for k in range(count):
                while submitted < count and len(pending) < in_flight:
                    data, buffer = _read(fh, points[submitted], points[submitted + 1], free.get())
                    feed.hash_bytes(data)
                    pending.append(pool.submit(parse, submitted, data, buffer))
                    submitted += 1
                batches = pending.popleft().result()
                after_range()
                start, end = points[k], points[k + 1]
                for i, batch in enumerate(batches, 1):
                    feed.done(start + (end - start) * i // len(batches))
                    yield batch
                feed.done(end)
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _read(fh, start: int, end: int, buffer: bytearray) -> tuple[memoryview, bytearray]:
    """Bytes ``start`` to ``end`` of ``fh`` in ``buffer`` (a fresh bytes object per range costs page faults).

    Returns the bytes and the buffer holding them. Checked to be UTF-8 on the
    way: ASCII on the whole buffer at once (bytes past ``end`` are left from
    earlier ranges, themselves checked), anything else by decoding. A cut is always just after a newline, which is never
    part of a multi-byte UTF-8 sequence, so each range is text on its own.
    """
    size = end - start
    if len(buffer) < size:  # a range of very long lines: this one buffer grows
        buffer = bytearray(size)
    view = memoryview(buffer)[:size]
    fh.seek(start)
    done = 0
    while done < size:
        got = fh.readinto(view[done:])
        if not got:
            break
        done += got
    view = view[:done]
    if not buffer.isascii():
        try:
            codecs.decode(view, "utf-8")
        except UnicodeDecodeError:
            raise NotUtf8(str(fh.name)) from None
    return view, buffer


def _line_break_in_last_row(batch: pa.RecordBatch) -> bool:
    last = batch.slice(batch.num_rows - 1)
    for column in last.columns:
        if pa.types.is_string(column.type) and pc.any(pc.match_substring(column, "\n")).as_py():
            return True
    return False
