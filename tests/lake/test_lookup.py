"""Key lookups read only the files a batch's keys can be in, and never miss a stored key."""

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from concord.lake import write
from concord.lake.schemas import INTERACTIONS
from concord.lake.store import Lake
from concord.lake.write import commit_batches

UTC = dt.UTC


def _rows(ids, month: int, updated_day: int = 2, wait: float = 1.0) -> pa.RecordBatch:
    """Rows of ``ids`` created in 2024-``month``; ids zero-padded, so text order is number order."""
    n = len(ids)
    ts = INTERACTIONS.schema.field("created_at").type
    data = {f.name: pa.nulls(n, f.type) for f in INTERACTIONS.schema}
    data.update(
        source=pa.array(["s"] * n),
        external_id=pa.array([f"{i:06d}" for i in ids]),
        provider=pa.array(["P"] * n),
        program=pa.array(["X"] * n),
        channel=pa.array(["chat"] * n),
        created_month=pa.array([f"2024-{month:02d}"] * n),
        created_at=pa.array([dt.datetime(2024, month, 1, tzinfo=UTC)] * n, ts),
        updated_at=pa.array([dt.datetime(2024, 6, updated_day, tzinfo=UTC)] * n, ts),
        wait_seconds=pa.array([wait] * n),
        **{c: pa.array([False] * n) for c in ("abandoned", "transferred", "escalated", "reopened", "resolved")},
    )
    return pa.RecordBatch.from_pydict(data, schema=INTERACTIONS.schema)


def _files_per_month(lake: Lake) -> dict[str, int]:
    actions = pa.table(lake.delta("interactions").get_add_actions(flatten=True))
    months = actions.column("partition.created_month").to_pylist()
    return {m: months.count(m) for m in set(months)}


def _three_months(lake: Lake) -> None:
    """Ids 0-299 in January to March, 100 a month, one commit each (two files a month after a second load)."""
    for month in (1, 2, 3):
        commit_batches(lake, "interactions", [_rows(range((month - 1) * 100, month * 100), month)])


def test_a_batch_of_new_facts_reads_no_stored_file_not_even_its_months(tmp_path):
    # given three months stored, one file each (March: ids 200-299)
    lake = Lake(tmp_path)
    _three_months(lake)
    assert _files_per_month(lake) == {"2024-01": 1, "2024-02": 1, "2024-03": 1}
    # when new facts of March arrive, with ids beyond every stored one (ids grow with time)
    result = commit_batches(lake, "interactions", [_rows(range(300, 350), 3)])
    # then no stored file can hold them (March's range ends at 299): none is read, and the rows are inserted
    assert write.LOOKUPS[-1] == (0, 3)
    assert (result.inserted, result.updated) == (50, 0)
    assert lake.read_arrow("interactions").num_rows == 350


def test_a_batch_of_updates_in_one_month_reads_only_that_months_file(tmp_path):
    # given three months stored, one file each; when March's ids 250-259 come back newer
    lake = Lake(tmp_path)
    _three_months(lake)
    result = commit_batches(lake, "interactions", [_rows(range(250, 260), 3, updated_day=9, wait=3.0)])
    # then only March's file was read (its range 200-299 brackets them), and they are updated in place
    assert write.LOOKUPS[-1] == (1, 3)
    assert (result.inserted, result.updated) == (0, 10)
    stored = lake.read_arrow("interactions")
    assert stored.num_rows == 300
    assert pc.sum(pc.equal(stored.column("wait_seconds"), 3.0)).as_py() == 10


def test_a_fact_whose_month_changed_is_found_where_it_was_and_moved_not_copied(tmp_path):
    # given id 5 stored in January
    lake = Lake(tmp_path)
    _three_months(lake)
    # when a newer version of it arrives dated March (a corrected creation time)
    result = commit_batches(lake, "interactions", [_rows([5], 3, updated_day=9, wait=7.0)])
    # then January's file was read, the only one whose key range brackets id 5, and the fact is updated,
    # not inserted
    assert write.LOOKUPS[-1] == (1, 3)
    assert (result.inserted, result.updated) == (0, 1)
    stored = lake.read_arrow("interactions")
    five = stored.filter(pc.equal(stored.column("external_id"), "000005"))
    assert five.num_rows == 1 and five.column("created_month").to_pylist() == ["2024-03"]
    assert five.column("wait_seconds").to_pylist() == [7.0] and stored.num_rows == 300


def test_an_old_fact_sent_again_unchanged_is_recognised_outside_the_touched_month(tmp_path):
    # given ids 0-299; when id 150 (February) arrives again, same version, but dated January
    lake = Lake(tmp_path)
    _three_months(lake)
    result = commit_batches(lake, "interactions", [_rows([150], 1)])
    # then it is found in February and nothing is written
    assert (result.inserted, result.updated, result.unchanged, result.committed) == (0, 0, 1, False)
    assert lake.read_arrow("interactions").num_rows == 300
