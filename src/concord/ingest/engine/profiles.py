"""Source profiles: declarative mappings from an external export onto a fact table.

A profile is data (YAML on disk, JSON in the database): which table it feeds,
how to read the file, and for each canonical column where its value comes from
(a source field or a constant) and how to read it (timestamp formats, time zone
of naive timestamps, value maps, boolean spellings, duration units). An
optional named ``transform`` (see ``transforms.TRANSFORMS``) reshapes the raw
rows first, e.g. aggregating an event log into one ticket per case.

``load_profile`` accepts a built-in name, a path to a YAML/JSON file, a dict
or a ``Profile`` and raises ``ProfileError`` listing every problem found.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pyarrow as pa
import yaml

from concord.lake.schemas import TABLES

BUILTIN_DIR = Path(__file__).with_name("profiles")
FORMATS = ("csv", "parquet", "jsonl", "json")
#: duration units (value: seconds per unit for plain numbers); the clock ones also read h:mm:ss, and
#: two parts as h:mm (hms, hh:mm) or m:ss (mm:ss); percent reads 76.92% or 76.92 as 76.92
UNITS = {
    "seconds": 1.0,
    "milliseconds": 0.001,
    "minutes": 60.0,
    "hours": 3600.0,
    "hms": 1.0,
    "hh:mm": 1.0,
    "mm:ss": 1.0,
    "percent": 1.0,
}
DECIMAL_MARKS = (".", ",")
AGENT_POLICIES = ("reject", "flag")
TRUE_VALUES = ("true", "t", "yes", "y", "1", "si", "sí", "oui", "ja")
FALSE_VALUES = ("false", "f", "no", "n", "0", "non", "nein")
#: Columns the run fills in itself; a profile cannot map them.
DERIVED = ("created_month", "interval_month", "ingest_run")


class ProfileError(ValueError):
    """A profile that cannot be used; ``problems`` lists each reason."""

    def __init__(self, name: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"profile {name!r} is not valid: " + "; ".join(problems))


@dataclass(frozen=True)
class ColumnSpec:
    """Where one canonical column's value comes from and how to read it."""

    field: str | None = None  # source column (after any transform)
    const: Any = None  # constant value instead of a field
    formats: tuple[str, ...] = ()  # timestamp/date formats: 'iso', strptime patterns, 'epoch_s', 'epoch_ms'
    timezone: str | None = None  # zone of naive timestamps; the profile's when None
    map: dict[str, Any] | None = None  # source value (case-insensitive) -> canonical value
    unit: str = "seconds"  # durations: seconds, milliseconds, minutes, hours, hms ('h:mm:ss')
    default: Any = None  # value when the cell is empty
    optional: bool = False  # the source column may be absent from the file
    fallback: tuple[str, ...] = ()  # canonical columns used, in order, when this one is empty
    offset_from: str | None = None  # timestamps: the field is a duration (in ``unit``) after this canonical column
    time_field: str | None = None  # timestamps: the field holds the date, this one the time of day (Five9)
    multiply_by: str | None = None  # the field is an average (or a percent) per unit of this count column: total
    counts: bool = False  # yes/no columns: the field is a count (Zendesk "Reopens"), yes when above zero
    aliases: tuple[str, ...] = ()  # other names the source column goes by (vendors rename report columns)

    def present_field(self, names) -> str | None:
        """The name this column goes by in a file with columns ``names`` (the field first, then its aliases)."""
        return next((n for n in (self.field, *self.aliases) if n and n in names), None)


@dataclass(frozen=True)
class Profile:
    name: str
    table: str
    format: str
    columns: dict[str, ColumnSpec]
    description: str = ""
    source: str | None = None  # value of the 'source' column unless mapped
    timezone: str | None = None  # zone of naive timestamps; None: the one given at ingest (see ``with_options``)
    timestamp_formats: tuple[str, ...] = ("iso",)
    true_values: tuple[str, ...] = TRUE_VALUES
    false_values: tuple[str, ...] = FALSE_VALUES
    unknown_agents: str = "reject"  # or 'flag': accept, and report them as new agents
    transform: str | None = None
    transform_options: dict[str, Any] = field(default_factory=dict)
    records: str | None = None  # JSON: key of the array of records ('tickets')
    delimiter: str | None = None  # CSV: None sniffs , ; tab |
    encoding: str | None = None  # CSV: None detects UTF-8 / UTF-16 / Latin-1
    decimal: str = "."  # decimal mark of numbers: "." (1,234.5) or "," (1.234,5)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["columns"] = {
            name: {
                k: v
                for k, v in asdict(spec).items()
                # by identity: a default or constant of 0 equals False but must be kept
                if not (v is None or v is False or v == ()) and not (k == "unit" and v == "seconds")
            }
            for name, spec in self.columns.items()
        }
        return json.loads(json.dumps(data, default=list))


