"""The staffing sub-app, driven through typer's CliRunner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from concord.planning.cli import staffing_app

runner = CliRunner()
BASE = [
    "--volume",
    "100",
    "--interval-minutes",
    "30",
    "--aht-seconds",
    "180",
    "--target-sl",
    "0.8",
    "--target-seconds",
    "20",
]


def run(*args: str):
    return runner.invoke(staffing_app, list(args))


def test_erlang_c_json_solves_the_worked_example():
    result = run("erlang-c", *BASE, "--shrinkage", "0.3", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {
        "traffic_erlangs",
        "agents",
        "scheduled_agents",
        "probability_wait",
        "service_level",
        "asa_seconds",
        "occupancy",
    }
    assert out["traffic_erlangs"] == pytest.approx(10.0)
    assert out["agents"] == 14
    assert out["scheduled_agents"] == 20  # ceil(14 / 0.7)
    assert out["probability_wait"] == pytest.approx(0.1741, abs=1e-4)
    assert out["service_level"] == pytest.approx(0.8884, abs=1e-4)
    assert out["asa_seconds"] == pytest.approx(7.84, abs=0.01)
    assert out["occupancy"] == pytest.approx(0.7143, abs=1e-4)


def test_erlang_c_occupancy_cap_and_given_agents():
    capped = json.loads(run("erlang-c", *BASE, "--max-occupancy", "0.65", "--json").stdout)
    assert capped["agents"] == 16
    given = json.loads(run("erlang-c", *BASE, "--agents", "12", "--json").stdout)
    assert given["agents"] == 12 and given["service_level"] == pytest.approx(0.6402, abs=1e-4)
    overloaded = json.loads(run("erlang-c", *BASE, "--agents", "9", "--json").stdout)
    assert overloaded["service_level"] == 0 and overloaded["asa_seconds"] is None


def test_erlang_a_adds_abandonment():
    result = run("erlang-a", *BASE, "--patience-seconds", "600", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert "probability_abandon" in out
    assert out["agents"] == 13  # abandonment relieves the queue: one fewer than Erlang C
    assert 0 < out["probability_abandon"] < 0.05
    assert out["service_level"] >= 0.8


def test_table_output_without_json():
    result = run("erlang-c", *BASE)
    assert result.exit_code == 0
    assert "Erlang C staffing" in result.stdout and "scheduled_agents" in result.stdout


@pytest.mark.parametrize(
    ("flag", "value", "word"),
    [
        ("--volume", "-5", "volume"),
        ("--target-sl", "1.2", "target_sl"),
        ("--target-sl", "0", "target_sl"),
        ("--shrinkage", "1", "shrinkage"),
    ],
)
def test_bad_input_is_one_clear_line_and_a_non_zero_exit(flag, value, word):
    args = [a for a in BASE]
    if flag in args:
        args[args.index(flag) + 1] = value
    else:
        args += [flag, value]
    result = run("erlang-c", *args, "--json")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:") and word in lines[0]
