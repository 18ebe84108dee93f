"""What a worker does when it starts, and the maintenance task does on demand: sweep dead jobs, clean leftovers.

Each domain that leaves files behind when a process is killed names its cleaner
here (a dotted path, so this shared module imports no domain). A cleaner must
never touch what a live job uses; it returns counts of what it removed.
"""

from __future__ import annotations

import datetime as dt

from django.utils.module_loading import import_string

from . import lifecycle

#: cleaners run after the sweep, in order
CLEANERS = (
    "concord.ingest.maintenance.clean_leftovers",
    "concord.ingest.retention.remove_expired_uploads",
    "concord.ingest.upkeep.tidy_lake",
)


def run(now: dt.datetime | None = None) -> dict[str, dict[str, int]]:
    """Sweep every job model, then run every cleaner; returns what each did."""
    report = {"failed dead jobs": lifecycle.sweep_all(now)}
    for path in CLEANERS:
        report[path.rsplit(".", 1)[0]] = import_string(path)()
    return report
