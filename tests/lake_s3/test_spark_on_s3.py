"""Spark on an ``s3://`` lake reads the snapshot through deltalake's object-store client (as Arrow),
not Hadoop's S3 connector, whose jars are not here: the same numbers as DuckDB on the same bucket.

Outside CI it skips when pyspark or Java is missing; under CI (``CI=true``) it fails, as the other
parity tests do (``tests/metrics/test_spark_parity.py``, whose fixture this is).
"""

from __future__ import annotations

from datetime import date

import pyarrow.compute as pc
import pytest
from tests.metrics.test_spark_parity import INTERACTION_KEYS, WITH_PARAMS, _same
from tests.metrics.test_spark_parity import spark as spark  # the fixture, shared

from concord.lake.write import commit_batches
from concord.metrics import MetricRequest, connect, run
from concord.metrics.synthetic import generate_interactions

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("spark")]


def test_metrics_on_an_s3_lake_agree_between_duckdb_and_spark(s3_lake, spark):
    # given 2000 generated contacts in two commits, then newer versions of 300 of them (a merge, which
    # rewrites files with string views: the files DuckDB's filters once tripped on)
    first = generate_interactions(1000, seed=7)
    commit_batches(s3_lake, "interactions", first.to_batches())
    commit_batches(s3_lake, "interactions", generate_interactions(1000, seed=7, offset=1000).to_batches())
    newer = first.slice(0, 300)
    newer = newer.set_column(newer.schema.get_field_index("updated_at"), "updated_at",
                             pc.add(newer.column("updated_at"), pc.cast(1_000_000, "duration[us]")))  # fmt: skip
    commit_batches(s3_lake, "interactions", newer.to_batches())
    assert s3_lake.version("interactions") == 2
    compared = 0
    for group_by, grain, filters in [((), "month", {}), (("provider",), "week", {"provider": ["P1", "P2"]}),
                                     (("site", "channel"), "day", {"channel": ["voice", "chat"]})]:  # fmt: skip
        request = MetricRequest([*INTERACTION_KEYS, *WITH_PARAMS], start=date(2026, 3, 1), end=date(2026, 4, 1),
                                timezone="Europe/Madrid", grain=grain, group_by=group_by, filters=filters)  # fmt: skip
        duck = run(request, s3_lake, connect("duckdb"))
        sparked = run(request, s3_lake, spark)
        assert sparked.backend == "pyspark" and sparked.versions == duck.versions == {"interactions": 2}
        assert duck.rows
        compared += _same(duck, sparked)
    assert compared > 100
    # and a hand count: every one of the 2000 contacts offered once in March (none counted twice by the merge)
    total = run(MetricRequest(["contacts_offered"], start=date(2026, 3, 1), end=date(2026, 4, 1)), s3_lake, spark)
    assert total.rows[0].values["contacts_offered"].value == 2000
