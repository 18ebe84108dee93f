"""A lake written before a canonical column existed keeps working once the column is added.

The interactions table gained ``first_resolved_at`` and ``requester_wait_seconds``. A lake written by
the older Concord (simulated by committing with the older table definition) must: read the new columns
as null on its old rows, take rows carrying them through both write paths (an append and a merge, each
evolving the stored schema with Delta's own schema evolution in the same commit), and give the same
metric values on its old rows as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pyarrow as pa
import pytest

from concord.lake import schemas
from concord.lake.schemas import INTERACTIONS
from concord.lake.store import Lake
from concord.lake.write import commit_batches, missing_columns
from concord.metrics import MetricRequest, connect, run, table_from_snapshot

UTC = dt.UTC
NEW = ("first_resolved_at", "requester_wait_seconds")
OLD = dataclasses.replace(
    INTERACTIONS, schema=pa.schema([f for f in INTERACTIONS.schema if f.name not in NEW])
)  # the table as Concord defined it before the two columns
H = 3600.0


def _row(i: str, created: dt.datetime, resolve_h: float, *, updated_h: float = 0.0, reopened=False, **new) -> dict:
    return {
        "source": "zd", "external_id": i, "provider": "P", "program": "CARE", "channel": "email",
        "created_at": created, "answered_at": created + dt.timedelta(minutes=5),
        "resolved_at": created + dt.timedelta(hours=resolve_h), "updated_at": created + dt.timedelta(hours=updated_h),
        "abandoned": False, "transferred": False, "escalated": False, "reopened": reopened, "resolved": True,
        "created_month": f"{created:%Y-%m}", **new,
    }  # fmt: skip


def _batch(table, rows):
    return pa.Table.from_pylist(rows, schema=table.schema).to_batches()


JAN = dt.datetime(2026, 1, 10, 9, tzinfo=UTC)
FEB = dt.datetime(2026, 2, 10, 9, tzinfo=UTC)
OLD_ROWS = [_row("1", JAN, 2.0), _row("2", JAN, 4.0), _row("3", JAN, 9.0, reopened=True)]
METRICS = ["resolution_median", "first_resolution_median", "first_response_median", "contacts_offered"]
JANUARY = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 2, 1)}


@pytest.fixture
def old_lake(tmp_path, monkeypatch):
    """A lake whose interactions were written by the older Concord: January's three tickets."""
    lake = Lake(tmp_path / "lake")
    with monkeypatch.context() as older:
        older.setitem(schemas.TABLES, "interactions", OLD)
        assert commit_batches(lake, "interactions", _batch(OLD, OLD_ROWS)).inserted == 3
    assert missing_columns(lake.delta("interactions"), INTERACTIONS) == list(NEW)
    return lake


def _values(lake, **request):
    result = run(MetricRequest(METRICS, **(request or JANUARY)), lake, connect("duckdb"))
    return {k: (v.value, v.volume) for k, v in result.rows[0].values.items()}


def test_an_old_lake_reads_the_new_columns_as_null_and_measures_as_before(old_lake):
    table = table_from_snapshot(connect("duckdb"), old_lake.snapshot("interactions")).to_pyarrow()
    assert table.num_rows == 3
    assert table["first_resolved_at"].null_count == table["requester_wait_seconds"].null_count == 3
    assert old_lake.read_arrow("interactions", columns=["external_id", *NEW])["requester_wait_seconds"].null_count == 3
    values = _values(old_lake)
    # hand count: full resolution 2, 4, 9 h -> median 4 h; first resolution known for the two never
    # reopened tickets (2 h and 4 h: their only resolution) -> median 3 h; ticket 3 (reopened) left out
    assert values["resolution_median"] == (4 * H, 3)
    assert values["first_resolution_median"] == (3 * H, 2)
    assert values["first_response_median"] == (300.0, 3)


@pytest.mark.parametrize("path", ["append", "merge"])
def test_an_ingest_with_the_new_columns_evolves_the_schema_in_one_commit(old_lake, path):
    before = _values(old_lake)
    version = old_lake.version("interactions")
    if path == "append":  # a new February ticket: the append path
        rows = [_row("4", FEB, 10.0, reopened=True, first_resolved_at=FEB + dt.timedelta(hours=1),
                     requester_wait_seconds=1800.0)]  # fmt: skip
    else:  # a newer version of ticket 3 plus the new ticket: the merge path
        rows = [
            _row("3", JAN, 9.0, updated_h=10.0, reopened=True, first_resolved_at=JAN + dt.timedelta(hours=1),
                 requester_wait_seconds=7200.0),
            _row("4", FEB, 10.0, reopened=True, first_resolved_at=FEB + dt.timedelta(hours=1),
                 requester_wait_seconds=1800.0),
        ]  # fmt: skip
    result = commit_batches(old_lake, "interactions", _batch(INTERACTIONS, rows))
    assert (result.inserted, result.updated) == ((1, 0) if path == "append" else (1, 1))
    # one commit: the rows and the evolved schema together
    assert old_lake.version("interactions") == version + 1
    assert missing_columns(old_lake.delta("interactions"), INTERACTIONS) == []
    stored = {r["external_id"]: r for r in old_lake.read_arrow("interactions").to_pylist()}
    assert stored["4"]["first_resolved_at"] == FEB + dt.timedelta(hours=1)
    assert stored["4"]["requester_wait_seconds"] == 1800.0
    assert stored["1"]["first_resolved_at"] is None and stored["2"]["requester_wait_seconds"] is None
    after = _values(old_lake)
    if path == "append":
        # January's rows did not change: neither did their numbers
        assert after == before
    else:
        # ticket 3 now gives its first resolution (1 h): 1, 2, 4 h -> median 2 h over three tickets
        assert after["first_resolution_median"] == (2 * H, 3)
        assert after["resolution_median"] == before["resolution_median"]
    # February read alone: its ticket's first resolution (1 h), not its full one (10 h)
    february = _values(old_lake, start=dt.date(2026, 2, 1), end=dt.date(2026, 3, 1))
    assert february["first_resolution_median"] == (1 * H, 1)
    assert february["resolution_median"] == (10 * H, 1)


def test_files_written_before_the_column_read_as_null_when_read_alone(old_lake):
    # given the schema evolved by a February ingest
    rows = [_row("4", FEB, 10.0, first_resolved_at=FEB + dt.timedelta(hours=1), requester_wait_seconds=60.0)]
    commit_batches(old_lake, "interactions", _batch(INTERACTIONS, rows))
    # when only January's partition (old files only, none holding the new columns) is read
    january = old_lake.snapshot("interactions", months=("2026-01", "2026-01"))
    table = table_from_snapshot(connect("duckdb"), january).to_pyarrow()
    # then the columns the table now has read as null rather than failing the query
    assert table.num_rows == 3 and table["requester_wait_seconds"].null_count == 3
    assert _values(old_lake) == {
        "resolution_median": (4 * H, 3), "first_resolution_median": (3 * H, 2),
        "first_response_median": (300.0, 3), "contacts_offered": (3.0, 3),
    }  # fmt: skip
