"""Program, contact type, time zone and value maps given at ingest: CLI, upload page and API batch.

The vendor files are those of tests/ingest_engine/vendor (built from the vendors' documentation, see
tests/ingest_engine/test_vendor_profiles.py); expected UTC times are worked out by hand.
"""

from __future__ import annotations

import datetime as dt
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


@pytest.fixture(scope="module", autouse=True)
def _mounted():
    if not any(c.name == "ingest" for c in app.registered_commands):
        _mount_subcommands()


def _created(lake) -> dict[str, dt.datetime]:
    return {r["external_id"]: r["created_at"] for r in lake.read_arrow("interactions").to_pylist()}


def test_cli_loads_a_zendesk_csv_with_only_program_and_timezone(world, lake):
    # given Zendesk's CSV export, written in New York time
    args = ["ingest", str(VENDOR / "zendesk_tickets.csv"), "--profile", "zendesk-csv", "--provider", "PA"]
    # when it is loaded with the program and the account's zone
    result = runner.invoke(app, [*args, "--program", "SHARED", "--timezone", "America/New_York"])
    # then every ticket lands, at the right instant, in the program given
    assert result.exit_code == 0, result.output
    run = IngestRun.objects.get()
    assert (run.read, run.accepted, run.rejected, run.skipped) == (4, 4, 0, 0)
    assert _created(lake)["101"] == dt.datetime(2026, 4, 1, 1, 30, tzinfo=dt.UTC)  # 21:30 EDT on 31 March
    assert {r["program"] for r in lake.read_arrow("interactions").to_pylist()} == {"SHARED"}


def test_cli_without_a_program_is_asked_for_it_before_any_run(world, lake):
    result = runner.invoke(app, ["ingest", str(VENDOR / "zendesk_tickets.csv"), "--profile", "zendesk-csv"])
    assert result.exit_code == 1
    assert "--program" in result.output and "Traceback" not in result.output
    assert not IngestRun.objects.exists() and lake.version("interactions") is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--program", "NOPE"], "unknown program 'NOPE'"),
        (["--program", "SHARED", "--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["--program", "SHARED", "--map", "channel-phone"], "COLUMN:SOURCE=VALUE"),
        (["--program", "SHARED", "--map", "colour:red=voice"], "no column 'colour'"),
    ],
)
def test_cli_bad_options_are_one_line_and_change_nothing(world, lake, extra, message):
    result = runner.invoke(app, ["ingest", str(VENDOR / "zendesk_tickets.csv"), "--profile", "zendesk-csv", *extra])
    assert result.exit_code == 1 and message in result.output, result.output
    assert not IngestRun.objects.exists() and lake.version("interactions") is None


def test_without_a_timezone_the_providers_site_zone_applies(world, lake):
    # partner A's one site is in Asia/Manila (UTC+8, no daylight time)
    result = runner.invoke(
        app,
        ["ingest", str(VENDOR / "zendesk_tickets.csv"), "--profile", "zendesk-csv", "--provider", "PA",
         "--program", "SHARED"],
    )
    assert result.exit_code == 0, result.output
    assert _created(lake)["102"] == dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)  # 08:00 in Manila


def test_a_value_map_given_at_ingest_applies(world, lake):
    result = runner.invoke(
        app,
        ["ingest", str(VENDOR / "zendesk_tickets.csv"), "--profile", "zendesk-csv", "--provider", "PA",
         "--program", "SHARED", "--map", "channel:web form=social", "--contact-type", "ORD"],
    )
    assert result.exit_code == 0, result.output
    rows = {r["external_id"]: r for r in lake.read_arrow("interactions").to_pylist()}
    assert rows["101"]["channel"] == "social" and rows["102"]["channel"] == "email"
    assert rows["103"]["contact_type"] == "ORD" and rows["101"]["contact_type"] == "question"  # "-" is no type


