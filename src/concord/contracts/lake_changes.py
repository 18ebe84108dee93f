"""Which lake commits touch what a stored SLA result read, from the Delta log's own metadata.

A result read one table at one version, for one provider, over the UTC months its month
and look-ahead span. Between that version and today's, the files added or removed are the
symmetric difference of the two versions' ``add`` actions; each carries its partition value
(the UTC month: ``created_month``, ``interval_month``...) and its column statistics, among
them the min and max of ``provider``. A commit whose changed files all lie in other months,
or hold only other providers, cannot change the result; so a load of Bravo's December data
leaves Alpha's closed November alone. When the log cannot tell (a version vacuumed away, a
file without statistics), the change counts: never a false "up to date".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import pyarrow as pa
from deltalake import DeltaTable
from deltalake.exceptions import DeltaError

from concord.lake.schemas import TABLES
from concord.lake.store import Lake

OWNER_COLUMN = "provider"


@dataclass(frozen=True)
class ChangedFile:
    month: str | None  # the partition's UTC month, None when the table is not partitioned by month
    provider_min: str | None
    provider_max: str | None

    def touches(self, provider: str, months: set[str]) -> bool:
        if self.month is not None and self.month not in months:
            return False
        if self.provider_min is None or self.provider_max is None:
            return True  # no statistics: it may hold anyone's rows
        return self.provider_min <= provider <= self.provider_max


@lru_cache(maxsize=128)
def _files(table_uri: str, partition: str | None, version: int) -> dict[str, ChangedFile]:
    """The active files of one table version (versions never change once committed)."""
    actions = pa.table(DeltaTable(table_uri, version=version).get_add_actions(flatten=True)).to_pylist()
    return {
        a["path"]: ChangedFile(
            a.get(f"partition.{partition}") if partition else None,
            a.get(f"min.{OWNER_COLUMN}"),
            a.get(f"max.{OWNER_COLUMN}"),
        )
        for a in actions
    }


def changed_files(lake: Lake, table: str, version_from: int | None, version_to: int | None) -> list[ChangedFile] | None:
    """Files added or removed between two versions; None when it cannot be told (treat as all changed)."""
    if version_from == version_to:
        return []
    if version_from is None or version_to is None or table not in TABLES:
        return None
    partition = next((p for p in TABLES[table].partition_by if p.endswith("_month")), None)
    uri = lake.table_uri(table)
    try:
        before, after = _files(uri, partition, version_from), _files(uri, partition, version_to)
    except (DeltaError, OSError, ValueError):  # a vacuumed or unreadable version: the change counts
        return None
    return [after[p] for p in after.keys() - before.keys()] + [before[p] for p in before.keys() - after.keys()]


def utc_months(start: dt.datetime, end: dt.datetime) -> set[str]:
    """The UTC months ``YYYY-MM`` that [start, end) overlaps: the partitions a read of that span opens."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    months, day = set(), start.date().replace(day=1)
    while dt.datetime(day.year, day.month, 1, tzinfo=dt.UTC) < end:
        months.add(f"{day:%Y-%m}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def touches(changes: list[ChangedFile] | None, provider: str, months: set[str]) -> bool:
    return changes is None or any(f.touches(provider, months) for f in changes)
