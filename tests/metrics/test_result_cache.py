"""Page results cached per lake version: a hit is exact, a new version is a miss."""

from __future__ import annotations

from datetime import date

import pytest
from deltalake import write_deltalake

from concord.lake.schemas import INTERACTIONS
from concord.lake.store import Lake
from concord.metrics import MetricRequest
from concord.performance import cache as result_cache

from .metric_fixtures import arrow, interaction

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 4, 1)}


def _write(lake: Lake, rows):
    write_deltalake(
        lake.table_uri("interactions"), arrow(INTERACTIONS.schema, rows), partition_by=["created_month"], mode="append"
    )


@pytest.fixture
def engine_calls(monkeypatch):
    calls = []
    real = result_cache.engine.metrics.run

    def counting(request, lake, con=None):
        calls.append(dict(request.versions))
        return real(request, lake, con)

    monkeypatch.setattr(result_cache.engine.metrics, "run", counting)
    return calls


def test_a_committed_version_is_computed_once_and_a_new_one_invalidates(tmp_path, engine_calls):
    # given a lake at version 0
    lake = Lake(tmp_path / "lake")
    _write(lake, [interaction(talk_seconds=100.0)])
    request = MetricRequest(["aht", "fcr"], **MARCH)
    # when the same request runs twice
    first = result_cache.run(request, lake)
    second = result_cache.run(request, lake)
    # then the engine ran once, pinned to version 0, and both answers are its result
    assert engine_calls == [{"interactions": 0}]
    assert first.rows[0].values["aht"].value == second.rows[0].values["aht"].value == 100.0
    # when a new version is committed
    _write(lake, [interaction(talk_seconds=300.0)])
    third = result_cache.run(request, lake)
    # then the next run reads it
    assert engine_calls[-1] == {"interactions": 1}
    assert third.versions == {"interactions": 1}
    assert third.rows[0].values["aht"].value == 200.0
    # and a request pinned to the old version still gets the old numbers, from the cache
    old = result_cache.run(MetricRequest(["aht", "fcr"], versions={"interactions": 0}, **MARCH), lake)
    assert old.rows[0].values["aht"].value == 100.0
    assert len(engine_calls) == 2


def test_requests_differing_in_anything_do_not_share_a_result(tmp_path, engine_calls):
    # given one lake version
    lake = Lake(tmp_path / "lake")
    _write(lake, [interaction(talk_seconds=100.0, provider="P1"), interaction(talk_seconds=300.0, provider="P2")])
    # when the requests differ only in a filter
    p1 = result_cache.run(MetricRequest(["aht"], filters={"provider": ["P1"]}, **MARCH), lake)
    p2 = result_cache.run(MetricRequest(["aht"], filters={"provider": ["P2"]}, **MARCH), lake)
    # then each is computed, with its own numbers
    assert len(engine_calls) == 2
    assert (p1.rows[0].values["aht"].value, p2.rows[0].values["aht"].value) == (100.0, 300.0)


def test_a_lake_never_written_is_not_pinned(tmp_path, engine_calls):
    # given an empty lake
    lake = Lake(tmp_path / "empty")
    # when a request runs
    result = result_cache.run(MetricRequest(["aht"], **MARCH), lake)
    # then it reads nothing, at no version
    assert result.versions == {"interactions": None}
    assert result.rows[0].values["aht"].volume == 0


def test_many_requests_for_one_cold_result_compute_it_once(tmp_path, monkeypatch):
    # given a cold result that takes a while to compute
    import threading
    import time

    lake = Lake(tmp_path / "lake")
    _write(lake, [interaction(talk_seconds=100.0)])
    calls = []
    real = result_cache.engine.metrics.run

    def slow(request, lake, con=None):
        calls.append(1)
        time.sleep(0.3)
        return real(request, lake, con)

    monkeypatch.setattr(result_cache.engine.metrics, "run", slow)
    # when eight users open the same page at once
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(result_cache.run(MetricRequest(["aht"], **MARCH), lake)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then it is computed once, and every one of them gets it
    assert len(calls) == 1
    assert [r.rows[0].values["aht"].value for r in results] == [100.0] * 8


def test_each_providers_view_is_a_slice_of_one_result_computed_once(tmp_path, engine_calls):
    # given March contacts of two providers: P1 talks 100 s, P2 300 s
    lake = Lake(tmp_path / "lake")
    _write(lake, [interaction(provider="P1", talk_seconds=100.0), interaction(provider="P2", talk_seconds=300.0)])
    everyone = MetricRequest(["aht"], group_by=("provider",), filters={"provider": ["P1", "P2"]}, **MARCH)
    own = MetricRequest(["aht"], group_by=("provider",), filters={"provider": ["P2"]}, **MARCH)
    # when the client's view and then P2's own view are asked for
    client = result_cache.run(everyone, lake)
    partner = result_cache.run(own, lake)
    # then the engine ran once, and P2's view holds P2's row only, with P2's own figure
    assert len(engine_calls) == 1
    assert {r.dimensions["provider"]: r.values["aht"].value for r in client.rows} == {"P1": 100.0, "P2": 300.0}
    assert [(r.dimensions["provider"], r.values["aht"].value) for r in partner.rows] == [("P2", 300.0)]
