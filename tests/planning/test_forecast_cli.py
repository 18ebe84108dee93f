"""``concord forecast``: one command, a stored version from the lake or a local CSV not stored."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from concord.planning.models import Forecast


@pytest.fixture
def cli():
    from concord.cli import _mount_subcommands, app

    _mount_subcommands()
    return lambda *args: CliRunner().invoke(app, ["forecast", *args])


def _weekday_hours_csv(path, weeks=6):
    # hourly 08:00-19:00, Monday to Friday only; the history ends on a Friday evening
    days = pd.bdate_range("2024-01-01", periods=5 * weeks)
    stamps = [d + pd.Timedelta(hours=h) for d in days for h in range(8, 20)]
    rng = np.random.default_rng(0)
    counts = rng.poisson(20, len(stamps))
    pd.DataFrame({"start": stamps, "contacts": counts}).to_csv(path, index=False)
    return stamps[-1]


@pytest.mark.django_db
def test_csv_forecast_is_printed_not_stored_and_the_horizon_is_calendar_days(cli, tmp_path):
    # given six weeks of weekday hours in a local file, ending Friday 2024-02-09
    path = tmp_path / "history.csv"
    last = _weekday_hours_csv(path)
    assert last.weekday() == 4
    # when forecast 7 days and 14 days ahead
    week = cli("--csv", str(path), "--grain", "60min", "--horizon", "7d", "--json")
    fortnight = cli("--csv", str(path), "--grain", "60min", "--horizon", "2w", "--json")
    # then 7 calendar days (Sat-Fri) hold 5 open days x 12 hours = 60 points, 14 hold 120
    # (14 *open* days would have been 168)
    assert week.exit_code == 0, week.output
    points = json.loads(week.stdout)["points"]
    assert len(points) == 60 and points[0]["period_start"] == "2024-02-12T08:00:00"
    assert len(json.loads(fortnight.stdout)["points"]) == 120
    assert {b["model"] for b in json.loads(week.stdout)["backtest"]} >= {"SeasonalNaive", "AutoETS"}
    # and nothing was stored
    assert not Forecast.objects.exists()


@pytest.mark.django_db
def test_program_or_csv_exactly_one(cli, tmp_path):
    both = cli("--program", "X", "--csv", str(tmp_path / "a.csv"))
    neither = cli("--grain", "D")
    for result in (both, neither):
        assert result.exit_code == 1 and "either --program" in result.output
    missing = cli("--csv", str(tmp_path / "missing.csv"))
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    bad_horizon = cli("--csv", str(tmp_path / "a.csv"), "--horizon", "soon")
    assert bad_horizon.exit_code == 1 and "14d" in bad_horizon.output


def test_the_dead_forecast_command_is_gone():
    import concord.planning.cli as staffing_cli

    assert not hasattr(staffing_cli, "forecast_command")
