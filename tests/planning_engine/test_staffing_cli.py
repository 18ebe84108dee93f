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
    "80",
    "--target-seconds",
    "20",
]


def run(*args: str):
    return runner.invoke(staffing_app, list(args))


def test_erlang_c_json_solves_the_worked_example():
    result = run("erlang-c", *BASE, "--shrinkage", "30", "--max-occupancy", "100", "--json")
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
    assert out["probability_wait"] == pytest.approx(17.41, abs=1e-2)  # percent, as typed
    assert out["service_level"] == pytest.approx(88.84, abs=1e-2)
    assert out["asa_seconds"] == pytest.approx(7.84, abs=0.01)
    assert out["occupancy"] == pytest.approx(71.43, abs=1e-2)


def test_erlang_c_occupancy_cap_and_given_agents():
    capped = json.loads(run("erlang-c", *BASE, "--max-occupancy", "65", "--json").stdout)
    assert capped["agents"] == 16
    given = json.loads(run("erlang-c", *BASE, "--agents", "12", "--json").stdout)
    assert given["agents"] == 12 and given["service_level"] == pytest.approx(64.02, abs=1e-2)
    overloaded = json.loads(run("erlang-c", *BASE, "--agents", "9", "--json").stdout)
    assert overloaded["service_level"] == 0 and overloaded["asa_seconds"] is None


def test_erlang_a_adds_abandonment():
    result = run("erlang-a", *BASE, "--patience-seconds", "600", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert "probability_abandon" in out
    assert out["agents"] == 13  # abandonment relieves the queue: one fewer than Erlang C
    assert 0 < out["probability_abandon"] < 5
    assert out["service_level"] >= 80


def test_table_output_without_json():
    result = run("erlang-c", *BASE)
    assert result.exit_code == 0
    assert "Erlang C staffing" in result.stdout and "scheduled_agents" in result.stdout


@pytest.mark.parametrize(
    ("flag", "value", "word"),
    [
        ("--volume", "-5", "Calls offered per interval must be at least 0 (got -5)."),
        ("--target-sl", "120", "Service level target must be between 0 and 100% (got 120%)."),
        ("--target-sl", "0", "Service level target must be between 0 and 100% (got 0%)."),
        ("--target-sl", "0.8", "Service level target is in percent: 0.8 means 0.8%; for 80% type 80."),
        ("--shrinkage", "100", "Shrinkage must be between 0 and 100%, below 100% (got 100%)."),
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


def test_defaults_are_the_pages_and_the_apis():
    # the reported mismatch: the page's 30% shrinkage and 85% cap gave 20 scheduled, the CLI 14
    out = json.loads(run("erlang-c", "--volume", "100", "--interval-minutes", "30", "--aht-seconds", "180",
                         "--json").stdout)  # fmt: skip
    assert (out["agents"], out["scheduled_agents"]) == (14, 20)


def test_help_names_every_unit():
    import typer

    for name in ("erlang-c", "erlang-a"):
        command = typer.main.get_command(staffing_app).commands[name]
        helps = {p.name: p.help or "" for p in command.params if p.name not in ("as_json", "help", "agents")}
        units = ("percent", "seconds", "minutes", "(calls)")
        assert all(any(u in text for u in units) for text in helps.values()), helps
        assert "80 means 80%" in helps["target_sl"] and "30 means 30%" in helps["shrinkage"]
