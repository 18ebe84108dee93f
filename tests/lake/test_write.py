"""The lake's one-commit upsert: new rows insert, newer rows update, the rest change nothing."""

import datetime as dt

import pyarrow as pa

from concord.lake.schemas import INTERACTIONS
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
