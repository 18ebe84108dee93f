"""The lake's one-commit upsert: new rows insert, newer rows update, the rest change nothing."""

import datetime as dt

import pyarrow as pa
import pyarrow.dataset as ds
import pytest
from deltalake import DeltaTable

from concord.lake import partfiles
from concord.lake.schemas import INTERACTIONS, ROSTER
from concord.lake.store import Lake
from concord.lake.write import commit_batches

UTC = dt.UTC


def _rows(ids, updated_day, wait=1.0):
    n = len(ids)
    ts = INTERACTIONS.schema.field("created_at").type
    data = {f.name: pa.nulls(n, f.type) for f in INTERACTIONS.schema}
    data.update(
        source=pa.array(["s"] * n),
        external_id=pa.array([str(i) for i in ids]),
        provider=pa.array(["P"] * n),
        program=pa.array(["X"] * n),
        channel=pa.array(["chat"] * n),
        created_month=pa.array(["2024-01"] * n),
        created_at=pa.array([dt.datetime(2024, 1, 1, tzinfo=UTC)] * n, ts),
        updated_at=pa.array([dt.datetime(2024, 1, updated_day, tzinfo=UTC)] * n, ts),
        wait_seconds=pa.array([wait] * n),
        **{c: pa.array([False] * n) for c in ("abandoned", "transferred", "escalated", "reopened", "resolved")},
    )
    return pa.RecordBatch.from_pydict(data, schema=INTERACTIONS.schema)


def test_upsert_versions_and_idempotence(tmp_path):
    lake = Lake(tmp_path)
    # given an empty lake, when rows are committed, then version 0 holds them
    first = commit_batches(lake, "interactions", [_rows([1, 2, 3], 2)])
    assert (first.inserted, first.version_before, first.version_after) == (3, None, 0)
    # the same rows again: nothing new, no new version
    same = commit_batches(lake, "interactions", [_rows([1, 2, 3], 2)])
    assert (same.unchanged, same.version_after, same.committed) == (3, 0, False)
    # newer row 1, older row 2, new row 4: one commit, one update, one insert
    mixed = commit_batches(lake, "interactions", [_rows([1], 3, wait=9.0), _rows([2], 1, wait=7.0), _rows([4], 2)])
    assert (mixed.inserted, mixed.updated, mixed.unchanged, mixed.version_after) == (1, 1, 1, 1)
    latest = lake.read_arrow("interactions").sort_by("external_id")
    assert latest["wait_seconds"].to_pylist() == [9.0, 1.0, 1.0, 1.0]
    assert lake.read_arrow("interactions", version=0).num_rows == 3


def test_an_empty_stream_commits_nothing(tmp_path):
    lake = Lake(tmp_path)
    assert commit_batches(lake, "interactions", []).version_after is None
    assert lake.version("interactions") is None


def _months(rows, months):
    """``rows`` with created_month cycling through ``months`` (as a CSV's rows interleave them)."""
    return rows.set_column(
        rows.schema.get_field_index("created_month"),
        "created_month",
        pa.array([months[i % len(months)] for i in range(rows.num_rows)]),
    )


def test_an_append_is_one_commit_of_one_file_per_month_with_stats(tmp_path):
    # given batches whose rows interleave three months
    lake = Lake(tmp_path)
    months = ["2024-01", "2024-02", "2024-03"]
    batches = [_months(_rows(range(i * 10, i * 10 + 10), 2), months) for i in range(5)]
    # when committed
    result = commit_batches(lake, "interactions", batches)
    # then one version holds all rows, in one file per month, each with its row count and partition value
    assert (result.inserted, result.version_after) == (50, 0)
    table = lake.delta("interactions")
    actions = pa.table(table.get_add_actions(flatten=True)).to_pylist()
    assert sorted(a["partition.created_month"] for a in actions) == months
    assert sum(a["num_records"] for a in actions) == 50
    assert all(a["null_count.agent"] == a["num_records"] for a in actions)
    # and readers prune by month and by key as usual
    feb = table.to_pyarrow_dataset().to_table(filter=ds.field("created_month") == "2024-02")
    assert feb.num_rows == 15
    one = table.to_pyarrow_dataset().to_table(filter=ds.field("external_id") == "7")
    assert one["created_month"].to_pylist() == ["2024-02"]


def test_a_stream_that_fails_before_the_commit_leaves_the_table_and_its_folder_as_they_were(tmp_path, monkeypatch):
    # given a table at version 0, and row groups so small that files are written before the stream ends
    monkeypatch.setattr(partfiles, "ROW_GROUP_ROWS", 4)
    lake = Lake(tmp_path)
    commit_batches(lake, "interactions", [_rows([1, 2], 2)])
    files_before = sorted(p.name for p in (tmp_path / "interactions").rglob("*.parquet"))

    def failing():
        yield _months(_rows(range(100, 110), 2), ["2024-05", "2024-06"])
        raise RuntimeError("the reader died")

    # when an append of new rows fails midway (the table is empty of them: straight append path)
    lake2 = Lake(tmp_path / "other")
    for target in (lake, lake2):
        with pytest.raises(RuntimeError):
            commit_batches(target, "interactions", failing())
    # then nothing was committed and the partial files are gone
    assert lake.version("interactions") == 0
    assert lake.read_arrow("interactions").num_rows == 2
    assert sorted(p.name for p in (tmp_path / "interactions").rglob("*.parquet")) == files_before
    assert lake2.version("interactions") is None
    assert not list((tmp_path / "other").rglob("*.parquet"))


def test_an_unpartitioned_table_appends_too(tmp_path):
    # given roster rows (the roster table has no partitions), when committed twice, then one version and no dupes
    day = dt.date(2024, 5, 1)
    data = {f.name: pa.nulls(3, f.type) for f in ROSTER.schema}
    data.update(
        source=pa.array(["hr"] * 3),
        snapshot_date=pa.array([day] * 3),
        agent=pa.array(["a", "b", "c"]),
        provider=pa.array(["P"] * 3),
        hire_date=pa.array([day] * 3),
        updated_at=pa.array([dt.datetime(2024, 5, 1, tzinfo=UTC)] * 3, ROSTER.schema.field("updated_at").type),
    )
    batch = pa.RecordBatch.from_pydict(data, schema=ROSTER.schema)
    lake = Lake(tmp_path)
    assert commit_batches(lake, "roster", [batch]).version_after == 0
    assert commit_batches(lake, "roster", [batch]).committed is False
    assert lake.read_arrow("roster").num_rows == 3


def test_files_of_a_commit_that_went_through_are_kept_when_a_later_step_fails(tmp_path, monkeypatch):
    # given a table, and a commit whose post-commit step (e.g. a checkpoint) raises after the commit landed
    lake = Lake(tmp_path)
    commit_batches(lake, "interactions", [_rows([1], 2)])
    real = DeltaTable.create_write_transaction

    def commit_then_fail(self, *args, **kwargs):
        real(self, *args, **kwargs)
        raise OSError("checkpoint could not be written")

    monkeypatch.setattr(DeltaTable, "create_write_transaction", commit_then_fail)
    # when new rows are appended, the error surfaces
    with pytest.raises(OSError):
        commit_batches(lake, "interactions", [_rows([2, 3], 2)])
    # then the committed version still reads all its rows: its files were not removed
    assert lake.version("interactions") == 1
    assert lake.read_arrow("interactions").num_rows == 3