def _text(v) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _texts(v) -> bool:
    return _text(v) or (isinstance(v, list | tuple) and bool(v) and all(_text(x) for x in v))


def _scalar(v) -> bool:
    return isinstance(v, str | int | float | bool)


def _codec(v) -> bool:
    try:
        return isinstance(v, str) and bool(codecs.lookup(v))
    except LookupError:
        return False


#: what each option must hold, and how to say it: every documented option is checked here or below
_SPEC_TYPES = {
    "field": (_text, "a source column name"),
    "const": (_scalar, "a single value"),
    "formats": (_texts, "a format or a list of formats"),
    "default": (_scalar, "a single value"),
    "map": (
        lambda v: isinstance(v, dict) and all(x is None or _scalar(x) for x in v.values()),
        "a mapping of source value to canonical value",
    ),
    "optional": (lambda v: isinstance(v, bool), "true or false"),
    "fallback": (_texts, "a canonical column or a list of them"),
    "offset_from": (_text, "a canonical column name"),
    "time_field": (_text, "a source column name"),
    "multiply_by": (_text, "a canonical column name"),
    "counts": (lambda v: isinstance(v, bool), "true or false"),
    "aliases": (_texts, "a source column name or a list of them"),
}
_PROFILE_TYPES = {
    "source": (_text, "a source name"),
    "description": (lambda v: isinstance(v, str), "text"),
    "timestamp_formats": (_texts, "a format or a list of formats"),
    "true_values": (_texts, "a word or a list of words"),
    "false_values": (_texts, "a word or a list of words"),
    "transform_options": (lambda v: isinstance(v, dict), "a mapping of option to value"),
    "records": (_text, "the key of the records' array"),
    "delimiter": (lambda v: isinstance(v, str) and len(v) == 1, "one character, e.g. ';'"),
    "encoding": (_codec, "an encoding such as utf-8 or latin-1"),
}


def _check_types(raw: dict, types: dict, where: str, problems: list[str]) -> None:
    for key, (ok, what) in types.items():
        if raw.get(key) is not None and not ok(raw[key]):
            problems.append(f"{where}{key} must be {what}, not {raw[key]!r}")


_SPEC_KEYS = set(ColumnSpec.__dataclass_fields__)
_PROFILE_KEYS = set(Profile.__dataclass_fields__)


