"""Stream a source file as batches of raw rows, never the whole file at once.

CSV cells are read as strings (casting happens later, vectorised, so that a bad
cell rejects its row instead of the file). Encoding (BOM, UTF-8, UTF-16,
Latin-1) and delimiter (, ; tab |) are detected from the first block. Anything
that prevents reading the file as a table raises ``IngestError`` with one
sentence naming the file and what to do.
"""

from __future__ import annotations

import codecs
import copy
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq

from .ranges import RANGE_BLOCK, Feed, NotUtf8, RangesUnsafe, cut_points, parse_ranges
from .sidefiles import HashingFile

#: CSV block. The threaded reader reads some 30 blocks ahead, so this bounds its memory (~250 MiB at 8 MiB).
BLOCK_SIZE = 8 << 20
SAMPLE = 256 << 10
DELIMITERS = (",", ";", "\t", "|")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MAGIC = {
    b"PK\x03\x04": "a ZIP or Excel (.xlsx) file",
    b"PAR1": "a Parquet file",
    b"%PDF": "a PDF",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) file",
    b"\x1f\x8b": "a gzip archive",
}


class IngestError(Exception):
    """A file that cannot be read as a table at all; the message says what to do."""


class SerialReadNeeded(Exception):
    """A threaded CSV read met a malformed row, whose row number only a serial read knows: read again."""


class TypedReadFailed(Exception):
    """A typed CSV read met a cell it could not convert (or a value only the text path judges): read again as text."""


@dataclass
class Source:
    """An opened source: its columns and a stream of raw batches."""

    columns: list[str]
    batches: Iterator[pa.RecordBatch]
    encoding: str | None = None
    delimiter: str | None = None
    malformed: list[tuple[int, str, str]] = field(default_factory=list)  # (row, text, reason)


def detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head.count(b"\x00") > len(head) // 4:
        # ASCII text in UTF-16 without a BOM: every other byte is zero.
        return "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut by the sample's end
            return "utf-8"
    return "latin-1"


