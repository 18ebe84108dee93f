"""Issue #11 "done when": each vendor fixture loads through the CLI, the upload page and the API with its
built-in profile and only a program and a time zone; what lands matches the source in UTC; every row read
is accepted, rejected or skipped.

The fixtures are those of tests/ingest_engine/vendor/, each built from its vendor's documentation (the
source is named in each profile's header and in the engine tests). The expected values are worked out by
hand from the fixture rows (the same figures the engine tests check): a time written 23:30 in Madrid on
28 March 2026 is 22:30 UTC (CET, UTC+1), 10:00 on 29 March is 08:00 UTC (CEST, UTC+2); Sao Paulo is UTC-3.
Through the API a CSV export is sent as its rows (header -> value) and a Zendesk API page as its tickets
with their metric sets embedded, the shape of Zendesk's full export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from typer.testing import CliRunner

from concord.cli import _mount_subcommands, app
from concord.ingest.models import IngestRun

VENDOR = Path(__file__).parents[1] / "ingest_engine" / "vendor"
runner = CliRunner()


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def _zendesk(rows):
    t = rows["503"]
    return (
        t["created_at"],
        t["answered_at"],
        t["resolved_at"],
        t["channel"],
        t["resolved"],
        t["csat"],
        t["contact_type"],
        t["program"],
    ) == (utc(2026, 3, 28, 22, 30), utc(2026, 3, 28, 22, 35), utc(2026, 3, 29, 8), "chat", True, 1, "problem", "SHARED")


def _freshdesk_csv(rows):
    t = rows["5003"]
    return (t["created_at"], t["answered_at"], t["resolved_at"], t["channel"], t["csat"]) == (
        utc(2026, 4, 1, 2, 30),
        utc(2026, 4, 1, 2, 31),
        utc(2026, 4, 1, 3, 10),
        "voice",
        1,
    )


def _freshdesk_json(rows):
    t = rows["7"]
    return (t["created_at"], t["answered_at"], t["resolved_at"], t["channel"], t["resolved"]) == (
        utc(2026, 3, 2, 10),
        utc(2026, 3, 2, 10, 20),
        utc(2026, 3, 2, 12),
        "email",
        True,
    )


FIELDS = ("offered", "answered", "abandoned", "wait_seconds", "handle_seconds", "answered_within_threshold")


def _interval(when, channel, expected):
    def check(rows):
        row = next(r for r in rows.values() if r["interval_start"] == when and r["channel"] == channel)
        return tuple(row[f] for f in FIELDS) == expected and row["program"] == "SHARED"

    return check


def _agent_states(rows):
    row = next(r for r in rows.values() if r["agent"] == "a.garcia" and r["interval_start"] == utc(2026, 3, 2, 8))
    return (row["logged_in_seconds"], row["handle_seconds"], row["available_seconds"], row["paid_seconds"]) == (
        1800,
        1260,
        360,
        1800,
    )


# profile, fixture, time zone of its naive times, table, rows, key of a row, hand check
CASES = [
    ("zendesk-csv", "zendesk_same_tickets.csv", "Europe/Madrid", "interactions", 3, "external_id", _zendesk),
    ("zendesk-json", "zendesk_same_tickets.json", "Europe/Madrid", "interactions", 3, "external_id", _zendesk),
    ("freshdesk-csv", "freshdesk_tickets.csv", "America/Sao_Paulo", "interactions", 3, "external_id", _freshdesk_csv),
    ("freshdesk-json", "freshdesk_tickets.json", "Europe/Lisbon", "interactions", 3, "external_id", _freshdesk_json),
    ("amazon-connect-intervals-csv", "amazon_connect_queues.csv", "Europe/Madrid", "intervals", 3, None,
     _interval(utc(2026, 3, 2, 8), "voice", (13, 12, 1, 144.0, 1620.0, 10))),
    ("genesys-intervals-csv", "genesys_queue_performance.csv", "Europe/Madrid", "intervals", 3, None,
     _interval(utc(2026, 3, 2, 8), "voice", (40, 38, 2, 304.0, 10260.0, 34))),
    ("five9-intervals-csv", "five9_queue_half_hour.csv", "Europe/Madrid", "intervals", 2, None,
     _interval(utc(2026, 3, 2, 8, 30), "voice", (1040, 1000, 40, 20000.0, 180000.0, 520))),
    ("agent-states-csv", "agent_states.csv", "Europe/Madrid", "agent_states", 4, None, _agent_states),
]  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def _mounted():
    if not any(c.name == "ingest" for c in app.registered_commands):
        _mount_subcommands()


def _api_rows(path: Path) -> list[dict]:
    if path.suffix == ".csv":
        return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    doc = json.loads(path.read_text())
    if isinstance(doc, list):
        return doc
    metric_sets = {m["ticket_id"]: m for m in doc.get("metric_sets", [])}
    return [{**t, "metric_set": metric_sets.get(t["id"], {})} for t in doc["tickets"]]


def _cli(world, login, profile, path, tz):
    args = ["ingest", str(path), "--profile", profile, "--provider", "PA", "--program", "SHARED", "--timezone", tz]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


def _upload(world, login, profile, path, tz):
    client = login(world.users["partner_a_lead"])
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/octet-stream")
    response = client.post(
        reverse("ingest:upload"), {"file": upload, "profile": profile, "program": "SHARED", "timezone": tz}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _api(world, login, profile, path, tz):
    client = login(world.users["partner_a_lead"])
    body = {"profile": profile, "program": "SHARED", "timezone": tz, "rows": _api_rows(path)}
    response = client.post(reverse("ingest-batch"), json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.json()


INTERFACES = {"cli": _cli, "upload": _upload, "api": _api}


@pytest.mark.parametrize("interface", INTERFACES)
@pytest.mark.parametrize(
    ("profile", "fixture", "tz", "table", "count", "key", "check"), CASES, ids=[c[0] for c in CASES]
)
def test_each_vendor_fixture_loads_through_every_interface_with_only_program_and_timezone(
    world, login, lake, django_capture_on_commit_callbacks, interface, profile, fixture, tz, table, count, key, check
):
    with django_capture_on_commit_callbacks(execute=True):
        INTERFACES[interface](world, login, profile, VENDOR / fixture, tz)
    run = IngestRun.objects.get()
    assert run.status == IngestRun.Status.SUCCEEDED, run.error_message
    assert run.read == run.accepted + run.rejected + run.skipped
    assert (run.accepted, run.rejected, run.skipped) == (count, 0, 0), run.rejections
    landed = lake.read_arrow(table).to_pylist()
    rows = {(r[key] if key else i): r for i, r in enumerate(landed)}
    assert len(rows) == count and {r["provider"] for r in landed} == {"PA"}
    assert check(rows), landed
