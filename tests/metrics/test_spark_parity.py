"""The same metric expressions give the same numbers on PySpark as on DuckDB.

Skipped only when pyspark or Java is missing (install the ``spark`` extra; Java 17).
"""

from __future__ import annotations

import importlib.util
import math
import os
import shutil
from datetime import date

import pytest

from concord.metrics import REGISTRY, MetricRequest, connect, run, run_on_tables
from concord.metrics.synthetic import build_lake

from .metric_fixtures import tables
from .test_workforce_metrics import INTERVALS, _roster

if importlib.util.find_spec("pyspark") is None:
    pytest.skip("pyspark is not installed (pip install 'concord[spark]')", allow_module_level=True)
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("java is not installed (pyspark needs Java 17)", allow_module_level=True)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark():
    con = connect("pyspark")
    yield con
    con._session.stop()


def _same(a, b):
    assert [r.dimensions for r in a.rows] == [r.dimensions for r in b.rows]
    assert [r.period_start for r in a.rows] == [r.period_start for r in b.rows]
    for ra, rb in zip(a.rows, b.rows, strict=True):
        for name, va in ra.values.items():
            vb = rb.values[name]
            assert va.volume == vb.volume, (name, ra.dimensions, ra.period_start)
            if va.value is None or vb.value is None:
                assert va.value is vb.value, (name, va, vb)
            else:
                assert math.isclose(va.value, vb.value, rel_tol=1e-9, abs_tol=1e-9), (name, va, vb)


def test_interaction_metrics_agree_on_generated_data(tmp_path, spark):
    lake = build_lake(tmp_path / "lake", 1500, seed=7)
    keys = [k for k, m in REGISTRY.items() if m.source == "interactions"]
    request = MetricRequest(
        keys,
        start=date(2026, 3, 1),
        end=date(2026, 4, 1),
        timezone="Europe/Madrid",
        grain="week",
        group_by=("provider",),
    )
    duck = run(request, lake, connect("duckdb"))
    sparked = run(request, lake, spark)
    assert sparked.backend == "pyspark" and duck.versions == sparked.versions
    assert len(duck.rows) == 30  # 5 providers x 6 ISO weeks touching March (1st is a Sunday)
    _same(duck, sparked)


def test_workforce_metrics_agree(spark):
    keys = [k for k, m in REGISTRY.items() if m.source in ("intervals", "roster")]
    request = MetricRequest(keys, start=date(2026, 3, 1), end=date(2026, 4, 1), grain="month", group_by=("site",))
    data = tables(intervals=INTERVALS, roster=_roster())
    _same(run_on_tables(request, data, connect("duckdb")), run_on_tables(request, data, spark))
