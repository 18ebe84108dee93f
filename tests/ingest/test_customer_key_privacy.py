"""customer_key lands in the lake only as the installation's keyed hash (HMAC-SHA256)."""

from __future__ import annotations

import csv
import hashlib
import hmac
from pathlib import Path

from typer.testing import CliRunner

from concord.cli import _mount_subcommands, app
from concord.ingest.engine.privacy import keyed_hash
from concord.ingest.models import IngestRun

VENDOR = Path(__file__).parents[1] / "ingest_engine" / "vendor"
runner = CliRunner()


def _ingest(path: Path):
    if not any(c.name == "ingest" for c in app.registered_commands):
        _mount_subcommands()
    args = ["ingest", str(path), "--profile", "zendesk-csv", "--provider", "PA", "--program", "SHARED"]
    return runner.invoke(app, [*args, "--timezone", "America/New_York"])


def test_raw_customer_ids_never_land_in_the_lake_and_repeat_contacts_still_match(world, lake, settings):
    settings.CUSTOMER_KEY_SECRET = b"test-secret"
    # given Zendesk tickets whose requesters are 9001 (twice), 9002 and 9003
    result = _ingest(VENDOR / "zendesk_tickets.csv")
    assert result.exit_code == 0, result.output
    keys = {r["external_id"]: r["customer_key"] for r in lake.read_arrow("interactions").to_pylist()}
    # then no raw id is stored: each is HMAC-SHA256 under the installation's secret (computed independently here)
    expected = "k1:" + hmac.new(b"test-secret", b"9001", hashlib.sha256).hexdigest()[:32]
    assert keys["101"] == keys["103"] == expected
    assert len({keys["101"], keys["102"], keys["104"]}) == 3
    assert not {"9001", "9002", "9003"} & set(keys.values())


def test_the_quarantine_holds_only_rejected_rows_and_loading_twice_changes_nothing(world, lake, settings, tmp_path):
    settings.CUSTOMER_KEY_SECRET = b"test-secret"
    text = (VENDOR / "zendesk_tickets.csv").read_text()
    lines = text.splitlines()
    bad = lines[2].replace("2026-03-02 08:00:00,2026-03-02 08:00:00", "yesterday,2026-03-02 08:00:00", 1)
    path = tmp_path / "tickets.csv"
    path.write_text("\n".join([lines[0], lines[1], bad, *lines[3:]]) + "\n")
    assert _ingest(path).exit_code == 0
    run = IngestRun.objects.get()
    assert (run.accepted, run.rejected) == (3, 1)
    with open(run.quarantine_path, encoding="utf-8", newline="") as fh:
        quarantined = list(csv.DictReader(fh))
    assert [q["Requester id"] for q in quarantined] == ["9002"]  # the rejected row, to fix and send again
    assert "9001" not in Path(run.quarantine_path).read_text()
    # the same file again: the hashes are the same, so nothing changes
    version = lake.version("interactions")
    assert _ingest(path).exit_code == 0
    again = IngestRun.objects.latest("pk")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert lake.version("interactions") == version


def test_a_key_already_hashed_is_kept_and_another_secret_gives_another_hash():
    once = keyed_hash("ana@example.com", b"one")
    assert keyed_hash(once, b"one") == once  # a Concord export loaded again
    assert keyed_hash("ana@example.com", b"two") != once


def test_the_batch_hash_is_hmac_sha256_for_short_and_long_secrets():
    import pyarrow as pa

    from concord.ingest.engine.privacy import hash_customer_keys

    values = ["9001", "ñandú@example.com", None, "9001"]
    for secret in (b"short", b"x" * 100):  # a key longer than SHA-256's block is hashed first
        expected = [None if v is None else "k1:" + hmac.new(secret, v.encode(), hashlib.sha256).hexdigest()[:32]
                    for v in values]
        assert hash_customer_keys(pa.array(values, pa.string()), secret).to_pylist() == expected
