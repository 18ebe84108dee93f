"""Delta ``add`` statistics of a Parquet file the lake writes: rows, null counts, min/max of every column."""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def file_stats(path: Path, rows: int) -> str:
    """Delta ``stats`` from the Parquet footer: rows, null counts, and min/max bounds of every column.

    A column that has values but no min/max while others have them must not
    happen: delta-rs's pyarrow datasets then skip the file for any filter on
    that column (seen with deltalake 1.6: a filter on a timestamp or a flag
    returned no rows; a file with no min/max at all is skipped too when other
    files have them). So every type gets bounds, widened where Delta cannot
    hold the exact value: timestamps to whole milliseconds (floor and
    ceiling), long strings to a prefix (see ``_string_bounds``).
    """
    meta = pq.read_metadata(path)
    schema = meta.schema.to_arrow_schema()
    nulls: dict[str, int | None] = {}
    mins: dict[str, object] = {}
    maxs: dict[str, object] = {}
    unbounded: set[str] = set()
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for c in range(group.num_columns):
            col = group.column(c)
            name = col.path_in_schema
            st = col.statistics
            if st is None or not st.has_null_count:
                nulls[name] = None
            elif nulls.get(name, 0) is not None:
                nulls[name] = nulls.get(name, 0) + st.null_count
            if st is not None and st.has_null_count and st.null_count == col.num_values:
                continue  # all null here: nothing to bound
            if st is None or not st.has_min_max or isinstance(st.min, bytes) or isinstance(st.max, bytes):
                unbounded.add(name)
                continue
            lo, hi = st.min, st.max
            mins[name] = lo if name not in mins else min(mins[name], lo)
            maxs[name] = hi if name not in maxs else max(maxs[name], hi)
    for name in unbounded:
        # A value past Parquet's 4 KiB statistics limit leaves no min/max in the footer: read the column back.
        mins[name], maxs[name] = pc.min_max(pq.read_table(path, columns=[name]).column(name)).values()
        mins[name], maxs[name] = mins[name].as_py(), maxs[name].as_py()
    low: dict[str, object] = {}
    high: dict[str, object] = {}
    for name in mins:
        bounds = _delta_bounds(schema.field(name).type, mins[name], maxs[name])
        if bounds is not None:
            low[name], high[name] = bounds
    stats = {
        "numRecords": rows,
        "minValues": low,
        "maxValues": high,
        "nullCount": {k: v for k, v in nulls.items() if v is not None},
    }
    # Raw UTF-8, not \u escapes: delta-rs misreads escaped surrogate pairs (characters beyond U+FFFF).
    return json.dumps(stats, default=_json_number, ensure_ascii=False)


#: Longest string kept whole in Delta stats; longer ones are bounded by a prefix.
STATS_STRING_CHARS = 64


def _delta_bounds(type_: pa.DataType, lo, hi) -> tuple[object, object] | None:
    """``(min, max)`` as Delta stats hold them, each at or beyond the true value; None when no bound fits."""
    if pa.types.is_boolean(type_) or pa.types.is_integer(type_):
        return lo, hi
    if pa.types.is_floating(type_):
        return (lo, hi) if np.isfinite(lo) and np.isfinite(hi) else None
    if pa.types.is_string(type_) or pa.types.is_large_string(type_):
        return _string_bounds(lo, hi)
    if pa.types.is_timestamp(type_) and type_.tz is not None:
        return _millis(lo, up=False), _millis(hi, up=True)
    if pa.types.is_date(type_):
        return lo.isoformat(), hi.isoformat()
    return None


def _string_bounds(lo: str, hi: str) -> tuple[str, str]:
    """Exact when short; else a prefix of ``lo`` and the shortest string above every string starting as ``hi``.

    A ``hi`` whose prefix cannot be stepped up (all U+10FFFF) is kept whole.
    """
    low = lo[:STATS_STRING_CHARS]
    if len(hi) <= STATS_STRING_CHARS:
        return low, hi
    prefix = hi[:STATS_STRING_CHARS]
    while prefix:
        last = ord(prefix[-1])
        # Step the last character up, skipping the surrogates JSON cannot carry; U+10FFFF cannot step.
        bumped = last + 1 if last + 1 != 0xD800 else 0xE000
        if bumped <= 0x10FFFF:
            return low, prefix[:-1] + chr(bumped)
        prefix = prefix[:-1]
    return low, hi


def _millis(value, *, up: bool) -> str:
    """A UTC timestamp as Delta stats write it (milliseconds), rounded down, or up when ``up``."""
    utc = value.astimezone(UTC)
    if up and utc.microsecond % 1000:
        utc += timedelta(microseconds=1000 - utc.microsecond % 1000)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _json_number(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {value!r}")
