"""QUERY_ENGINE decides where every lake read runs: scorecards, SLA measurement, planning history."""

from __future__ import annotations

import datetime as dt

import pytest

from concord import engine, metrics
from concord.contracts import measure
from concord.metrics import MetricRequest
from concord.metrics.synthetic import build_lake
from concord.performance import cache as result_cache
from concord.planning import services as planning

MARCH = {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 4, 1)}


@pytest.fixture
def opened(monkeypatch, settings):
    """Every connection the engine opens, as (backend, options); each is really a DuckDB one, so the
    reads still compute. QUERY_ENGINE=spark with a master and conf from the settings."""
    settings.QUERY_ENGINE = "spark"
    settings.SPARK_MASTER = "spark://spark.invalid:7077"
    settings.SPARK_CONF = {"spark.executor.memory": "2g"}
    calls = []
    real = metrics.connect

    def spy(backend="duckdb", **options):
        calls.append((backend, options))
        return real("duckdb")

    monkeypatch.setattr(engine.metrics, "connect", spy)
    monkeypatch.setattr(engine, "_connections", {})
    return calls


SPARK = ("pyspark", {"master": "spark://spark.invalid:7077", "spark.executor.memory": "2g"})


def test_scorecard_reads_run_on_the_configured_engine(tmp_path, opened):
    lake = build_lake(tmp_path / "lake", 300, seed=1)
    result = result_cache.run(MetricRequest(["contacts_offered"], **MARCH), lake)
    assert opened == [SPARK] and result.rows[0].values["contacts_offered"].value > 0


def test_sla_reads_with_outage_windows_run_on_the_configured_engine(tmp_path, opened):
    lake = build_lake(tmp_path / "lake", 300, seed=1)
    window = (dt.datetime(2026, 3, 10, tzinfo=dt.UTC), dt.datetime(2026, 3, 12, tzinfo=dt.UTC))
    request = MetricRequest(["contacts_offered"], **MARCH)
    without = measure._run(request, lake, "interactions", ())
    engine._connections.clear()
    within = measure._run(request, lake, "interactions", (window,))
    assert opened == [SPARK, SPARK]
    assert within.rows[0].values["contacts_offered"].value < without.rows[0].values["contacts_offered"].value


@pytest.mark.django_db
def test_planning_history_runs_on_the_configured_engine(world, settings, tmp_path, opened):
    from tests.planning.lake_fixtures import arrivals, write_interactions

    write_interactions(settings.LAKE_URI, arrivals(3))
    history, _ = planning.lake_history(program=world.program_shared, grain="60min")
    assert opened == [SPARK] and history.sum() == len(arrivals(3))


def test_one_connection_per_process_and_engine(settings, monkeypatch):
    monkeypatch.setattr(engine, "_connections", {})
    settings.QUERY_ENGINE = "duckdb"
    with engine.session() as first, engine.session() as again:
        assert first is again and first.name == "duckdb"
