"""Turn one raw batch into canonical rows plus one reason per rejected row.

Mapping and validation are vectorised over the whole batch with
``pyarrow.compute``; a row's first problem becomes its ``_column`` / ``_reason``.
Rules are data (``RANGES``, ``ORDER``, ``DOMAINS``) so that every table gets
the same treatment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from concord.lake.schemas import CHANNELS, EXIT_REASONS, FactTable

from . import convert
from .privacy import hash_customer_keys
from .profiles import DERIVED, UNITS, ColumnSpec, Profile

#: column -> (min, max) inclusive; None is unbounded.
RANGES: dict[str, tuple[float | None, float | None]] = {
    "wait_seconds": (0, None),
    "requester_wait_seconds": (0, None),
    "talk_seconds": (0, None),
    "hold_seconds": (0, None),
    "wrap_seconds": (0, None),
    "csat": (1, 5),
    "nps": (0, 10),
    "offered": (0, None),
    "answered": (0, None),
    "abandoned": (0, None),
    "short_abandoned": (0, None),
    "answered_within_threshold": (0, None),
    "threshold_seconds": (0, None),
    "handle_seconds": (0, None),
    "available_seconds": (0, None),
    "staffed_agents": (0, None),
    "paid_seconds": (0, None),
    "logged_in_seconds": (0, None),
    "unavailable_seconds": (0, None),
    "interval_minutes": (1, 1440),
}
#: (later, earlier, reason): later must not be before earlier.
ORDER = (
    ("answered_at", "created_at", "answered before it was created"),
    ("resolved_at", "created_at", "resolved before it was created"),
    ("first_resolved_at", "created_at", "first resolved before it was created"),
    # no check against resolved_at: Zendesk gives first resolution in whole minutes after creation, which may
    # land seconds after the exact "Solved at" of a ticket never reopened
    ("exit_date", "hire_date", "exit date before hire date"),
)
DOMAINS: dict[str, tuple[str, ...]] = {"channel": CHANNELS, "exit_reason": EXIT_REASONS}
PARTITION_SOURCES = {"created_month": "created_at", "interval_month": "interval_start"}
#: Beyond this span of months in one batch, months are read row by row (see ``_year_month``).
MAX_MONTHS_PER_BATCH = 2400


@dataclass
class References:
    """Known codes the rows may name; None means "do not check"."""

    providers: set[str] | None = None
    sites: set[str] | None = None
    agents: set[str] | None = None


@dataclass
class Context:
    profile: Profile
    table: FactTable
    run_id: str
    bound_provider: str | None = None
    constants: dict = field(default_factory=dict)
    references: References = field(default_factory=References)
    #: the installation's secret for hashing customer_key; None leaves it as read (engine tests only)
    customer_key_secret: bytes | None = None


class Problems:
    """First problem per row: which column and why."""

    def __init__(self, n: int):
        self.n = n
        self.column = pa.nulls(n, pa.string())
        self.reason = pa.nulls(n, pa.string())
        self.flagged = convert.none_bad(n)

    def add(self, mask: pa.Array, column: str, reason) -> None:
        """``reason``: a string, an array, or a callable building the array (only when some row is new here)."""
        if not pc.any(mask).as_py():  # the common case: nothing wrong, nothing more to compute
            return
        mask = pc.and_(mask.fill_null(False), pc.invert(self.flagged))
        if not pc.any(mask).as_py():
            return
        if callable(reason):
            reason = reason()
        self.flagged = pc.or_(self.flagged, mask)
        self.column = pc.if_else(mask, column, self.column)
        self.reason = pc.if_else(mask, reason, self.reason)


def _quoted(prefix: str, raw: pa.Array, suffix: str = "") -> pa.Array:
    text = pc.utf8_slice_codeunits(convert.clean_strings(raw), 0, 80)
    return pc.binary_join_element_wise(prefix + "'", text, "'" + suffix, "")


def _kind(type_: pa.DataType) -> str:
    if pa.types.is_timestamp(type_):
        return "not a date-time"
    if pa.types.is_date(type_):
        return "not a date"
    if pa.types.is_boolean(type_):
        return "not a yes/no value"
    if pa.types.is_integer(type_):
        return "not a whole number"
    return "not a number"


def _apply_map(arr: pa.Array, mapping: dict) -> pa.Array:
    cleaned = convert.clean_strings(arr)
    keys = pa.array(list(mapping), pa.string())
    values = pa.array(
        [None if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in mapping.values()],
        pa.string(),
    )
    idx = pc.index_in(pc.utf8_lower(cleaned), value_set=keys)
    return pc.coalesce(pc.take(values, idx), cleaned)


def _convert(arr: pa.Array, type_: pa.DataType, spec: ColumnSpec, profile: Profile):
    tz = spec.timezone or profile.timezone or "UTC"
    if pa.types.is_timestamp(type_):
        return convert.to_timestamp(arr, spec.formats or profile.timestamp_formats, tz)
    if pa.types.is_date(type_):
        return convert.to_date(arr, spec.formats or profile.timestamp_formats, tz)
    if pa.types.is_boolean(type_) and spec.counts:
        number, bad = convert.to_float(arr, decimal=profile.decimal)
        return pc.greater(number, 0.0), bad
    if pa.types.is_boolean(type_):
        return convert.to_bool(arr, profile.true_values, profile.false_values)
    if pa.types.is_integer(type_):
        return convert.to_int(arr, type_, profile.decimal)
    if pa.types.is_floating(type_):
        return convert.to_float(arr, spec.unit, UNITS[spec.unit], profile.decimal)
    cleaned = convert.clean_strings(arr)
    return cleaned, convert.none_bad(len(arr))


def _constant(value, n: int) -> pa.Array:
    text = None if value is None else (str(value).lower() if isinstance(value, bool) else str(value))
    return pa.repeat(pa.scalar(text, pa.string()), n)


def map_batch(raw: pa.RecordBatch, ctx: Context) -> tuple[pa.RecordBatch, Problems, list[dict]]:
    """Canonical columns for ``raw``, the problems found, and agents seen for the first time."""
    n = raw.num_rows
    profile, table = ctx.profile, ctx.table
    problems = Problems(n)
    out: dict[str, pa.Array] = {}
    offsets: list[tuple[str, ColumnSpec, pa.Array]] = []
    products: list[tuple[str, ColumnSpec, pa.Array]] = []
    for fld in table.schema:
        name = fld.name
        if name in DERIVED:
            continue
        spec = profile.columns.get(name)
        run_const = ctx.constants.get(name)
        if spec is None and name == "source" and profile.source:
            spec = ColumnSpec(const=profile.source)
        if spec is None:
            if run_const is None:
                out[name] = pa.nulls(n, fld.type)
                continue
            spec = ColumnSpec(const=run_const)
        if spec.const is not None:
            arr = _constant(spec.const, n)
        elif spec.present_field(raw.schema.names):
            arr = raw.column(spec.present_field(raw.schema.names))
            if spec.time_field in raw.schema.names:  # a report's date and time of day, in two columns
                clock = convert.clean_strings(raw.column(spec.time_field))
                arr = pc.binary_join_element_wise(convert.clean_strings(arr), clock, " ")
        else:
            arr = pa.nulls(n, pa.string())  # optional field absent from this file
        if spec.map:
            arr = _apply_map(arr, spec.map)
        if spec.offset_from and pa.types.is_timestamp(fld.type):
            offsets.append((name, spec, arr))  # needs its base column: done after the loop
            continue
        if spec.multiply_by:
            products.append((name, spec, arr))  # needs its count column: done after the loop
            continue
        values, bad = _convert(arr, fld.type, spec, profile)
        if spec.default is not None:
            default, _ = _convert(_constant(spec.default, n), fld.type, spec, profile)
            values = pc.coalesce(values, default)
        if run_const is not None and spec.const is None:
            const, _ = _convert(_constant(run_const, n), fld.type, ColumnSpec(), profile)
            values = pc.coalesce(values, const)
        if pc.any(bad).as_py():
            problems.add(bad, spec.field or name, _quoted(f"{_kind(fld.type)}: ", arr))
        out[name] = values
    for name, spec, arr in offsets:
        out[name] = _offset(out[spec.offset_from], arr, spec, problems, profile.decimal)
    for name, spec, arr in products:
        out[name] = _product(out[spec.multiply_by], arr, spec, table.schema.field(name).type, problems, profile)
    for name, spec in profile.columns.items():
        for fb in spec.fallback:
            out[name] = pc.coalesce(out[name], out[fb].cast(out[name].type))
    if ctx.customer_key_secret is not None and "customer_key" in out:
        out["customer_key"] = hash_customer_keys(out["customer_key"], ctx.customer_key_secret)
    _default_flags(out, table)
    _bind_provider(out, ctx, problems)
    _validate(out, table, problems)
    new_agents = _check_references(out, ctx, problems)
    for part, src in PARTITION_SOURCES.items():
        if part in table.schema.names:
            out[part] = _year_month(out[src])
    if "ingest_run" in table.schema.names:
        out["ingest_run"] = _constant(ctx.run_id, n)
    batch = pa.RecordBatch.from_arrays([out[f.name].cast(f.type) for f in table.schema], names=table.schema.names)
    return batch, problems, new_agents


def _product(count: pa.Array, arr: pa.Array, spec: ColumnSpec, type_, problems: Problems, profile) -> pa.Array:
    """A total from an average (or a percent) per counted unit: 02:15 average handle x 40 answered = 5,400 s.

    Reports that give only averages (ACD interval reports) lose nothing this
    way: the average is the total over the same count. The derivation stays in
    the run's stored profile (``multiply_by``).
    """
    values, bad = convert.to_float(arr, spec.unit, UNITS[spec.unit], profile.decimal)
    if pc.any(bad).as_py():
        problems.add(bad, spec.field, lambda: _quoted(f"{_kind(pa.float64())}: ", arr))
    if spec.unit == "percent":
        values = pc.divide(values, 100.0)
    total = pc.multiply(values, count.cast(pa.float64()))
    if spec.default is not None:
        default, _ = _convert(_constant(spec.default, len(arr)), type_, ColumnSpec(), profile)
        total = pc.coalesce(total, default.cast(pa.float64()))
    if pa.types.is_integer(type_):  # 76.92% of 13 calls is 10 calls, not 9.9996
        total = pc.round(total)
    return total.cast(type_)


def _offset(base: pa.Array, arr: pa.Array, spec: ColumnSpec, problems: Problems, decimal: str = ".") -> pa.Array:
    """``base`` plus a duration read in ``spec.unit`` (Zendesk's "First reply time in minutes")."""
    seconds, bad = convert.to_float(arr, spec.unit, UNITS[spec.unit], decimal)
    absurd = pc.greater(pc.abs(seconds), 1e11).fill_null(False)  # thousands of years: not a response time
    if pc.any(absurd).as_py():
        seconds = pc.if_else(absurd, pa.scalar(None, pa.float64()), seconds)
        bad = pc.or_(bad, absurd)
    if pc.any(bad).as_py():
        problems.add(bad, spec.field, lambda: _quoted("not a number: ", arr))
    micros = pc.round(pc.multiply(seconds, 1_000_000.0)).cast(pa.int64()).cast(pa.duration("us"))
    return pc.add(base.cast(convert.UTC_US), micros)


def _year_month(ts: pa.Array) -> pa.Array:
    """``YYYY-MM`` of UTC timestamps.

    Each row's month is found by binary search among the month starts the
    batch spans (a few months): three times cheaper than extracting year and
    month per row, and ``strftime`` costs ten times more.
    """
    micros = ts.cast(pa.timestamp("us", tz="UTC")).cast(pa.int64())
    span = pc.min_max(micros).as_py()
    if span["min"] is None:
        return pa.nulls(len(ts), pa.string())
    first, last = (np.datetime64(span[end], "us").astype("datetime64[M]") for end in ("min", "max"))
    months = np.arange(first, last + 1).astype(np.int64)  # months since 1970-01
    if len(months) > MAX_MONTHS_PER_BATCH:
        return _year_month_per_row(micros.cast(pa.timestamp("us", tz="UTC")))
    starts = months[1:].astype("datetime64[M]").astype("datetime64[us]").astype(np.int64)
    index = np.searchsorted(starts, micros.fill_null(span["min"]).to_numpy(), side="right").astype(np.int32)
    labels = pa.array([f"{1970 + m // 12:04d}-{m % 12 + 1:02d}" for m in months.tolist()], pa.string())
    nulls = pc.is_null(micros).to_numpy(zero_copy_only=False) if micros.null_count else None
    return pc.take(labels, pa.array(index, mask=nulls))


def _year_month_per_row(ts: pa.Array) -> pa.Array:
    """``YYYY-MM`` from each row's year and month: for batches spanning centuries (bad dates, soon rejected)."""
    index = pc.add(pc.multiply(pc.year(ts), 12), pc.subtract(pc.month(ts), 1))
    months = pc.unique(index).drop_null()
    labels = pa.array([f"{v // 12:04d}-{v % 12 + 1:02d}" for v in months.to_pylist()], pa.string())
    return pc.take(labels, pc.index_in(index, value_set=months))


def _default_flags(out: dict, table: FactTable) -> None:
    """A missing flag means "no"; ``resolved`` defaults to having a resolution time."""
    for fld in table.schema:
        if pa.types.is_boolean(fld.type) and not fld.nullable:
            if fld.name == "resolved" and "resolved_at" in out:
                out[fld.name] = pc.coalesce(out[fld.name], pc.is_valid(out["resolved_at"]))
            else:
                out[fld.name] = out[fld.name].fill_null(False)


def _bind_provider(out: dict, ctx: Context, problems: Problems) -> None:
    if ctx.bound_provider is None or "provider" not in out:
        return
    bound = ctx.bound_provider
    provider = out["provider"]
    other = pc.not_equal(provider, bound).fill_null(False)
    problems.add(
        other,
        "provider",
        lambda: _quoted("row names provider ", provider, f" but this upload is bound to provider '{bound}'"),
    )
    out["provider"] = provider.fill_null(bound)


def _validate(out: dict, table: FactTable, problems: Problems) -> None:
    for fld in table.schema:
        if not fld.nullable and fld.name not in DERIVED:
            problems.add(pc.is_null(out[fld.name]), fld.name, "missing required value")
    for name, allowed in DOMAINS.items():
        if name in out:
            bad = pc.invert(pc.is_in(out[name], value_set=pa.array(allowed))).fill_null(False)
            bad = pc.and_(bad, pc.is_valid(out[name]))
            problems.add(
                bad,
                name,
                lambda name=name, allowed=allowed: _quoted("", out[name], f" is not one of {', '.join(allowed)}"),
            )
    for name, (lo, hi) in RANGES.items():
        if name not in out or pa.types.is_boolean(out[name].type):
            continue
        values = out[name]
        if lo is not None:
            problems.add(
                pc.less(values, lo),
                name,
                lambda values=values, lo=lo: _quoted("", values.cast(pa.string()), f" is below the minimum {lo}"),
            )
        if hi is not None:
            problems.add(
                pc.greater(values, hi),
                name,
                lambda values=values, hi=hi: _quoted("", values.cast(pa.string()), f" is above the maximum {hi}"),
            )
    for later, earlier, reason in ORDER:
        if later in out and earlier in out:
            problems.add(pc.less(out[later], out[earlier]), later, reason)


def _check_references(out: dict, ctx: Context, problems: Problems) -> list[dict]:
    refs = ctx.references
    for col, known in (("provider", refs.providers), ("site", refs.sites)):
        if known is not None and col in out:
            unknown = pc.and_(
                pc.is_valid(out[col]), pc.invert(pc.is_in(out[col], value_set=pa.array(sorted(known), pa.string())))
            )
            problems.add(unknown, col, lambda col=col: _quoted(f"unknown {col} ", out[col]))
    if refs.agents is None or "agent" not in out:
        return []
    unknown = pc.and_(
        pc.is_valid(out["agent"]),
        pc.invert(pc.is_in(out["agent"], value_set=pa.array(sorted(refs.agents), pa.string()))),
    )
    if ctx.profile.unknown_agents == "reject":
        problems.add(
            unknown,
            "agent",
            lambda: _quoted(
                "unknown agent ", out["agent"], " (add the agent, or use a profile that accepts new agents)"
            ),
        )
        return []
    keep = pc.and_(unknown, pc.invert(problems.flagged))
    if not pc.any(keep).as_py():
        return []
    cols = [c for c in ("provider", "site", "agent") if c in out]
    seen = pa.table({c: pc.filter(out[c], keep) for c in cols}).group_by(cols).aggregate([])
    return seen.to_pylist()