def profile_from_dict(data: dict[str, Any]) -> Profile:
    """Build and validate a profile from plain data (parsed YAML or JSON)."""
    name = str(data.get("name") or "<unnamed>")
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ProfileError(name, ["a profile must be a mapping"])
    for key in sorted(set(data) - _PROFILE_KEYS):
        problems.append(f"unknown key {key!r} (known: {', '.join(sorted(_PROFILE_KEYS))})")
    _check_types(data, _PROFILE_TYPES, "", problems)
    table = data.get("table")
    if table not in TABLES:
        problems.append(f"table must be one of {', '.join(TABLES)}, not {table!r}")
    fmt = data.get("format", "csv")
    if fmt not in FORMATS:
        problems.append(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if data.get("timezone") is not None:
        _check_zone(data["timezone"], "timezone", problems)
    if data.get("decimal", ".") not in DECIMAL_MARKS:
        problems.append(f"decimal must be one of {' or '.join(map(repr, DECIMAL_MARKS))}, not {data['decimal']!r}")
    if data.get("unknown_agents", "reject") not in AGENT_POLICIES:
        problems.append(f"unknown_agents must be one of {', '.join(AGENT_POLICIES)}")
    transform = data.get("transform")
    if transform is not None:
        from .transforms import TRANSFORMS

        if transform not in TRANSFORMS:
            problems.append(f"transform must be one of {', '.join(TRANSFORMS)}, not {transform!r}")
    columns: dict[str, ColumnSpec] = {}
    raw_columns = data.get("columns") or {}
    if not isinstance(raw_columns, dict) or not raw_columns:
        problems.append("columns must map canonical column names to specs")
        raw_columns = {}
    schema = TABLES[table].schema if table in TABLES else None
    for col, raw in raw_columns.items():
        where = f"columns.{col}"
        if isinstance(raw, str):
            raw = {"field": raw}
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a field name or a mapping")
            continue
        for key in sorted(set(raw) - _SPEC_KEYS):
            problems.append(f"{where}: unknown key {key!r} (known: {', '.join(sorted(_SPEC_KEYS))})")
        bad_types = len(problems)
        _check_types(raw, _SPEC_TYPES, f"{where}: ", problems)
        if len(problems) > bad_types:
            continue  # the checks below would only restate it, or fail on the wrong type
        if schema is not None and col not in schema.names:
            problems.append(f"{where}: {table} has no column {col!r}")
        if col in DERIVED:
            problems.append(f"{where}: filled in by the run, cannot be mapped")
        if ("field" in raw) == ("const" in raw):
            problems.append(f"{where}: give exactly one of 'field' or 'const'")
        if raw.get("unit", "seconds") not in UNITS:
            problems.append(f"{where}: unit must be one of {', '.join(UNITS)}")
        if raw.get("timezone") is not None:
            _check_zone(raw["timezone"], f"{where}.timezone", problems)
        formats = raw.get("formats", ())
        formats = (formats,) if isinstance(formats, str) else tuple(formats)
        fallback = raw.get("fallback", ())
        fallback = (fallback,) if isinstance(fallback, str) else tuple(fallback)
        for fb in fallback:
            if schema is not None and fb not in schema.names:
                problems.append(f"{where}: fallback {fb!r} is not a column of {table}")
        base = raw.get("offset_from")
        if base is not None and schema is not None:
            if col in schema.names and not pa.types.is_timestamp(schema.field(col).type):
                problems.append(f"{where}: offset_from applies to date-time columns only")
            if base not in schema.names or not pa.types.is_timestamp(schema.field(base).type):
                problems.append(f"{where}: offset_from {base!r} is not a date-time column of {table}")
            elif base == col or (
                isinstance(raw_columns.get(base), dict) and raw_columns[base].get("offset_from") is not None
            ):
                problems.append(f"{where}: offset_from {base!r} must be a column read directly, not another offset")
        per = raw.get("multiply_by")
        if per is not None and schema is not None:
            numeric = per in schema.names and (
                pa.types.is_integer(schema.field(per).type) or pa.types.is_floating(schema.field(per).type)
            )
            if not numeric:
                problems.append(f"{where}: multiply_by {per!r} is not a count column of {table}")
            elif per == col or (isinstance(raw_columns.get(per), dict) and raw_columns[per].get("multiply_by")):
                problems.append(f"{where}: multiply_by {per!r} must be a column read directly, not another product")
        spec_kwargs = {k: v for k, v in raw.items() if k in _SPEC_KEYS}
        aliases = raw.get("aliases", ())
        aliases = (aliases,) if isinstance(aliases, str) else tuple(aliases)
        spec_kwargs.update(formats=formats, fallback=fallback, aliases=aliases)
        if spec_kwargs.get("map"):
            spec_kwargs["map"] = {str(k).strip().lower(): v for k, v in spec_kwargs["map"].items()}
        columns[col] = ColumnSpec(**spec_kwargs)
    if problems:
        raise ProfileError(name, problems)
    kwargs = {k: v for k, v in data.items() if k in _PROFILE_KEYS and k != "columns"}
    kwargs.update(name=name, format=fmt)  # validated above with their defaults
    for key in ("timestamp_formats", "true_values", "false_values"):
        if key in kwargs:
            value = kwargs[key]
            kwargs[key] = (
                (value,)
                if isinstance(value, str)
                else tuple(str(v).lower() for v in value)
                if key != "timestamp_formats"
                else tuple(value)
            )
    kwargs.setdefault("transform_options", {})
    return Profile(columns=columns, **kwargs)


def _check_zone(value: Any, where: str, problems: list[str]) -> None:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"{where}: unknown time zone {value!r} (use an IANA name such as Europe/Lisbon)")


