"""The mapping wizard's engine: suggest a mapping for a sample file, and show its first rows as they would land.

Suggestions come from the built-in profiles of the same table (a column the
Zendesk or ACD profile reads is mapped the way that profile maps it, with its
value maps and units) and from Concord's own column names. The preview maps the
first rows exactly as a run would, without writing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from concord.lake.schemas import TABLES

from .mapping import Context, map_batch
from .profiles import DERIVED, Profile, builtin_profiles
from .readers import open_csv

#: unambiguous date-time spellings a wizard profile starts with (day/month orders are left to the person)
WIZARD_FORMATS = ["iso", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"]


@dataclass
class Preview:
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)  # canonical values of the first rows
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, reason) of rejected rows


def suggest_columns(columns: list[str], table: str) -> dict[str, dict]:
    """Canonical column -> column spec (as plain data) for the sample's ``columns``."""
    known: dict[str, dict] = {}
    # vendors' profiles first: Freshdesk's "Source" is the channel, not Concord's own "source" column
    profiles = sorted(builtin_profiles().values(), key=lambda p: p.name.startswith("canonical-"))
    for profile in profiles:
        if profile.table != table or profile.transform:
            continue
        for canonical, spec in profile.to_dict()["columns"].items():
            if not spec.get("field") or spec.get("offset_from") or spec.get("multiply_by"):
                continue
            seen = known.setdefault(spec["field"].strip().lower(), {"canonical": canonical, **spec})
            if seen["canonical"] == canonical and spec.get("map"):  # "Status": Zendesk's words and Freshdesk's
                seen["map"] = {**spec["map"], **(seen.get("map") or {})}
    for name in TABLES[table].schema.names:
        known.setdefault(name, {"canonical": name, "field": name})
    out: dict[str, dict] = {}
    for column in columns:
        hit = known.get(column.strip().lower())
        if hit is None or hit["canonical"] in out or hit["canonical"] in DERIVED:
            continue
        spec = {k: v for k, v in hit.items() if k not in ("canonical", "fallback")}
        out[hit["canonical"]] = {**spec, "field": column, "optional": True}
    return out


def preview(path: Path, profile: Profile, *, rows: int = 20, bound_provider: str | None = None,
            customer_key_secret: bytes | None = None) -> Preview:
    """The first ``rows`` of a CSV sample mapped through ``profile``: what would land, and what would be rejected."""
    source = open_csv(path, delimiter=profile.delimiter, encoding=profile.encoding, threads=False)
    result = Preview(columns=source.columns)
    first = next(iter(source.batches), None)
    if first is None:
        return result
    raw = first.slice(0, rows)
    ctx = Context(profile, TABLES[profile.table], "preview", bound_provider, customer_key_secret=customer_key_secret)
    canonical, problems, _ = map_batch(raw, ctx)
    flagged = problems.flagged.to_pylist()
    columns, reasons = problems.column.to_pylist(), problems.reason.to_pylist()
    for i, row in enumerate(canonical.to_pylist()):
        if flagged[i]:
            result.problems.append((i + 1, columns[i], reasons[i]))
        else:
            result.rows.append({k: v for k, v in row.items() if k not in DERIVED and v is not None})
    return result
