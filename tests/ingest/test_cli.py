"""``concord ingest`` through typer's CliRunner: summary table, one-line errors, exit codes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from concord.cli import _mount_subcommands, app
from concord.ingest.models import IngestRun

from .conftest import csv_bytes, row

runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _mounted():
    if not any(c.name == "ingest" for c in app.registered_commands):
        _mount_subcommands()


def test_cli_ingests_a_file_and_prints_a_summary(world, lake, tmp_path):
    # given a file with one bad row
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(row(1), row(2), row(3, created="yesterday")))
    # when it is ingested from the command line, bound to partner A
    result = runner.invoke(app, ["ingest", str(path), "--profile", "canonical-csv", "--provider", "PA"])
    # then the summary shows the counts and the run is recorded like an upload
    assert result.exit_code == 0, result.output
    assert "read" in result.output and "rejected" in result.output and "rows/s" in result.output
    run = IngestRun.objects.get()
    assert (run.read, run.accepted, run.rejected, run.provider.code) == (3, 2, 1, "PA")
    assert run.via == IngestRun.Via.CLI and lake.read_arrow("interactions").num_rows == 2


def test_cli_dry_run_writes_nothing(world, lake, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(row(1)))
    result = runner.invoke(app, ["ingest", str(path), "--profile", "canonical-csv", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert lake.version("interactions") is None and IngestRun.objects.get().dry_run


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "--profile", "canonical-csv"], "no such file"),
        (["{file}", "--profile", "nope"], "unknown profile 'nope'"),
        (["{file}", "--profile", "canonical-csv", "--provider", "ZZ"], "unknown provider 'ZZ'"),
        (["{empty}", "--profile", "canonical-csv"], "empty"),
    ],
)
def test_cli_errors_are_one_line_and_exit_1(world, lake, tmp_path, args, message):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(row(1)))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    args = [a.format(file=good, empty=empty) for a in args]
    result = runner.invoke(app, ["ingest", *args])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0], result.output
    assert "Traceback" not in result.output


def test_cli_as_a_partner_user_binds_rows_to_their_provider(world, lake, tmp_path):
    # given partner A's lead loads a file where one row names partner B
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(row(1), row(2, provider="PB", site="PB-S1", agent="PB-001")))
    result = runner.invoke(app, ["ingest", str(path), "--profile", "canonical-csv", "--user", "partner_a_lead"])
    # then B's row is rejected and the run is A's
    assert result.exit_code == 0, result.output
    run = IngestRun.objects.get()
    assert (run.accepted, run.rejected, run.provider.code, run.started_by_name) == (1, 1, "PA", "partner_a_lead")
    # and asking to load partner B's data as A's lead is one error line, recording nothing
    result = runner.invoke(
        app, ["ingest", str(path), "--profile", "canonical-csv", "--user", "partner_a_lead", "--provider", "PB"]
    )
    assert result.exit_code == 1 and "may not load data for that provider" in result.output
    assert IngestRun.objects.count() == 1


def test_cli_exits_2_when_every_row_is_rejected_and_help_says_so(world, lake, tmp_path):
    # given a file whose every row is bad (#10.4)
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(row(1, created="yesterday"), row(2, csat="9")))
    result = runner.invoke(app, ["ingest", str(path), "--profile", "canonical-csv"])
    # then the run is a failure, not a success, and the exit status is 2
    assert result.exit_code == 2, result.output
    run = IngestRun.objects.get()
    assert run.status == IngestRun.Status.FAILED and run.status_label == "Failed: 0 of 2 rows accepted"
    assert "0 of 2 rows accepted" in result.output and "Traceback" not in result.output
    # and --help documents the exit statuses
    assert "2 when every row" in " ".join(runner.invoke(app, ["ingest", "--help"]).output.split())