def sniff_delimiter(text: str) -> str:
    """The candidate delimiter found the same number of times on the first lines."""
    lines = [line for line in _logical_lines(text)[:20] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", (-1, 0)
    for delim in DELIMITERS:
        counts = [_count_outside_quotes(line, delim) for line in lines]
        header = counts[0]
        if header == 0:
            continue
        consistent = sum(1 for c in counts if c == header)
        score = (consistent, header)
        if score > best_score:
            best, best_score = delim, score
    return best


def _logical_lines(text: str) -> list[str]:
    lines, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == "\n" and not quoted:
            lines.append("".join(current))
            current = []
        else:
            current.append(ch)
        if len(lines) >= 20:
            break
    return lines


def _count_outside_quotes(line: str, delim: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            count += 1
    return count


def _dedupe(names: list[str]) -> tuple[list[str], list[str]]:
    """Rename repeated header names ``x`` -> ``x.1`` (as spreadsheets do); report them."""
    seen: dict[str, int] = {}
    out, dupes = [], []
    for name in names:
        if name in seen:
            seen[name] += 1
            dupes.append(name)
            new = f"{name}.{seen[name]}"
            while new in seen:
                seen[name] += 1
                new = f"{name}.{seen[name]}"
            seen[new] = 0
            out.append(new)
        else:
            seen[name] = 0
            out.append(name)
    return out, dupes


def open_csv(
    path: Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    data=None,
    threads: bool = True,
    types: dict[str, pa.DataType] | None = None,
    true_values: tuple[str, ...] = (),
    false_values: tuple[str, ...] = (),
    ranges: bool = True,
) -> Source:
    """``data``: a file-like object to stream the rows from (defaults to ``path``).

    With ``threads`` blocks are parsed in parallel; pyarrow then cannot number
    a malformed row, so meeting one raises ``SerialReadNeeded`` from the stream
    and the caller reads the file again with ``threads=False``.

    ``types``: columns pyarrow converts while parsing (the typed fast path);
    only empty cells are null there, booleans are read from ``true_values`` /
    ``false_values`` (with their upper and capitalised spellings). Any cell
    pyarrow cannot convert, or a float that is NaN or infinite, raises
    ``TypedReadFailed`` and the caller reads the file again as text. A typed,
    threaded read of UTF-8 parses byte ranges on all cores (``ranges``;
    ``data``, a ``HashingFile``, then only hears the bytes and the progress);
    it may raise ``RangesUnsafe``, and the caller reads again with ``ranges``
    off.
    """
    name = path.name
    with path.open("rb") as fh:
        head = fh.read(SAMPLE)
    if not head.strip(b"\xef\xbb\xbf\r\n\t ,;|"):
        raise IngestError(f"{name}: the file is empty; export it again with a header row and data rows.")
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise IngestError(
                f"{name}: this is {what}, not a CSV file; export it as CSV (comma-separated) and upload that."
            )
    encoding = encoding or detect_encoding(head)
    try:
        text = head.decode(encoding, errors="strict" if encoding.startswith("utf-16") else "ignore")
    except UnicodeDecodeError:
        raise IngestError(f"{name}: the file is not valid {encoding}; save it as UTF-8 CSV and try again.") from None
    if "\x00" in text:
        raise IngestError(
            f"{name}: the file holds binary data, not CSV text; export it as CSV (UTF-8) and upload that."
        )
    text = text.lstrip("\ufeff")
    delimiter = delimiter or sniff_delimiter(text)
    malformed: list[tuple[int, str, str]] = []

    unnumbered: list[bool] = []

    def on_bad_row(row) -> str:
        if row.number is None:  # threaded parsing: the row's position is unknown
            unnumbered.append(True)
            return "skip"
        number = row.number - 1  # pyarrow counts the header as row 1
        malformed.append(
            (number, row.text, f"row has {row.actual_columns} fields, the header has {row.expected_columns}")
        )
        return "skip"

    parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_bad_row)
    # Read the header with the same options, then pin every column to string.
    try:
        probe = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                use_threads=False, block_size=max(SAMPLE, 1 << 16), encoding=_arrow_encoding(encoding)
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=lambda _row: "skip"
            ),
        )
        raw_names = probe.schema.names
        # pyarrow's skip_rows counts lines: a quoted line break in a column name makes the header longer.
        header_lines = 1 + sum(len(_LINE_BREAK.findall(n)) for n in raw_names)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise IngestError(_csv_problem(name, exc)) from None
    raw_names = [n.strip().lstrip("\ufeff") for n in raw_names]
    if not any(raw_names):
        raise IngestError(f"{name}: the first row has no column names; the first row must be the header.")
    names, _dupes = _dedupe(raw_names)
    # Threads: blocks are parsed and converted in parallel (the order of batches stays the file's).
    read = pacsv.ReadOptions(
        use_threads=threads,
        block_size=BLOCK_SIZE,
        encoding=_arrow_encoding(encoding),
        column_names=names,
        skip_rows=header_lines,
    )
    typed = {n: t for n, t in (types or {}).items() if n in names and n not in _dupes}
    column_types = {n: typed.get(n, pa.string()) for n in names}
    if typed:
        convert = pacsv.ConvertOptions(
            column_types=column_types,
            strings_can_be_null=False,
            null_values=[""],
            true_values=_spellings(true_values),
            false_values=_spellings(false_values),
            timestamp_parsers=[pacsv.ISO8601],
        )
    else:
        convert = pacsv.ConvertOptions(column_types=column_types, strings_can_be_null=False)
    floats = [n for n, t in typed.items() if pa.types.is_floating(t)]
    if typed and threads and ranges and _arrow_encoding(encoding) == "utf8":
        reader = _range_reader(path, head, raw_names, read, parse, convert, data)
    else:
        try:
            reader = pacsv.open_csv(
                data if data is not None else path, read_options=read, parse_options=parse, convert_options=convert
            )
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            if typed:
                raise TypedReadFailed(name) from None
            raise IngestError(_csv_problem(name, exc)) from None

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            for batch in reader:
                if unnumbered:
                    raise SerialReadNeeded(name)
                for n in floats:  # NaN and infinities: the text path rejects them, with its reason
                    if not pc.all(pc.is_finite(batch.column(n)).fill_null(True)).as_py():
                        raise TypedReadFailed(name)
                yield batch
        except (pa.ArrowInvalid, UnicodeDecodeError, NotUtf8) as exc:
            if typed:  # the text path reads again, and names the problem
                raise TypedReadFailed(name) from None
            raise IngestError(_csv_problem(name, exc)) from None
        if unnumbered:
            raise SerialReadNeeded(name)

    src = Source(columns=names, batches=batches(), encoding=encoding, delimiter=delimiter, malformed=malformed)
    src.duplicate_names = _dupes  # type: ignore[attr-defined]
    return src


