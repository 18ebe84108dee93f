"""The same metric expressions give the same numbers on PySpark as on DuckDB: values,
numerators, denominators and volumes, with parameters, several groupings and grains, on
the metric engine's synthetic lake and on the demo generator's interactions.

Outside CI it skips when pyspark or Java is missing (install the ``spark`` extra; Java 17).
Under CI (``CI=true``) a missing Spark FAILS: CI installs the extra precisely to run this.
"""

from __future__ import annotations

import importlib.util
import math
import os
import shutil
from datetime import date

import pytest

from concord.lake.store import Lake
from concord.metrics import REGISTRY, MetricRef, MetricRequest, connect, run, run_on_tables
from concord.metrics.synthetic import build_lake

from .metric_fixtures import tables
from .test_workforce_metrics import INTERVALS, _roster

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("spark")]


def _missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'concord[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "java is not installed (pyspark needs Java 17)"
    return None


@pytest.fixture(scope="module")
def spark():
    missing = _missing()
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"{missing}: CI installs the spark extra so that this parity suite runs", pytrace=False)
    if missing:
        pytest.skip(missing)
    con = connect("pyspark")
    yield con
    con._session.stop()


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _same(a, b) -> int:
    """Assert every row and every part of every value agree; returns how many values were compared."""
    assert [r.dimensions for r in a.rows] == [r.dimensions for r in b.rows]
    assert [r.period_start for r in a.rows] == [r.period_start for r in b.rows]
    compared = 0
    for ra, rb in zip(a.rows, b.rows, strict=True):
        assert ra.values.keys() == rb.values.keys()
        for name, va in ra.values.items():
            vb = rb.values[name]
            where = (name, ra.dimensions, ra.period_start, va, vb)
            assert va.volume == vb.volume, where
            assert va.too_little_volume == vb.too_little_volume, where
            assert _close(va.numerator, vb.numerator), where
            assert _close(va.denominator, vb.denominator), where
            assert _close(va.value, vb.value), where
            compared += 1
    return compared


INTERACTION_KEYS = [k for k, m in REGISTRY.items() if m.source == "interactions"]
#: parameters that change what is counted, beside each metric's defaults
WITH_PARAMS = [
    MetricRef("service_level", {"threshold_seconds": 60}, alias="sl60"),
    MetricRef("service_level", {"threshold_seconds": 20, "channels": ("voice",)}, alias="sl20_voice"),
    MetricRef("abandon_rate", {"short_abandon_seconds": 0}, alias="abandon_all"),
    MetricRef("fcr", {"window_days": 3, "mature_only": False}, alias="fcr3"),
    MetricRef("aht", min_volume=50, alias="aht_min50"),
]
#: each grouping with one grain: every grouping and every grain is covered without the cross product
GROUPINGS = [
    ((), "none"),
    (("provider",), "day"),
    (("site", "channel"), "month"),
    (("program", "contact_type"), "week"),
    (("agent",), "none"),
]


@pytest.fixture(scope="module")
def synthetic_lake(tmp_path_factory):
    return build_lake(tmp_path_factory.mktemp("lake") / "lake", 3000, seed=7)


def test_interaction_metrics_agree_on_generated_data(synthetic_lake, spark):
    request = MetricRequest(
        INTERACTION_KEYS,
        start=date(2026, 3, 1),
        end=date(2026, 4, 1),
        timezone="Europe/Madrid",
        grain="week",
        group_by=("provider",),
    )
    duck = run(request, synthetic_lake, connect("duckdb"))
    sparked = run(request, synthetic_lake, spark)
    assert sparked.backend == "pyspark" and duck.versions == sparked.versions
    assert len(duck.rows) == 30  # 5 providers x 6 ISO weeks touching March (1st is a Sunday)
    _same(duck, sparked)


def _case_id(part) -> str:
    return ("+".join(part) or "total") if isinstance(part, tuple) else part


@pytest.mark.parametrize(("group_by", "grain"), GROUPINGS, ids=_case_id)
def test_parameters_groupings_and_grains_agree(synthetic_lake, spark, group_by, grain):
    request = MetricRequest(
        [*INTERACTION_KEYS, *WITH_PARAMS],
        start=date(2026, 3, 2),
        end=date(2026, 3, 30),
        timezone="America/New_York",  # its change (8 March) falls inside the range
        grain=grain,
        group_by=group_by,
        filters={"channel": ["voice", "chat", "email"]},
    )
    duck = run(request, synthetic_lake, connect("duckdb"))
    assert duck.rows, "the request must select rows, or the comparison proves nothing"
    assert _same(duck, run(request, synthetic_lake, spark)) >= len(request.metrics)


@pytest.mark.parametrize("grain", ["15min", "30min", "60min"])
def test_intraday_buckets_agree(synthetic_lake, spark, grain):
    # planning's history: contacts offered per local interval, across New York's change on 8 March
    request = MetricRequest(
        ["contacts_offered"],
        start=date(2026, 3, 7),
        end=date(2026, 3, 10),
        timezone="America/New_York",
        grain=grain,
    )
    duck = run(request, synthetic_lake, connect("duckdb"))
    assert len(duck.rows) > 24
    _same(duck, run(request, synthetic_lake, spark))


def test_workforce_metrics_agree(spark):
    keys = [k for k, m in REGISTRY.items() if m.source in ("intervals", "roster")]
    request = MetricRequest(keys, start=date(2026, 3, 1), end=date(2026, 4, 1), grain="month", group_by=("site",))
    data = tables(intervals=INTERVALS, roster=_roster())
    _same(run_on_tables(request, data, connect("duckdb")), run_on_tables(request, data, spark))


DEMO_TODAY = date(2026, 11, 25)


@pytest.mark.django_db
def test_metrics_agree_on_the_demo_generators_interactions(settings, spark):
    # given the demo operation's interactions, generated and loaded as `concord demo` does
    from concord.demo import build

    settings.DEMO_INTERACTIONS_FACTOR = 1.0
    build(seed=7, scale=0.02, today=DEMO_TODAY)
    lake = Lake(settings.LAKE_URI)
    assert lake.version("interactions") is not None
    compared = 0
    for group_by, grain in [((), "month"), (("provider", "program"), "week"), (("site", "channel"), "none"),
                            (("provider", "language"), "day")]:  # fmt: skip
        request = MetricRequest(
            [*INTERACTION_KEYS, *WITH_PARAMS],
            start=date(2026, 6, 1),
            end=date(2026, 11, 1),
            timezone="Europe/Madrid",
            grain=grain,
            group_by=group_by,
        )
        duck = run(request, lake, connect("duckdb"))
        assert duck.rows
        compared += _same(duck, run(request, lake, spark))
    assert compared > 1000
