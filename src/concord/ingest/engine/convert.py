"""Vectorised casting of raw cells to canonical types, finding bad cells per row.

Each ``to_*`` function takes an Arrow array (strings from CSV, or already typed
from Parquet/JSON) and returns ``(values, bad)``: the typed array with bad cells
set to null, and a boolean mask of the cells that could not be read. The fast
path casts the whole array at once; only when that fails are cells checked
one pattern at a time, so clean files pay for one cast per column.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

UTC_US = pa.timestamp("us", tz="UTC")
_NUMBER = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"
_ISO = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?$"
_OFFSET = r"(Z|[+-]\d{2}(:?\d{2})?)$"
_FRACTION = r"(\d{2}:\d{2}:\d{2})\.(\d{1,9})"
#: a clock duration: [h:]m:s with two or three parts; every group named (Arrow's extract_regex needs it)
_CLOCK = r"^\s*(?P<a>\d+):(?P<b>\d{1,2}(?:[.,]\d+)?)(?::(?P<c>\d{1,2}(?:[.,]\d+)?))?\s*$"
#: clock units: seconds in each part of a two-part value (h:mm or m:ss), and in a plain number
CLOCK_UNITS = {"hms": (3600.0, 60.0), "hh:mm": (3600.0, 60.0), "mm:ss": (60.0, 1.0)}
#: numbers with thousands separators, per decimal mark; spaces (also no-break) and apostrophes group too
_GROUPED = {
    ".": r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$",
    ",": r"^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$",
}


def none_bad(n: int) -> pa.BooleanArray:
    # A zeroed buffer: no per-call conversion from Python or NumPy.
    return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(bytes((n + 7) // 8))], null_count=0)


def clean_strings(arr: pa.Array) -> pa.Array:
    """Strings trimmed, with empty cells as null."""
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.string())
    if arr.null_count == len(arr):
        return arr
    fast = _clean_fast(arr)
    if fast is not None:
        return fast
    # ASCII text (the usual export) trims exactly with the much cheaper ASCII kernel.
    ascii_only = pc.all(pc.string_is_ascii(arr)).as_py() is not False
    trimmed = pc.ascii_trim_whitespace(arr) if ascii_only else pc.utf8_trim_whitespace(arr)
    empty = pc.equal(pc.binary_length(trimmed), 0)
    if not pc.any(empty).as_py():
        return trimmed
    return pc.if_else(empty, pa.scalar(None, pa.string()), trimmed)


def _clean_fast(arr: pa.Array) -> pa.Array | None:
    """``clean_strings(arr)`` from the raw buffers when no cell needs trimming, else None.

    Applies when there are no nulls and every non-empty cell's first and last
    byte is printable ASCII (above space, below 0x80), so no whitespace of any
    kind sits at either end: empty cells then become null through a validity
    bitmap over the same buffers, without copying the text.
    """
    if not isinstance(arr, pa.Array) or arr.null_count or not len(arr):
        return None
    if pa.types.is_string(arr.type):
        dtype = np.int32
    elif pa.types.is_large_string(arr.type):
        dtype = np.int64
    else:
        return None
    _validity, offsets_buf, data_buf = arr.buffers()
    if offsets_buf is None:
        return None
    offsets = np.frombuffer(offsets_buf, dtype=dtype)[arr.offset : arr.offset + len(arr) + 1]
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    all_filled = bool(filled.all())
    if not all_filled:
        starts, ends = starts[filled], ends[filled]
    if len(starts):
        if data_buf is None:
            return None
        data = np.frombuffer(data_buf, dtype=np.uint8)
        edges = np.concatenate((data[starts], data[ends - 1]))
        if not ((edges > 0x20) & (edges < 0x80)).all():
            return None
    if all_filled:
        return arr
    return _with_validity(arr, filled, data_buf, offsets, len(arr) - int(filled.sum()))


def _with_validity(arr: pa.Array, filled: np.ndarray, data_buf, offsets: np.ndarray, n_null: int) -> pa.Array:
    validity = pa.py_buffer(np.packbits(filled, bitorder="little"))
    data = data_buf if data_buf is not None else pa.py_buffer(b"")
    return pa.Array.from_buffers(arr.type, len(arr), [validity, pa.py_buffer(offsets), data], null_count=n_null)


def _bad(parsed: pa.Array, original: pa.Array) -> pa.BooleanArray:
    # Every conversion keeps null cells null, so equal null counts mean no cell failed.
    if parsed.null_count == original.null_count:
        return none_bad(len(parsed))
    return pc.and_(pc.is_null(parsed), pc.is_valid(original))


def to_float(
    arr: pa.Array, unit: str = "seconds", factor: float = 1.0, decimal: str = "."
) -> tuple[pa.Array, pa.BooleanArray]:
    """Numbers (``factor`` converts ``unit`` to seconds) from numbers, clock times or text as people write it.

    Text may carry thousands separators (``1,234.5``; ``1.234,5`` when ``decimal``
    is ``,``; spaces), a trailing ``%`` (``unit: percent``: 76.92% is 76.92) or,
    for the clock units, ``h:mm:ss`` / ``mm:ss`` / ``hh:mm``.
    """
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type) or pa.types.is_boolean(arr.type):
        out = arr.cast(pa.float64())
        return (pc.multiply(out, factor) if factor != 1.0 else out), none_bad(len(arr))
    arr = clean_strings(arr)
    if unit in CLOCK_UNITS:
        return _clock(arr, *CLOCK_UNITS[unit], decimal)
    if unit == "percent":
        arr = pc.replace_substring_regex(arr, r"\s*%$", "")
    out = None
    if decimal == ".":  # with a decimal comma, Arrow's cast would read 1.234 as one and a bit
        with contextlib.suppress(pa.ArrowInvalid):
            out = arr.cast(pa.float64())
    if out is None:
        ok = pc.match_substring_regex(arr, _NUMBER).fill_null(False)
        if decimal != ".":
            ok = pc.and_(ok, pc.invert(pc.match_substring(arr, ".")).fill_null(True))
        plain = pc.if_else(ok, arr, pa.scalar(None, pa.string())).cast(pa.float64())
        out = pc.coalesce(plain, _grouped(pc.if_else(ok, pa.scalar(None, pa.string()), arr), decimal))
    if factor != 1.0:
        out = pc.multiply(out, factor)
    # NaN and infinities are not durations or scores.
    finite = pc.is_finite(out).fill_null(True)
    if not pc.all(finite).as_py():
        out = pc.if_else(finite, out, pa.scalar(None, pa.float64()))
    return out, _bad(out, arr)


def _grouped(arr: pa.Array, decimal: str) -> pa.Array:
    """Numbers written with thousands separators and the ``decimal`` mark, or null."""
    squeezed = pc.replace_substring_regex(arr, "[\\s\u00a0\u202f']", "")
    ok = pc.match_substring_regex(squeezed, _GROUPED.get(decimal, _GROUPED["."])).fill_null(False)
    thousands = "," if decimal == "." else "."
    text = pc.replace_substring(squeezed, thousands, "")
    if decimal != ".":
        text = pc.replace_substring(text, decimal, ".")
    return pc.if_else(ok, text, pa.scalar(None, pa.string())).cast(pa.float64())


def _clock(arr: pa.Array, first: float, second: float, decimal: str) -> tuple[pa.Array, pa.BooleanArray]:
    """``h:mm:ss`` (any unit), or two parts read as ``first``:``second`` seconds; a plain number is in ``first``."""
    parts = pc.extract_regex(arr, _CLOCK)

    def part(name: str) -> pa.Array:
        text = pc.struct_field(parts, name)  # an optional group that did not match is ""
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        return pc.replace_substring(text, ",", ".").cast(pa.float64())

    a, b, c = part("a"), part("b"), part("c")
    three = pc.is_valid(c)
    null = pa.scalar(None, pa.float64())
    b = pc.if_else(pc.less(b, 60.0), b, null)  # 12:75 is no clock reading
    c = pc.if_else(pc.less(c, 60.0), c, null)
    two_parts = pc.add(pc.multiply(a, first), pc.multiply(b, second))
    hms = pc.add(pc.add(pc.multiply(a, 3600.0), pc.multiply(b, 60.0)), c)
    clock = pc.if_else(three, hms, two_parts)
    plain, _ = to_float(pc.if_else(pc.is_null(clock), arr, pa.scalar(None, pa.string())), "seconds", first, decimal)
    out = pc.coalesce(clock, plain)
    return out, _bad(out, arr)


def to_int(arr: pa.Array, type_: pa.DataType, decimal: str = ".") -> tuple[pa.Array, pa.BooleanArray]:
    values, bad = to_float(arr, decimal=decimal)
    integral = pc.equal(pc.floor(values), values).fill_null(True)
    lo, hi = {8: (-128, 127), 16: (-32768, 32767), 32: (-(2**31), 2**31 - 1)}.get(
        type_.bit_width, (-(2**63), 2**63 - 1)
    )
    fits = pc.and_(pc.greater_equal(values, lo), pc.less_equal(values, hi)).fill_null(True)
    ok = pc.and_(integral, fits)
    if not pc.all(ok).as_py():
        bad = pc.or_(bad, pc.invert(ok))
        values = pc.if_else(ok, values, pa.scalar(None, pa.float64()))
    return values.cast(type_), bad


#: The words (lowercased) Arrow's string -> bool cast accepts, as true and as false.
_CAST_WORDS = ({"true", "1"}, {"false", "0"})


def to_bool(arr: pa.Array, true_values, false_values) -> tuple[pa.Array, pa.BooleanArray]:
    if pa.types.is_boolean(arr.type):
        return arr, none_bad(len(arr))
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        arr = arr.cast(pa.string())
        arr = pc.replace_substring_regex(arr, r"\.0+$", "")
    cleaned = clean_strings(arr)
    if _CAST_WORDS[0] <= set(true_values) and _CAST_WORDS[1] <= set(false_values):
        # Arrow's cast reads exactly true/false/1/0 (any case), which this profile reads the same way.
        try:
            out = cleaned.cast(pa.bool_())
        except pa.ArrowInvalid:
            pass
        else:
            return out, _bad(out, cleaned)
    low = pc.utf8_lower(cleaned)
    is_true = pc.is_in(low, value_set=pa.array(list(true_values), pa.string()))
    is_false = pc.is_in(low, value_set=pa.array(list(false_values), pa.string()))
    out = pc.if_else(is_true, True, pc.if_else(is_false, False, pa.scalar(None, pa.bool_())))
    return out, _bad(out, low)


def to_timestamp(arr: pa.Array, formats, tz: str) -> tuple[pa.Array, pa.BooleanArray]:
    n = len(arr)
    if pa.types.is_timestamp(arr.type):
        if arr.type.tz is None:
            arr = pc.assume_timezone(arr, tz, ambiguous="earliest", nonexistent="earliest")
        return arr.cast(UTC_US), none_bad(n)
    if pa.types.is_date(arr.type):
        return to_timestamp(arr.cast(pa.timestamp("us")), formats, tz)
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        arr = arr.cast(pa.string())
    arr = clean_strings(arr)
    if arr.null_count == n:
        return pa.nulls(n, UTC_US), none_bad(n)
    result = None
    for fmt in formats or ("iso",):
        remaining = arr if result is None else pc.if_else(pc.is_null(result), arr, pa.scalar(None, pa.string()))
        if remaining.null_count == n:
            break
        parsed = _parse_one_format(remaining, fmt, tz)
        result = parsed if result is None else pc.coalesce(result, parsed)
    return result, _bad(result, arr)


def _parse_one_format(arr: pa.Array, fmt: str, tz: str) -> pa.Array:
    if fmt == "iso":
        return _parse_iso(arr, tz)
    if fmt in ("epoch_s", "epoch_ms"):
        values, _ = to_float(arr)
        scale = 1_000_000 if fmt == "epoch_s" else 1_000
        micros = pc.multiply(values, scale).cast(pa.int64(), safe=False)
        return micros.cast(UTC_US)
    fraction = None
    if "%S" in fmt and "%z" not in fmt:
        has_fraction = pc.match_substring_regex(arr, _FRACTION).fill_null(False)
        if pc.any(has_fraction).as_py():
            digits = pc.struct_field(pc.extract_regex(arr, r":\d{2}\.(?P<f>\d{1,9})"), "f")
            digits = pc.utf8_slice_codeunits(pc.utf8_rpad(digits, 6, "0"), 0, 6)
            fraction = pc.fill_null(digits.cast(pa.int64()), 0).cast(pa.duration("us"))
            arr = pc.replace_substring_regex(arr, _FRACTION, r"\1")
    parsed = pc.strptime(arr, format=fmt, unit="us", error_is_null=True)
    if fraction is not None:
        parsed = pc.add(parsed, fraction)
    if parsed.type.tz is None:
        parsed = pc.assume_timezone(parsed, tz, ambiguous="earliest", nonexistent="earliest")
    return parsed.cast(UTC_US)


def _parse_iso(arr: pa.Array, tz: str) -> pa.Array:
    try:  # every cell carries an offset: the common case for API and lake exports
        return arr.cast(UTC_US)
    except pa.ArrowInvalid:
        pass
    try:  # every cell is naive local time
        return pc.assume_timezone(arr.cast(pa.timestamp("us")), tz, ambiguous="earliest", nonexistent="earliest").cast(
            UTC_US
        )
    except pa.ArrowInvalid:
        pass
    ok = pc.match_substring_regex(arr, _ISO).fill_null(False)
    has_offset = pc.match_substring_regex(arr, _OFFSET).fill_null(False)
    null = pa.scalar(None, pa.string())
    with_offset = pc.if_else(pc.and_(ok, has_offset), arr, null)
    naive = pc.if_else(pc.and_(ok, pc.invert(has_offset)), arr, null)
    return pc.coalesce(_cast_cells(with_offset, UTC_US), _cast_naive(naive, tz))


def _cast_naive(arr: pa.Array, tz: str) -> pa.Array:
    local = _cast_cells(arr, pa.timestamp("us"))
    return pc.assume_timezone(local, tz, ambiguous="earliest", nonexistent="earliest").cast(UTC_US)


def _cast_cells(arr: pa.Array, type_: pa.DataType) -> pa.Array:
    """Cast, and when some cell is still impossible (month 13), null it cell by cell."""
    try:
        return arr.cast(type_)
    except pa.ArrowInvalid:
        out = []
        for value in arr.to_pylist():
            try:
                out.append(None if value is None else pa.scalar(value).cast(type_).value)
            except (pa.ArrowInvalid, ValueError, OverflowError):
                out.append(None)
        return pa.array(out, pa.int64()).cast(type_)


def to_date(arr: pa.Array, formats, tz: str) -> tuple[pa.Array, pa.BooleanArray]:
    if pa.types.is_date(arr.type):
        return arr.cast(pa.date32()), none_bad(len(arr))
    formats = tuple(f for f in formats if f != "iso") or ("%Y-%m-%d",)
    values, bad = to_timestamp(arr, (*formats, "iso"), "UTC")
    return values.cast(pa.date32()), bad
