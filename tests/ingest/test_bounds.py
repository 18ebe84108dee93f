"""#9.5 (ingest side): dates outside the supported range and absurd numbers are rejected rows, not a crash.

Before: ``created_at`` 0000-01-01 failed the whole file with "OverflowError: date value out of
range" (the Parquet statistics cannot hold year 0) and the CLI printed a traceback; 1e308 seconds
of talk time was accepted.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from concord.cli import _mount_subcommands, app
from concord.ingest.engine.run import ingest_rows
from concord.ingest.models import IngestRun

from .conftest import csv_bytes, json_row, row


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"created_at": "0000-01-01T00:00:00Z"}, "created_at", "outside the supported range"),
        ({"created_at": "0001-01-01T00:00:00Z"}, "created_at", "outside the supported range"),
        ({"resolved_at": "9999-12-31T00:00:00Z"}, "resolved_at", "outside the supported range"),
        ({"updated_at": "9999-12-31T23:59:59Z"}, "updated_at", "outside the supported range"),
        ({"wait_seconds": 1e308}, "wait_seconds", "plausible maximum of 90 days"),
        ({"talk_seconds": "1e308"}, "talk_seconds", "plausible maximum of 1 day"),
    ],
)
def test_out_of_range_values_are_rejected_rows_with_a_reason(lake, change, column, words):
    result = ingest_rows([json_row(1), json_row(2, **change)], "canonical-jsonl", lake)
    assert not result.errors, result.errors
    assert (result.read, result.accepted, result.rejected) == (2, 1, 1)
    with open(result.quarantine_path, encoding="utf-8") as fh:
        text = fh.read()
    assert column in text and words in text
    assert lake.read_arrow("interactions").num_rows == 1


def test_bounds_keep_real_values(lake):
    # a 2-hour call, an e-mail that waited 30 days and a 1995 contact are facts, not errors
    rows = [json_row(1, talk_seconds=7200), json_row(2, wait_seconds=30 * 86400),
            json_row(3, created_at="1995-06-01T09:00:00Z", resolved_at="1995-06-01T09:10:00Z")]
    result = ingest_rows(rows, "canonical-jsonl", lake)
    assert (result.accepted, result.rejected) == (3, 0), result.errors


def test_cli_with_a_year_zero_row_prints_no_traceback(world, lake, tmp_path):
    if not any(c.name == "ingest" for c in app.registered_commands):
        _mount_subcommands()
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(row(1), row(2, created="0000-01-01T00:00:00Z")))
    result = CliRunner().invoke(app, ["ingest", str(path), "--profile", "canonical-csv"])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    run = IngestRun.objects.get()
    assert (run.read, run.accepted, run.rejected) == (2, 1, 1)
    assert "supported range" in run.rejections[0]["reason"]
