"""The agent-state report lands in its own lake table and feeds occupancy and shrinkage.

Fixture tests/ingest_engine/vendor/agent_states.csv: Amazon Connect's historical metrics report grouped by
agent, as downloaded (column names and meanings from docs.aws.amazon.com/connect/latest/adminguide/
historical-metrics-definitions.html: Online time, Agent on contact time, Agent idle time, Non-Productive
Time; Scheduled time from Connect's scheduling). Times are Europe/Madrid (UTC+1 on 2 March 2026).
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from pathlib import Path

import pytest

from concord.ingest.engine.profiles import IngestOptions, load_profile, with_options
from concord.ingest.engine.run import ingest_file
from concord.metrics.query import MetricRequest, run

VENDOR = Path(__file__).with_name("vendor")


def _load(lake):
    profile = with_options(load_profile("agent-states-csv"), IngestOptions(timezone="Europe/Madrid"))
    result = ingest_file(VENDOR / "agent_states.csv", profile, lake, bound_provider="PA")
    assert result.ok and result.rejected == 0, (result.errors, result.quarantine_path)
    return result


def test_agent_states_land_in_utc_in_seconds(lake):
    result = _load(lake)
    assert (result.read, result.inserted) == (4, 4)
    rows = {(r["agent"], r["interval_start"]): r for r in lake.read_arrow("agent_states").to_pylist()}
    first = rows[("a.garcia", dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC))]  # 09:00 Madrid
    assert (first["logged_in_seconds"], first["handle_seconds"], first["available_seconds"]) == (1800, 1260, 360)
    assert (first["unavailable_seconds"], first["paid_seconds"], first["interval_minutes"]) == (180, 1800, 30)
    assert first["provider"] == "PA"
    late = rows[("b.lopez", dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC))]
    assert late["paid_seconds"] is None  # no scheduled time in the report: shrinkage uses logged-in time


def test_occupancy_and_shrinkage_from_agent_states(lake):
    _load(lake)
    request = MetricRequest(
        metrics=("agent_occupancy", "shrinkage"),
        start=date(2026, 3, 2),
        end=date(2026, 3, 3),
        timezone="Europe/Madrid",
    )
    values = run(request, lake).rows[0].values
    # handling 21+12+15+24 min = 4,320 s; available 6+3+5+6 min = 1,200 s: 4,320 / 5,520
    assert values["agent_occupancy"].value == pytest.approx(100 * 4320 / 5520)
    # paid 30+30+30 min scheduled + 30 min logged in (no schedule) = 7,200 s; productive 5,520 s
    assert values["shrinkage"].value == pytest.approx(100 * (1 - 5520 / 7200))
    assert values["shrinkage"].value == pytest.approx(23.333, abs=0.001)


def test_occupancy_per_agent(lake):
    _load(lake)
    request = MetricRequest(
        metrics=("agent_occupancy",),
        start=date(2026, 3, 2),
        end=date(2026, 3, 3),
        timezone="Europe/Madrid",
        group_by=("agent",),
    )
    result = run(request, lake)
    # a.garcia: 33 min handling / 42 min on the phones; b.lopez: 39 / 50
    assert result.value("agent_occupancy", agent="a.garcia").value == pytest.approx(100 * 33 / 42)
    assert result.value("agent_occupancy", agent="b.lopez").value == pytest.approx(100 * 39 / 50)


def test_the_current_connect_spelling_of_non_productive_time_loads_the_same(lake, tmp_path):
    # docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html now lists
    # "Agent non-productive time" where older reports say "Non-Productive Time"
    text = (VENDOR / "agent_states.csv").read_text().replace("Non-Productive Time", "Agent non-productive time", 1)
    (tmp_path / "agent_states.csv").write_text(text)
    profile = with_options(load_profile("agent-states-csv"), IngestOptions(timezone="Europe/Madrid"))
    result = ingest_file(tmp_path / "agent_states.csv", profile, lake, bound_provider="PA")
    assert result.ok and result.rejected == 0, result.errors
    rows = {(r["agent"], r["interval_start"]): r for r in lake.read_arrow("agent_states").to_pylist()}
    # a.garcia 09:30 Madrid: 00:15:00 not productive = 900 s
    assert rows[("a.garcia", dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC))]["unavailable_seconds"] == 900
