"""Requests over a real Delta lake: pinned versions, empty lake, SQL, validation."""

from __future__ import annotations

from datetime import date

import pytest
from deltalake import write_deltalake

from concord.lake.schemas import INTERACTIONS, TABLES
from concord.lake.store import Lake
from concord.metrics import (
    REGISTRY,
    Direction,
    Metric,
    MetricRef,
    MetricRequest,
    compile_request,
    get,
    register,
    run,
)

from .metric_fixtures import arrow, interaction, tables

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 4, 1)}


def _write(lake: Lake, rows, mode="append"):
    write_deltalake(
        lake.table_uri("interactions"),
        arrow(INTERACTIONS.schema, rows),
        partition_by=["created_month"],
        mode=mode,
    )


def test_reads_the_pinned_lake_version(tmp_path, con):
    lake = Lake(tmp_path / "lake")
    _write(lake, [interaction(talk_seconds=100.0)])  # version 0
    _write(lake, [interaction(talk_seconds=300.0)])  # version 1
    latest = run(MetricRequest(["aht", "contacts_offered"], **MARCH), lake, con, with_sql=True)
    assert latest.versions == {"interactions": 1}
    assert latest.rows[0].values["aht"].value == 200.0
    pinned = run(MetricRequest(["aht"], versions={"interactions": 0}, **MARCH), lake, con)
    assert pinned.versions == {"interactions": 0}
    assert pinned.rows[0].values["aht"].value == 100.0
    assert "read_parquet" in latest.sql["interactions"].lower()  # the snapshot's files, as SQL
    assert pinned.sql == {}  # rendered only when asked for: no page shows it


def test_empty_lake_gives_zero_volume(tmp_path, con):
    result = run(MetricRequest(["aht", "fcr", "occupancy", "attrition"], **MARCH), Lake(tmp_path), con)
    assert result.versions == {"interactions": None, "intervals": None, "roster": None}
    for value in result.rows[0].values.values():
        assert value.value is None and value.volume == 0


def test_sql_is_exposed_per_source():
    compiled = compile_request(MetricRequest(["aht", "service_level", "occupancy"], grain="day", **MARCH), tables())
    sql = compiled.sql("duckdb")
    assert set(sql) == {"interactions", "intervals"}
    # one pass: every interaction aggregate in one GROUP BY
    assert sql["interactions"].count("GROUP BY") == 1


def test_validation_messages():
    with pytest.raises(KeyError, match="unknown metric 'nope'"):
        compile_request(MetricRequest(["nope"], **MARCH), tables())
    with pytest.raises(ValueError, match="has no parameter threshold"):
        compile_request(MetricRequest([MetricRef("aht", {"threshold": 1})], **MARCH), tables())
    with pytest.raises(TypeError, match="must be int"):
        compile_request(MetricRequest([MetricRef("fcr", {"window_days": "7"})], **MARCH), tables())
    with pytest.raises(ValueError, match="unknown dimension 'colour'"):
        compile_request(MetricRequest(["aht"], group_by=("colour",), **MARCH), tables())
    with pytest.raises(ValueError, match="unknown grain"):
        compile_request(MetricRequest(["aht"], grain="hour", **MARCH), tables())
    with pytest.raises(ValueError, match="same name"):
        compile_request(MetricRequest(["aht", "aht"], **MARCH), tables())
    with pytest.raises(ValueError, match="empty date range"):
        compile_request(MetricRequest(["aht"], start=date(2026, 3, 2), end=date(2026, 3, 1)), tables())
    with pytest.raises(ValueError, match="roster table, which has no program"):
        compile_request(MetricRequest(["attrition"], filters={"program": ["x"]}, **MARCH), tables())


def test_registry_describes_every_metric():
    expected = {
        "aht",
        "asa",
        "service_level",
        "abandon_rate",
        "first_response_median",
        "first_response_p90",
        "resolution_median",
        "resolution_p90",
        "fcr",
        "reopen_rate",
        "transfer_rate",
        "escalation_rate",
        "csat",
        "csat_mean",
        "nps",
        "contacts_handled",
        "contacts_offered",
        "occupancy",
        "interval_service_level",
        "interval_abandon_rate",
        "contacts_per_productive_hour",
        "attrition",
        "headcount",
        "tenure_share",
        "tenure_mean",
    }
    assert expected <= set(REGISTRY)
    for metric in REGISTRY.values():
        assert metric.label and metric.description and metric.unit and metric.category
        assert set(metric.columns) <= set(INTERACTIONS.columns) | {
            "handle_seconds",
            "available_seconds",
            "answered",
            "offered",
            "answered_within_threshold",
            "agent",
            "snapshot_date",
            "hire_date",
            "exit_date",
            "exit_reason",
        } or set(metric.columns) <= set(TABLES[metric.source].columns)  # e.g. qa_score over evaluations
    assert get("occupancy").direction == Direction("band", 75.0, 90.0)


def test_register_adds_a_metric_and_refuses_a_duplicate(con):
    from concord.metrics import run_on_tables

    from .metric_fixtures import tables as make_tables

    metric = Metric(
        key="test_talk_share",
        label="Talk share",
        description="talk / handle",
        unit="percent",
        direction=Direction("higher"),
        category="efficiency",
        source="interactions",
        columns=("talk_seconds",),
        numerator=lambda t, p: t.talk_seconds.sum(),
        denominator=lambda t, p: t.handle_s.sum(),
        volume=lambda t, p: t.count(where=t.handled),
        scale=100.0,
    )
    register(metric)
    try:
        with pytest.raises(ValueError, match="already registered"):
            register(metric)
        rows = [interaction(talk_seconds=30.0, wrap_seconds=10.0)]
        result = run_on_tables(MetricRequest(["test_talk_share"], **MARCH), make_tables(rows), con)
        assert result.rows[0].values["test_talk_share"].value == 75.0
    finally:
        REGISTRY.pop("test_talk_share")
