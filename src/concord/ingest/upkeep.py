"""The lake's scheduled upkeep: compact small files and vacuum old versions, every fact table in turn.

Runs with the worker's start-up maintenance and ``manage.py concord_maintenance``
(schedule that, e.g. nightly from cron). A table an ingest is writing is skipped this time
(its write lock is taken without waiting). Versions that stored SLA results and
closed statements read are kept readable (``concord.jobs.pins``).
"""

from __future__ import annotations

from django.conf import settings

from concord.jobs.pins import pinned_versions
from concord.lake.schemas import TABLES
from concord.lake.storage import delta_storage_options
from concord.lake.store import Lake
from concord.lake.upkeep import tidy

from . import locks


def tidy_lake() -> dict[str, int]:
    lake = Lake(settings.LAKE_URI)
    pins = pinned_versions()
    done = {"tables compacted": 0, "files compacted": 0, "files vacuumed": 0, "tables busy": 0}
    for name in TABLES:
        if lake.version(name) is None:
            continue
        with locks.table_lock(name, wait=False) as held:
            if not held:
                done["tables busy"] += 1
                continue
            result = tidy(lake.table_uri(name), retention_hours=settings.LAKE_RETENTION_HOURS,
                          keep=pins.get(name, set()), storage_options=delta_storage_options(lake.uri))
        done["tables compacted"] += result.files_compacted > 0
        done["files compacted"] += result.files_compacted
        done["files vacuumed"] += result.files_vacuumed
    return done
