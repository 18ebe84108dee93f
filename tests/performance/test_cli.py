"""``concord scorecard``: the same numbers as the API, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from concord.cli import _mount_subcommands, app

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def _mounted():
    if not any(c.name == "scorecard" for c in app.registered_commands):
        _mount_subcommands()


def test_scorecard_json_by_site(world, lake_uri, card):
    result = runner.invoke(app, ["scorecard", "--provider", "PA", "--period", "2026-05", "--by", "site", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (row,) = data["scorecards"][0]["rows"]
    assert row["dimensions"] == {"provider": "PA", "site": "PA-S1"}
    assert row["index"] == pytest.approx(91.6667, abs=1e-3)
    assert row["components"][0]["numerator"] == pytest.approx(1200)


def test_scorecard_table_and_errors(world, lake_uri, card):
    result = runner.invoke(app, ["scorecard", "--provider", "PB", "--period", "2026-05"])
    assert result.exit_code == 0, result.output
    assert "Average handle time" in result.output and "20.8" in result.output
    # values and targets read in their unit, as on the pages (the walk saw "777.10" for 12m 57s): AHT 600 s
    assert "10m 00s" in result.output and "600.00" not in result.output and "%" in result.output
    # a partner's user asking for another partner learns nothing
    result = runner.invoke(app, ["scorecard", "--provider", "PB", "--user", "partner_a_lead"])
    assert result.exit_code == 1 and "no provider 'PB'" in result.output
    result = runner.invoke(app, ["scorecard", "--provider", "PA", "--period", "May"])
    assert result.exit_code == 1 and "2026-05" in result.output
