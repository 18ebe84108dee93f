"""``concord drift scan FILE.csv``: a person tests the detector on their own series."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from concord.cli import _mount_subcommands, app

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def _mounted():
    if not any(getattr(g, "name", None) == "drift" for g in app.registered_groups):
        _mount_subcommands()


def _write(tmp_path, rows, header="date,numerator,denominator"):
    path = tmp_path / "series.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _series():
    # the hand-worked series of tests/metrics/test_drift.py: 28 days at 0.80/0.70 by turns, then 0.60
    start = dt.date(2026, 3, 2)
    rows = [f"{start + dt.timedelta(days=i)},{80 if i % 2 == 0 else 70},100" for i in range(28)]
    return rows + [f"{start + dt.timedelta(days=28 + i)},60,100" for i in range(4)]


def test_scan_prints_the_alarm_days_as_json(tmp_path):
    path = _write(tmp_path, _series())
    result = runner.invoke(app, ["drift", "scan", str(path), "--baseline-days", "28", "--direction", "down", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"alarms", "method", "parameters"}
    assert out["alarms"] == ["2026-04-01"]  # the third day at 0.60: S = 7.34 > h = 5 (worked in test_drift)
    assert out["parameters"]["h"] == 5.0 and out["parameters"]["baseline_days"] == 28
    assert "CUSUM" in out["method"]


def test_scan_without_json_lists_days_and_sides(tmp_path):
    path = _write(tmp_path, _series())
    result = runner.invoke(app, ["drift", "scan", str(path), "--baseline-days", "28"])
    assert result.exit_code == 0, result.output
    assert "2026-04-01  down" in result.output


@pytest.mark.parametrize(
    ("rows", "header", "args", "message"),
    [
        (["2026-03-02,80,100", "2026-03-03,x,100"], None, [], "row 3, numerator: 'x' is not a number"),
        (["2026-03-02,80,100", "03/03/2026,80,100"], None, [], "row 3, date: '03/03/2026' is not YYYY-MM-DD"),
        (["2026-03-02,80,100", "2026-03-02,80,100"], None, [], "row 3, date: 2026-03-02 already given on row 2"),
        (["2026-03-02,80,-1"], None, [], "row 2, denominator"),
        (["2026-03-02,80"], "date,numerator", [], "row 1 (header) lacks the column denominator"),
        ([], None, [], "no rows after the header"),
        (["2026-03-02,80,100"], None, ["--direction", "sideways"], "--direction must be one of up, down, both"),
        (["2026-03-02,80,100"], None, [], "nothing is left after a 28-day baseline"),
    ],
)
def test_bad_files_get_one_clear_line(tmp_path, rows, header, args, message):
    path = _write(tmp_path, rows, header or "date,numerator,denominator")
    result = runner.invoke(app, ["drift", "scan", str(path), "--baseline-days", "28", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_missing_file_is_named(tmp_path):
    result = runner.invoke(app, ["drift", "scan", str(tmp_path / "nope.csv"), "--baseline-days", "28"])
    assert result.exit_code == 1
    assert "cannot read" in result.output and "nope.csv" in result.output
