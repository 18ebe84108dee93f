"""#9.1 as a property: every write path, as every persona, against other providers' keys, changes
nothing of another provider.

Hypothesis picks a persona, a write path (API batch, CSV upload with a built-in or a saved profile,
CLI with --user and optionally --provider, the event-log transform), which of partner B's and the
internal team's keys to send, whether the copy is older, as old or newer than the stored row, and
the values. After each attempt the rows of every provider other than the persona's own (the
scorecard's inputs: every column of every interaction) must be exactly as they were, and nothing
may have moved to the persona's provider.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from concord.cli import _mount_subcommands, app
from concord.ingest import services
from concord.ingest.engine.run import ingest_file
from concord.ingest.models import SavedProfile

from .conftest import upload

HEADER = "source,external_id,provider,site,agent,program,channel,created_at,resolved_at,updated_at,wait_seconds,csat"
#: the stored rows: partner B's and the internal team's, with updated_at 2026-03-02T11:00Z
OTHERS = {"PB": ("PB-S1", "PB-001"), "INT": ("INT-S1", "INT-001")}
STORED_AT = dt.datetime(2026, 3, 2, 11, tzinfo=dt.UTC)
PERSONAS = ("partner_a_lead", "partner_a_agent", "partner_b_lead", "client_viewer")
PATHS = ("batch", "upload", "upload-saved", "cli", "cli-provider", "transform")


def _line(key: str, provider: str, updated: dt.datetime, wait: float, csat: int, source: str = "zd") -> str:
    site, agent = OTHERS.get(provider, ("PA-S1", "PA-001"))
    return (f"{source},{key},{provider},{site},{agent},SHARED,voice,2026-03-02T10:00:00Z,2026-03-02T10:20:00Z,"
            f"{updated:%Y-%m-%dT%H:%M:%SZ},{wait},{csat}")


@pytest.fixture
def stored(world, lake, django_capture_on_commit_callbacks):
    """B and the internal team each hold three keys (loaded by the client's admin)."""
    lines = [_line(f"{code}{i}", code, STORED_AT, 10.0, 3, source)
             for code in OTHERS for i in range(3) for source in ("zd", "helpdesk-eventlog")]
    data = (HEADER + "\n" + "\n".join(lines) + "\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_upload(actor=world.users["client_admin"], uploaded_file=upload("seed.csv", data),
                                    profile_name="canonical-csv")
    run.refresh_from_db()
    assert run.inserted == 12, run.error_message
    columns = {spec: spec for spec in HEADER.split(",")}
    SavedProfile.objects.create(name="saved-feed", table="interactions",
                                definition={"table": "interactions", "format": "csv", "columns": columns})
    return lake


def _rows_not_of(lake, provider_code: str | None) -> list[dict]:
    rows = lake.read_arrow("interactions").to_pylist()
    keep = [r for r in rows if r["provider"] != provider_code]
    return sorted(keep, key=lambda r: (r["source"], r["external_id"]))


def _eventlog(keys: list[str]) -> bytes:
    lines = ["Case ID,Activity,Resource,Complete Timestamp,seriousness,product,service_type,workgroup,customer"]
    for key in keys:
        lines += [f"{key},Assign seriousness,Value 1,2026/03/09 10:00:00,x,p,s,w,c",
                  f"{key},Closed,Value 1,2026/03/09 12:00:00,x,p,s,w,c"]
    return ("\n".join(lines) + "\n").encode()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    persona=st.sampled_from(PERSONAS),
    path=st.sampled_from(PATHS),
    keys=st.lists(st.sampled_from([f"{c}{i}" for c in OTHERS for i in range(3)]), min_size=1, max_size=4,
                  unique=True),
    shift=st.sampled_from([-3600, 0, 1, 86_400]),
    wait=st.floats(min_value=0, max_value=5000, allow_nan=False),
    csat=st.integers(min_value=1, max_value=5),
    name_other=st.booleans(),
)
def test_no_write_path_changes_another_providers_rows(
    world, stored, client, tmp_path_factory, django_capture_on_commit_callbacks,
    persona, path, keys, shift, wait, csat, name_other,
):
    user = world.users[persona]
    own = user.provider.code if user.provider else None
    before = _rows_not_of(stored, own)
    updated = STORED_AT + dt.timedelta(seconds=shift)
    # the rows carry the persona's own provider code (or, name_other, the key owner's code)
    lines = [_line(k, k.rstrip("0123456789") if name_other else (own or "PA"), updated, wait, csat) for k in keys]
    data = (HEADER + "\n" + "\n".join(lines) + "\n").encode()
    folder = tmp_path_factory.mktemp("attempt")
    client.force_login(user)
    if path == "batch":
        rows = [dict(zip(HEADER.split(","), line.split(","), strict=True)) for line in lines]
        client.post(reverse("ingest-batch"), json.dumps({"profile": "canonical-jsonl", "rows": rows}),
                    content_type="application/json")
    elif path in ("upload", "upload-saved"):
        profile = "canonical-csv" if path == "upload" else "saved-feed"
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("ingest:upload"), {"file": upload("attack.csv", data), "profile": profile})
    elif path in ("cli", "cli-provider"):
        if not any(c.name == "ingest" for c in app.registered_commands):
            _mount_subcommands()
        file = folder / "attack.csv"
        file.write_bytes(data)
        args = ["ingest", str(file), "--profile", "canonical-csv", "--user", user.username]
        if path == "cli-provider":
            args += ["--provider", keys[0].rstrip("0123456789")]  # ask to write as the key's owner
        CliRunner().invoke(app, args)
    else:  # the event-log transform, bound to the persona's provider as every partner run is
        file = folder / "events.csv"
        file.write_bytes(_eventlog(keys))
        result = ingest_file(file, "helpdesk-eventlog", stored, bound_provider=own or "PA",
                             constants={"program": "SHARED"})
        assert result.read == len(keys) and not result.errors, result.errors
    client.logout()
    assert _rows_not_of(stored, own) == before, (persona, path, keys, shift)