def _range_reader(path, head, names, read, parse, convert, data) -> Iterator[pa.RecordBatch]:
    """Typed batches parsed in byte ranges on every core; see ``ranges``.

    ``data``, when a ``HashingFile``, hears the bytes (for the digest) and the progress.
    """
    header_end = _header_end(head, parse.delimiter, names)
    if header_end is None:  # a header longer than the sample (or with a line break in a name): one stream
        raise RangesUnsafe(path.name)
    points = cut_points(path, header_end)
    workers = max(1, min(4, os.cpu_count() or 1))

    # Each range holds data rows only: the names come from the header, read once.
    options = pacsv.ReadOptions(
        use_threads=False, block_size=RANGE_BLOCK, encoding="utf8", column_names=read.column_names
    )

    def after_range() -> None:
        if parse_malformed:  # a range's row numbers are its own: a serial read numbers the row for the quarantine
            raise SerialReadNeeded(path.name)

    parse_malformed: list[bool] = []
    ranged_parse = pacsv.ParseOptions(
        delimiter=parse.delimiter,
        newlines_in_values=True,
        invalid_row_handler=lambda _row: parse_malformed.append(True) or "skip",
    )
    if isinstance(data, HashingFile):
        feed = Feed(data.hash_bytes, data.reached)
    else:
        feed = Feed(lambda _view: None, lambda _offset: None)
    unchecked = copy.copy(convert)
    unchecked.check_utf8 = False  # parse_ranges checks each range once, before parsing
    return parse_ranges(
        path,
        points,
        read_options=options,
        parse_options=ranged_parse,
        convert_options=unchecked,
        after_range=after_range,
        workers=workers,
        feed=feed,
    )