def builtin_profiles() -> dict[str, Profile]:
    """Every profile shipped under ``profiles/*.yaml``, by name."""
    out = {}
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        profile = load_profile(path)
        out[profile.name] = profile
    return out


def load_profile(ref: str | Path | dict | Profile) -> Profile:
    """A profile from a built-in name, a YAML/JSON file path, a dict, or as is."""
    if isinstance(ref, Profile):
        return ref
    if isinstance(ref, dict):
        return profile_from_dict(ref)
    path = Path(ref)
    if not path.suffix and not path.exists():
        path = BUILTIN_DIR / f"{ref}.yaml"
        if not path.exists():
            known = ", ".join(p.stem for p in sorted(BUILTIN_DIR.glob("*.yaml")))
            raise ProfileError(str(ref), [f"no built-in profile of that name (known: {known})"])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(str(ref), [f"cannot read {path}: {exc}"]) from None
    if not isinstance(data, dict):
        raise ProfileError(str(ref), [f"{path} does not hold a mapping"])
    data.setdefault("name", path.stem)
    return profile_from_dict(data)


@dataclass(frozen=True)
class IngestOptions:
    """What a file needs that the export itself does not say, given when it is loaded.

    ``program`` and ``contact_type`` fill rows that name none (a row's own value
    wins); ``timezone`` is the zone of naive timestamps (offsets in the file
    win); ``maps`` adds value maps per canonical column, e.g.
    ``{"channel": {"phone": "voice"}}``, over the profile's own.
    """

    program: str | None = None
    contact_type: str | None = None
    timezone: str | None = None
    maps: dict[str, dict[str, Any]] = field(default_factory=dict)

    def problems(self, table: str) -> list[str]:
        out: list[str] = []
        if self.timezone is not None:
            _check_zone(self.timezone, "time zone", out)
        schema = TABLES[table].schema
        for name, value in (("program", self.program), ("contact type", self.contact_type)):
            if value is not None and not str(value).strip():
                out.append(f"{name}: give a code, not an empty value")
        for col, mapping in self.maps.items():
            if col not in schema.names:
                out.append(f"value map: {table} has no column {col!r}")
            elif not isinstance(mapping, dict) or not mapping:
                out.append(f"value map for {col!r}: give source=canonical pairs")
        if self.contact_type is not None and "contact_type" not in schema.names:
            out.append(f"contact type: {table} has no contact type")
        return out


def parse_maps(pairs: list[str]) -> dict[str, dict[str, str]]:
    """``["channel:phone=voice", ...]`` -> ``{"channel": {"phone": "voice"}}``; ``ValueError`` naming a bad pair."""
    maps: dict[str, dict[str, str]] = {}
    for pair in pairs:
        column, sep, rest = pair.partition(":")
        source, eq, value = rest.partition("=")
        if not (sep and eq and column.strip() and source.strip()):
            raise ValueError(f"value map {pair!r}: write COLUMN:SOURCE=VALUE, e.g. channel:phone=voice")
        maps.setdefault(column.strip(), {})[source.strip()] = value.strip()
    return maps


def with_options(profile: Profile, options: IngestOptions | None) -> Profile:
    """``profile`` with the ingest-time options folded in, so a stored run replays exactly as it ran."""
    if options is None:
        return profile
    problems = options.problems(profile.table)
    if problems:
        raise ProfileError(profile.name, problems)
    columns = dict(profile.columns)
    names = TABLES[profile.table].schema.names
    for name, value in (("program", options.program), ("contact_type", options.contact_type)):
        if value is None or name not in names:  # an agent-state report or a roster has no program
            continue
        value = str(value).strip()
        spec = columns.get(name)
        if spec is None or spec.const is not None:
            columns[name] = ColumnSpec(const=value)
        else:  # the export may name it on some rows: those keep their own
            columns[name] = replace(spec, default=value, optional=True)
    for name, mapping in options.maps.items():
        spec = columns.get(name) or ColumnSpec(field=name, optional=True)
        merged = dict(spec.map or {})
        merged.update({str(k).strip().lower(): v for k, v in mapping.items()})
        columns[name] = replace(spec, map=merged)
    return replace(profile, columns=columns, timezone=options.timezone or profile.timezone)


