"""The lake's upkeep: small files compacted, old versions vacuumed, pinned versions kept readable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from tests.lake.test_lookup import _rows

from concord.contracts.models import SLA, Contract, SLAResult
from concord.contracts.statement_models import Statement
from concord.jobs import maintenance, pins
from concord.lake.store import Lake
from concord.lake.upkeep import tidy
from concord.lake.write import commit_batches


def _five_small_commits_and_an_update(lake: Lake) -> None:
    """Versions 0-4 add ten January rows each (one small file each); version 5 updates rows 0-4."""
    for i in range(5):
        commit_batches(lake, "interactions", [_rows(range(i * 10, i * 10 + 10), 1)])
    commit_batches(lake, "interactions", [_rows(range(5), 1, updated_day=9, wait=7.0)])


def _readable(lake: Lake, version: int) -> bool:
    try:
        lake.read_arrow("interactions", version=version)
    except FileNotFoundError:
        return False
    return True


def test_tidy_compacts_small_files_and_keeps_only_the_pinned_old_version(tmp_path):
    lake = Lake(tmp_path)
    _five_small_commits_and_an_update(lake)
    latest_rows = lake.read_arrow("interactions").sort_by("external_id")
    files = len(lake.delta("interactions").file_uris())
    assert files >= 5  # one per commit; the update rewrote rows 0-4's file or added one
    # when tidied with no retention, version 1 pinned
    result = tidy(lake.table_uri("interactions"), retention_hours=0, keep={1})
    # then January is one file holding the same rows
    assert result.files_before == files and result.files_after == 1 and result.kept_versions == (1,)
    assert lake.read_arrow("interactions").sort_by("external_id").equals(latest_rows)
    # and version 1 reads exactly as before (20 rows); version 3, unpinned, lost its files
    assert lake.read_arrow("interactions", version=1).num_rows == 20
    assert not _readable(lake, 3)
    # and a second run on the tidy table commits nothing
    version = lake.version("interactions")
    again = tidy(lake.table_uri("interactions"), retention_hours=0, keep={1})
    assert (again.files_compacted, again.files_vacuumed, lake.version("interactions")) == (0, 0, version)


def test_tidy_within_the_retention_removes_nothing(tmp_path):
    lake = Lake(tmp_path)
    _five_small_commits_and_an_update(lake)
    result = tidy(lake.table_uri("interactions"), retention_hours=24)
    assert result.files_compacted >= 5 and result.files_vacuumed == 0
    assert all(_readable(lake, v) for v in range(6))


def _contract(world) -> SLA:
    contract = Contract.objects.create(provider=world.partner_a, name="A", start_date=dt.date(2026, 1, 1),
                                       monthly_fee=Decimal(1000), at_risk_percent=Decimal(10))
    return SLA.objects.create(contract=contract, name="AHT", metric_key="aht", comparator="<=", target=300,
                              allocation_percent=Decimal(100))


@pytest.mark.django_db
def test_pins_gather_sla_results_and_closed_statements(world):
    sla = _contract(world)
    SLAResult.objects.create(sla=sla, period=dt.date(2026, 1, 1), status="met", lake_table="interactions",
                             lake_version=3)
    SLAResult.objects.create(sla=sla, period=dt.date(2026, 2, 1), status="error", lake_table="interactions")
    Statement.objects.create(contract=sla.contract, period=dt.date(2026, 1, 1), closed_by_name="x", lines=[],
                             totals={}, lake_versions={"interactions": 1, "intervals": 4}, terms_hash="h")
    assert pins.pinned_versions() == {"interactions": {1, 3}, "intervals": {4}}


@pytest.mark.django_db
def test_the_maintenance_task_keeps_the_version_a_stored_sla_result_measured(world, settings, tmp_path):
    # given a lake with small files and an SLA result that measured version 2
    settings.LAKE_URI = str(tmp_path / "lake")
    settings.INGEST_DIR = tmp_path / "ingest"
    settings.LAKE_RETENTION_HOURS = 0
    lake = Lake(settings.LAKE_URI)
    _five_small_commits_and_an_update(lake)
    SLAResult.objects.create(sla=_contract(world), period=dt.date(2024, 1, 1), status="met",
                             lake_table="interactions", lake_version=2)
    # when the maintenance runs
    report = maintenance.run()
    # then the table was compacted and vacuumed, and version 2 still reads its 30 rows
    assert report["concord.ingest.upkeep"]["tables compacted"] == 1
    assert len(lake.delta("interactions").file_uris()) == 1
    assert report["concord.ingest.upkeep"]["files vacuumed"] > 0
    assert lake.read_arrow("interactions", version=2).num_rows == 30
    assert not _readable(lake, 4)