def _header_end(head: bytes, delimiter: str, names: list[str]) -> int | None:
    """Offset just past the header, when its first line alone gives all of ``names`` (no quoted line break)."""
    newline = head.find(b"\n")
    if newline < 0:
        return None
    try:
        line = pacsv.read_csv(
            pa.BufferReader(head[: newline + 1]),
            read_options=pacsv.ReadOptions(use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    return newline + 1 if [n.strip().lstrip("\ufeff") for n in line.schema.names] == names else None


def _spellings(words: tuple[str, ...]) -> list[str]:
    """``words`` as written, upper case and capitalised: the cells a case-insensitive reader takes as them."""
    out: dict[str, None] = {}
    for word in words:
        for variant in (word, word.upper(), word.capitalize()):
            if variant.lower() == word:
                out[variant] = None
    return list(out)


def _arrow_encoding(encoding: str) -> str:
    return "utf8" if encoding in ("utf-8", "utf8") else encoding


def _csv_problem(name: str, exc: Exception) -> str:
    msg = str(exc)
    if "UTF8" in msg or "utf-8" in msg.lower() or isinstance(exc, UnicodeDecodeError):
        return (
            f"{name}: some bytes are not valid text in the detected encoding; save the file as UTF-8 CSV and try again."
        )
    if "Empty CSV file" in msg:
        return f"{name}: the file is empty; export it again with a header row and data rows."
    return f"{name}: cannot be read as CSV ({msg.splitlines()[0][:200]}); check it is a CSV export."


def open_parquet(path: Path) -> Source:
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise IngestError(f"{path.name}: not a readable Parquet file ({exc}); export it again as Parquet.") from None
    return Source(columns=pf.schema_arrow.names, batches=pf.iter_batches(batch_size=256_000))


def open_jsonl(path: Path) -> Source:
    if path.stat().st_size == 0:
        raise IngestError(f"{path.name}: the file is empty; it must hold one JSON object per line.")
    try:
        reader = pajson.open_json(path, read_options=pajson.ReadOptions(block_size=BLOCK_SIZE))
    except pa.ArrowInvalid as exc:
        raise IngestError(
            f"{path.name}: not JSON Lines ({str(exc)[:200]}); it must hold one JSON object per line."
        ) from None

    def batches():
        try:
            yield from reader
        except pa.ArrowInvalid as exc:
            raise IngestError(
                f"{path.name}: not JSON Lines ({str(exc)[:200]}); it must hold one JSON object per line."
            ) from None

    return Source(columns=reader.schema.names, batches=batches())


def open_json_records(path: Path, records: str | None) -> Source:
    """Records from a JSON export: one document, several pages, or a stream of documents (NDJSON).

    A page is an object holding the records under ``records`` (Zendesk's
    ``{"tickets": [...], "metric_sets": [...], "next_page": ...}``); a file may
    hold one page, an array of pages, or pages / records one after another (an
    incremental export saved page by page, or a full export's NDJSON with one
    record per line). Side-loaded arrays of every page (e.g. ``metric_sets``)
    are gathered into one document for the transform.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start}); export it again.") from None
    values = _json_values(text, path.name)
    rows: list = []
    doc: dict = {}
    found_page = False
    for value in values:
        pages = value if isinstance(value, list) and value and all(_is_page(v, records) for v in value) else [value]
        for page in pages:
            if _is_page(page, records):
                found_page = True
                rows.extend(page[records])
                for key, side in page.items():
                    if key != records and isinstance(side, list):
                        doc.setdefault(key, []).extend(side)
            elif isinstance(page, list):
                rows.extend(page)
            else:
                rows.append(page)
    if records and not found_page and not all(isinstance(r, dict) for r in rows):
        raise IngestError(f"{path.name}: expected a list of records under {records!r}, or one record per line.")
    if not records and not all(isinstance(r, dict) for r in rows):
        raise IngestError(f"{path.name}: expected a list of records (JSON objects).")
    return records_source(rows, doc=doc)


def _is_page(value, records: str | None) -> bool:
    return bool(records) and isinstance(value, dict) and isinstance(value.get(records), list)


def _json_values(text: str, name: str) -> list:
    """Every JSON value in ``text``: one document, or several one after another (NDJSON, saved pages)."""
    decoder = json.JSONDecoder()
    values, pos, end = [], 0, len(text)
    while True:
        while pos < end and text[pos] in " \t\r\n":
            pos += 1
        if pos >= end:
            break
        try:
            value, pos = decoder.raw_decode(text, pos)
        except ValueError as exc:
            line = text.count("\n", 0, pos) + 1
            raise IngestError(
                f"{name}: not valid JSON at line {line} ({str(exc).split(':')[0]}); export it again."
            ) from None
        values.append(value)
    if not values:
        raise IngestError(f"{name}: the file is empty; it must hold a JSON document or one JSON object per line.")
    return values


def records_source(rows: list, doc=None) -> Source:
    """Rows given as dicts (API batches, JSON exports); nested dicts flatten to ``a.b``."""
    flat = [_flatten(r) if isinstance(r, dict) else {"_value": r} for r in rows]
    columns: dict[str, None] = {}
    for r in flat:
        columns.update(dict.fromkeys(r))
    names = list(columns)
    arrays = [pa.array([_text(r.get(n)) for r in flat], pa.string()) for n in names]
    batch = pa.RecordBatch.from_arrays(arrays, names=names) if names else pa.RecordBatch.from_pydict({})
    src = Source(columns=names, batches=iter([batch] if flat else []))
    src.document = doc  # type: ignore[attr-defined]
    return src


def _flatten(obj: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in obj.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def estimate_rows(head: bytes, size: int) -> int:
    """Rows a line-based file of ``size`` bytes probably holds, from the lines of its first bytes."""
    lines = head.count(b"\n")
    if lines < 2 or not head:
        return 0
    return max(1, round(size / (len(head) / lines)) - 1)


def expected_rows(path: Path, fmt: str) -> int:
    """Rows ``path`` holds, for progress: exact for Parquet (its footer), estimated for CSV and JSON Lines, else 0."""
    if fmt == "parquet":
        try:
            return pq.ParquetFile(path).metadata.num_rows
        except (pa.ArrowInvalid, OSError):
            return 0  # the run itself says what is wrong with the file
    if fmt not in ("csv", "jsonl"):
        return 0
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    return estimate_rows(head, path.stat().st_size)
