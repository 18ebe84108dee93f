"""Lake versions that must stay readable: the ones a stored, frozen record says it was computed from.

An SLA result names the version it measured; a closed credit statement the
versions its frozen results read. Vacuuming the lake must keep every file of
those versions, whatever the retention, so that the figure can be reproduced
exactly as it was billed. One selector gathers them: each kind of frozen record
names its function in ``PINNERS`` (a dotted path, so this shared module imports
no domain); a function returns ``(table, version)`` pairs. Frozen review packs,
when they record the versions they read, add theirs here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.utils.module_loading import import_string

PINNERS: list[str] = [
    "concord.jobs.pins.sla_results",
    "concord.jobs.pins.closed_statements",
]


def sla_results() -> Iterable[tuple[str, int]]:
    SLAResult = apps.get_model("contracts", "SLAResult")
    return SLAResult.objects.exclude(lake_version=None).values_list("lake_table", "lake_version").distinct()


def closed_statements() -> Iterable[tuple[str, int]]:
    Statement = apps.get_model("contracts", "Statement")
    for versions in Statement.objects.values_list("lake_versions", flat=True):
        for table, version in (versions or {}).items():
            if version is not None:
                yield table, int(version)


def pinned_versions() -> dict[str, set[int]]:
    """Table -> every version some frozen record pins."""
    pins: dict[str, set[int]] = {}
    for path in PINNERS:
        for table, version in import_string(path)():
            pins.setdefault(table, set()).add(int(version))
    return pins
