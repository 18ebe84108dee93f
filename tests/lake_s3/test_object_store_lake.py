"""A lake in an S3-compatible bucket: written, merged, read by metrics, tidied; files kept beside it.

Reads go through deltalake's own object-store client (Arrow datasets scanned by
DuckDB), so nothing is downloaded at run time: DuckDB's httpfs is never loaded.
"""

from __future__ import annotations

from datetime import date

import pyarrow.compute as pc
from tests.lake.test_lookup import _rows

from concord.lake import blobs
from concord.lake.upkeep import tidy
from concord.lake.write import commit_batches
from concord.metrics import MetricRequest, run
from concord.metrics.backends import connect


def test_ingest_merge_and_metrics_on_an_s3_lake(s3_lake):
    # given 30 contacts in January and 20 in February 2024, written in three commits
    first = commit_batches(s3_lake, "interactions", [_rows(range(0, 30), 1)])
    second = commit_batches(s3_lake, "interactions", [_rows(range(30, 50), 2)])
    # and a newer version of contacts 0-9, with a new wait (merge) - written again, nothing new
    third = commit_batches(s3_lake, "interactions", [_rows(range(10), 1, updated_day=9, wait=5.0)])
    assert (first.inserted, second.inserted, third.updated, third.inserted) == (30, 20, 10, 0)
    assert s3_lake.version("interactions") == 2
    stored = s3_lake.read_arrow("interactions")
    assert stored.num_rows == 50 and len(pc.unique(stored.column("external_id"))) == 50
    # when a metric reads January (hand count: 30 contacts offered)
    con = connect("duckdb")
    request = MetricRequest(["contacts_offered"], start=date(2024, 1, 1), end=date(2024, 2, 1))
    result = run(request, s3_lake, con)
    # then it is read through the bucket, and DuckDB loaded no extension to do it
    assert result.rows[0].values["contacts_offered"].value == 30
    assert result.versions == {"interactions": 2}
    loaded = con.raw_sql("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()
    assert "httpfs" not in {row[0] for row in loaded}
    # and an older version still reads as it was
    assert run(MetricRequest(["contacts_offered"], start=date(2024, 1, 1), end=date(2024, 3, 1),
                             versions={"interactions": 0}), s3_lake, con).rows[0].values["contacts_offered"].value == 30


def test_upkeep_compacts_an_s3_table_and_keeps_a_pinned_version(s3_lake):
    for i in range(4):
        commit_batches(s3_lake, "interactions", [_rows(range(i * 10, i * 10 + 10), 1)])
    result = tidy(s3_lake.table_uri("interactions"), retention_hours=0, keep={1},
                  storage_options={"AWS_S3_ALLOW_UNSAFE_RENAME": "true"})
    assert result.files_after == 1 and result.files_vacuumed == 2
    assert s3_lake.read_arrow("interactions", version=1).num_rows == 20
    assert s3_lake.read_arrow("interactions").num_rows == 40


def test_an_upload_kept_in_the_bucket_is_fetched_by_another_host(s3_lake, tmp_path):
    # given a file put into the lake's store by the web host
    local = tmp_path / "export.csv"
    local.write_bytes(b"a,b\n1,2\n")
    target = blobs.files_uri(s3_lake.uri, "000001-ab", "export.csv")
    blobs.put_file(local, target)
    assert not blobs.is_local(target) and blobs.exists(target)
    # when a worker (its own folder) fetches it, it has the same bytes
    copy = blobs.fetch(target, tmp_path / "worker" / "export.csv")
    assert copy.read_bytes() == b"a,b\n1,2\n" and blobs.read_bytes(target) == b"a,b\n1,2\n"
