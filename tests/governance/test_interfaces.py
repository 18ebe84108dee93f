"""Pages, API and CLI of the governance rhythm: client-only stays client-only; the CLI builds a pack."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from concord.cli import _mount_subcommands, app
from concord.governance import services
from concord.governance.models import Pack

runner = CliRunner(env={"COLUMNS": "200"})
SECRETS = ("Walk-away price is 12 EUR", "Commercial position (client only)")


@pytest.fixture(autouse=True)
def _mounted():
    if not any(g.name == "pack" for g in app.registered_groups):
        _mount_subcommands()


def test_governance_client_only(world, meeting, client):
    """A partner never gets a client-only note or agenda item: meeting page, pack page, API detail and pack."""
    services.note_add(actor=world.users["client_admin"], meeting=meeting, text=SECRETS[0], client_only=True)
    urls = [f"/governance/meetings/{meeting.pk}/", f"/governance/meetings/{meeting.pk}/pack/",
            f"/api/governance/meetings/{meeting.pk}/", f"/api/governance/meetings/{meeting.pk}/pack/"]  # fmt: skip
    for persona, shown in (("client_admin", True), ("partner_a_lead", False)):
        client.force_login(world.users[persona])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            for secret in SECRETS:
                assert (secret in body) is shown, f"{persona} {url} {secret}"


def test_a_partner_records_a_decision_and_progresses_its_action_from_the_page(world, meeting, client):
    lead = world.users["partner_a_lead"]
    client.force_login(lead)
    client.post(f"/governance/meetings/{meeting.pk}/decisions/", {"what": "Open Saturday shifts"})
    assert [d.what for d in meeting.decisions.all()] == ["Open Saturday shifts"]
    response = client.post(f"/governance/providers/{world.partner_a.pk}/actions/new/",
                           {"title": "Hire 5", "owner": lead.pk, "due": "2026-07-01"})  # fmt: skip
    assert response.status_code == 302
    action = world.partner_a.actions.get()
    response = client.patch(f"/api/governance/actions/{action.pk}/", json.dumps({"status": "done"}),
                            content_type="application/json")  # fmt: skip
    assert response.json()["status"] == "done"


def test_pack_build_writes_the_pdf_and_says_what_it_read(world, lake_uri, card, tmp_path):
    pdf = tmp_path / "pack.pdf"
    args = ["pack", "build", "--provider", "PA", "--cadence", "strategic", "--period", "2026-Q2", "--pdf", str(pdf)]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"pack", "provider", "period", "lake_versions", "pages", "pdf"}
    assert (out["provider"], out["period"], out["lake_versions"]["interactions"]) == ("PA", "2026-Q2", 0)
    assert out["pages"] >= 1 and pdf.read_bytes().startswith(b"%PDF-")
    pack = Pack.objects.get(pk=out["pack"])
    # Q2 2026 holds April and May: AHT (720 + 1200) / 6 = 320 s
    assert pack.sections["scorecard"]["cards"][0]["lines"][0]["value"] == 320.0


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--provider", "NOPE", "--cadence", "strategic", "--period", "2026-Q2"], "no provider 'NOPE'"),
        (["--provider", "PA", "--cadence", "weekly", "--period", "2026-Q2"], "is not one of"),
        (["--provider", "PA", "--cadence", "tactical", "--period", "2026-13"], "--period"),
    ],
)
def test_pack_build_refuses_in_one_line(world, tmp_path, args, said):
    result = runner.invoke(app, ["pack", "build", *args, "--pdf", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and said in " ".join(result.output.split())
    assert not Pack.objects.exists()


def test_a_partner_cannot_build_another_partners_pack(world, tmp_path):
    args = ["pack", "build", "--provider", "PB", "--cadence", "tactical", "--period", "2026-05",
            "--pdf", str(tmp_path / "x.pdf"), "--user", "partner_a_lead"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "no provider 'PB'" in result.output
