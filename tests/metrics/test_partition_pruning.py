"""A metric request reads only the months (partitions) its range touches, and gets the same numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from deltalake import write_deltalake

from concord.lake.schemas import INTERACTIONS
from concord.lake.store import Lake
from concord.metrics import MetricRequest, run
from concord.metrics.query import months_read

from .metric_fixtures import arrow, interaction


def _lake(tmp_path) -> Lake:
    """January, February and March 2026, one file each; talk times 100, 200, 300 s (one contact a month)."""
    lake = Lake(tmp_path / "lake")
    for month, talk in ((1, 100.0), (2, 200.0), (3, 300.0)):
        write_deltalake(
            lake.table_uri("interactions"),
            arrow(INTERACTIONS.schema, [interaction(created_at=datetime(2026, month, 10, 12, tzinfo=UTC),
                                                    talk_seconds=talk)]),
            partition_by=["created_month"],
            mode="append",
        )
    return lake


def test_a_one_month_request_reads_that_months_files_only(tmp_path, con):
    lake = _lake(tmp_path)
    request = MetricRequest(["aht"], start=date(2026, 2, 1), end=date(2026, 3, 1), timezone="Europe/Madrid")
    # the range in UTC starts on 31 January 23:00: January and February are read, March is not
    assert months_read(request, "interactions") == ("2026-01", "2026-02")
    assert len(lake.snapshot("interactions", months=months_read(request, "interactions")).file_uris) == 2
    # and the figure is February's alone (hand count: one contact, 200 s of talk)
    result = run(request, lake, con)
    assert result.rows[0].values["aht"].value == 200.0
    assert result.rows[0].values["aht"].volume == 1


def test_a_forward_looking_metric_reads_every_month_from_the_first(tmp_path):
    request = MetricRequest(["fcr"], start=date(2026, 2, 1), end=date(2026, 3, 1), timezone="UTC")
    assert months_read(request, "interactions") == ("2026-02", None)