def test_upload_page_takes_program_and_timezone(world, login, lake, django_capture_on_commit_callbacks):
    client = login(world.users["partner_a_lead"])
    data = (VENDOR / "freshdesk_tickets.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ingest:upload"),
            {"file": SimpleUploadedFile("tickets.csv", data, content_type="text/csv"), "profile": "freshdesk-csv",
             "program": "SHARED", "timezone": "America/Sao_Paulo"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    run = IngestRun.objects.get()
    assert (run.status, run.read, run.accepted) == (IngestRun.Status.SUCCEEDED, 3, 3), run.error_message
    assert _created(lake)["5003"] == dt.datetime(2026, 4, 1, 2, 30, tzinfo=dt.UTC)  # 23:30 UTC-3 on 31 March
    page = client.get(reverse("ingest:run", args=[run.pk])).content.decode()
    assert "America/Sao_Paulo" in page and "SHARED (every row)" in page


def test_upload_page_refuses_a_program_of_another_partner_and_a_missing_one(world, login, lake):
    client = login(world.users["partner_a_lead"])
    data = (VENDOR / "freshdesk_tickets.csv").read_bytes()
    for program, message in (("BONLY", "Select a valid choice"), ("", "the program")):
        response = client.post(
            reverse("ingest:upload"),
            {"file": SimpleUploadedFile("t.csv", data, content_type="text/csv"), "profile": "freshdesk-csv",
             "program": program},
        )
        assert response.status_code == 400 and message in response.content.decode()
    assert not IngestRun.objects.exists() and lake.version("interactions") is None


def test_api_batch_takes_program_timezone_and_maps(world, login, lake):
    client = login(world.users["client_admin"])
    rows = json.loads((VENDOR / "freshdesk_tickets.json").read_text())
    body = {"profile": "freshdesk-json", "provider": "PA", "program": "SHARED", "timezone": "Europe/Lisbon",
            "maps": {"channel": {"7": "messaging"}}, "rows": rows}
    response = client.post(reverse("ingest-batch"), json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.json()
    assert (response.json()["accepted"], response.json()["skipped"]) == (3, 0)
    got = {r["external_id"]: (r["program"], r["channel"]) for r in lake.read_arrow("interactions").to_pylist()}
    assert got == {"7": ("SHARED", "email"), "8": ("SHARED", "messaging"), "9": ("SHARED", "voice")}


def test_api_batch_without_program_is_a_400_naming_it(world, login, lake):
    client = login(world.users["client_admin"])
    rows = json.loads((VENDOR / "freshdesk_tickets.json").read_text())
    body = {"profile": "freshdesk-json", "provider": "PA", "rows": rows}
    response = client.post(reverse("ingest-batch"), json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and '\\"program\\" in an API batch' in json.dumps(response.json())
    assert not IngestRun.objects.exists()


def test_api_batch_of_a_partner_naming_another_partners_program_is_refused(world, login, lake):
    client = login(world.users["partner_a_lead"])
    rows = json.loads((VENDOR / "freshdesk_tickets.json").read_text())
    body = {"profile": "freshdesk-json", "program": "BONLY", "rows": rows}
    response = client.post(reverse("ingest-batch"), json.dumps(body), content_type="application/json")
    assert response.status_code == 404 and "unknown program 'BONLY'; PA serves SHARED." in json.dumps(response.json())
    assert not IngestRun.objects.exists() and lake.version("interactions") is None


def test_upload_page_lists_the_canonical_columns_and_the_template_loads_as_is(world, login, lake, tmp_path):
    client = login(world.users["partner_a_lead"])
    page = client.get(reverse("ingest:upload")).content.decode()
    assert "<code>external_id</code>" in page and reverse("ingest:template", args=["interactions"]) in page
    response = client.get(reverse("ingest:template", args=["interactions"]))
    header = response.content.decode().strip()
    assert response["Content-Disposition"].startswith("attachment") and header.startswith("source,external_id,")
    # the template, filled in with one row, loads with canonical-csv
    row = {"source": "sheet", "external_id": "1", "program": "SHARED", "channel": "chat",
           "created_at": "2026-03-02T10:00:00Z", "updated_at": "2026-03-02T10:00:00Z"}
    path = tmp_path / "filled.csv"
    path.write_text(header + "\n" + ",".join(row.get(c, "") for c in header.split(",")) + "\n")
    result = runner.invoke(app, ["ingest", str(path), "--profile", "canonical-csv", "--provider", "PA"])
    assert result.exit_code == 0, result.output
    assert lake.read_arrow("interactions").num_rows == 1
    assert client.get(reverse("ingest:template", args=["nope"])).status_code == 404