def missing_required(profile: Profile, *, given: tuple[str, ...] = (), provider_bound: bool = False) -> list[str]:
    """Required canonical columns nothing fills: neither the profile, ``given`` constants nor the bound provider."""
    out = []
    for fld in TABLES[profile.table].schema:
        if fld.nullable or fld.name in DERIVED or pa.types.is_boolean(fld.type):
            continue
        if fld.name in profile.columns or fld.name in given:
            continue
        if (fld.name == "source" and profile.source) or (fld.name == "provider" and provider_bound):
            continue
        out.append(fld.name)
    return out


def describe(definition: dict[str, Any]) -> list[tuple[str, str]]:
    """How a run read its file, in words, from the profile it stored: zone, program, derived totals."""
    columns = definition.get("columns") or {}
    out = [("Times without an offset read in", definition.get("timezone") or "UTC")]
    for name, label in (("program", "Program"), ("contact_type", "Contact type")):
        spec = columns.get(name) or {}
        if spec.get("const") is not None:
            out.append((label, f"{spec['const']} (every row)"))
        elif spec.get("default") is not None:
            out.append((label, f"{spec['default']} (rows that name none)"))
    for name, spec in columns.items():
        if isinstance(spec, dict) and spec.get("multiply_by"):
            per = " / 100" if spec.get("unit") == "percent" else ""
            out.append(("Derived", f"{name} = {spec['field']!r}{per} x {spec['multiply_by']}"))
    return out


def canonical_columns(table: str) -> list[tuple[str, bool, str]]:
    """(column, required, what it holds) of a fact table, as a file in Concord's own format carries them."""
    return [
        (f.name, not f.nullable, TABLES[table].doc(f.name)) for f in TABLES[table].schema if f.name not in DERIVED
    ]


def template_csv(table: str) -> str:
    """The header row of a file in Concord's canonical format for ``table``: the template a person fills in."""
    return ",".join(name for name, _, _ in canonical_columns(table)) + "\n"


def target_type(profile: Profile, column: str) -> pa.DataType:
    return TABLES[profile.table].schema.field(column).type


def typed_columns(profile: Profile) -> dict[str, pa.DataType] | None:
    """Source fields pyarrow may convert while parsing, or None when ``profile`` is not a plain 1:1 CSV mapping.

    Plain means: no transform, ISO 8601 times only, and no column with a value
    map, unit, default, format or offset. Integers are read as float64 (the
    text path reads them so too: ``4.0`` is 4), date-times only with an offset
    (a naive cell fails the typed read, so its zone is the text path's), dates
    and strings stay text. A field feeding two canonical columns stays text.
    """
    if profile.format != "csv" or profile.transform or tuple(profile.timestamp_formats) != ("iso",):
        return None
    schema = TABLES[profile.table].schema
    uses: dict[str, int] = {}
    for spec in profile.columns.values():
        if spec.const is not None:
            continue
        if (
            spec.map
            or spec.unit != "seconds"
            or spec.default is not None
            or spec.offset_from is not None
            or spec.counts
            or spec.multiply_by
            or spec.time_field
            or spec.formats not in ((), ("iso",))
            or spec.aliases
        ):
            return None
        uses[spec.field] = uses.get(spec.field, 0) + 1
    types: dict[str, pa.DataType] = {}
    for name, spec in profile.columns.items():
        if spec.const is not None or uses[spec.field] > 1:
            continue
        type_ = schema.field(name).type
        if pa.types.is_timestamp(type_):
            types[spec.field] = pa.timestamp("us", tz="UTC")
        elif pa.types.is_integer(type_) or pa.types.is_floating(type_):
            types[spec.field] = pa.float64()
        elif pa.types.is_boolean(type_) and profile.true_values and profile.false_values:
            types[spec.field] = pa.bool_()
    return types or None
