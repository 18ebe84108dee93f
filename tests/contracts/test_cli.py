"""``concord contracts close|statement``: the same services as the pages, one-line refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from concord.cli import _mount_subcommands, app
from concord.contracts import services
from concord.contracts.models import Statement
from concord.contracts.refresh import refresh_contract

from .test_month_rules import OCTOBER, _fcr_contract, fcr_lake  # noqa: F401 (fixture)

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def _mounted():
    if not any(g.name == "contracts" for g in app.registered_groups):
        _mount_subcommands()


def test_close_is_refused_while_a_result_is_provisional_then_issues_the_statement(world, fcr_lake, tmp_path):  # noqa: F811
    contract = _fcr_contract(world)
    services.compute_month(
        actor=world.users["client_admin"], contract=contract, period=OCTOBER, now=datetime(2026, 11, 5, tzinfo=UTC)
    )
    close = ["contracts", "close", "--contract", str(contract.pk), "--month", "2026-10"]
    result = runner.invoke(app, close)
    assert result.exit_code == 1
    # (rich may wrap the line at the terminal's width: compare the words)
    said = " ".join(result.output.split())
    assert "October 2026 cannot be closed: FCR is provisional (final from 8 Nov 2026 00:00 CET)." in said
    assert not Statement.objects.exists()
    # a partner may not close, nor see another partner's contract
    result = runner.invoke(app, [*close, "--user", world.users["partner_a_lead"].username])
    assert result.exit_code == 1 and not Statement.objects.exists()
    result = runner.invoke(app, [*close, "--user", world.users["partner_b_lead"].username])
    assert result.exit_code == 1 and f"no contract {contract.pk} visible" in result.output
    # once matured and finalised by the sweep, the month closes: FCR 1 of 3 = 33.3 % < 60 %, the whole 1,000 at risk
    refresh_contract(contract.pk, now=datetime(2026, 11, 9, tzinfo=UTC))
    result = runner.invoke(app, [*close, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (line,) = data["as_closed"]["lines"]
    assert (data["closed"], line["status"], line["credit"], data["as_closed"]["totals"]["net"]) == (
        True,
        "missed",
        "1000.00",
        "1000.00",
    )
    # closing twice changes nothing
    result = runner.invoke(app, close)
    assert result.exit_code == 1 and "already closed" in result.output and Statement.objects.count() == 1
    # the statement, printed and as CSV
    out = tmp_path / "statement.csv"
    result = runner.invoke(
        app, ["contracts", "statement", "--contract", str(contract.pk), "--month", "2026-10", "--csv", str(out)]
    )
    assert result.exit_code == 0 and "1,000.00" in result.output
    assert out.read_text().splitlines()[1].startswith("as closed,FCR,fcr,>=,60.0,60%,percent,")
    pdf = tmp_path / "statement.pdf"
    args = ["contracts", "statement", "--contract", str(contract.pk), "--month", "2026-10", "--pdf", str(pdf)]
    assert runner.invoke(app, args).exit_code == 0 and pdf.read_bytes().startswith(b"%PDF-")
    result = runner.invoke(app, ["contracts", "statement", "--contract", str(contract.pk), "--month", "2026-09"])
    assert result.exit_code == 1 and "September 2026 is not closed" in result.output
