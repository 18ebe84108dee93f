"""``concord contracts ...``: closing a month, its credit statement, and the results sweep, from a terminal.

The same services and selectors as the pages and the API. A refusal (a provisional
or out-of-date result, a month already closed, no such contract) is one line on
stderr and exit 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

contracts_app = typer.Typer(no_args_is_help=True, help="Contracts: close a month, its credit statement.")
console = Console()

_USER = typer.Option("--user", help="Act as this Concord user (their access rules apply); default: the operator.")
_MONTH = typer.Option("--month", help="Month, e.g. 2026-11.")
_CONTRACT = typer.Option("--contract", help="Contract id (see /contracts/ or GET /api/contracts/).")


def _setup(user: str | None, contract_id: int, month: str):
    from concord.cli import _django, cli_actor, fail

    _django()
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from concord import periods, reporting
    from concord.accounts.roles import Role

    from . import selectors

    actor = cli_actor(user, Role.CLIENT_ADMIN)  # the client's own terminal unless --user says otherwise
    try:
        period = periods.parse(month, "month", today=reporting.today())
        contract = selectors.contract(actor, contract_id)
    except Http404:
        fail(f"no contract {contract_id} visible to {actor.username}")
    except PermissionDenied as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(f"--month: {exc}")
    return actor, contract, period


def _print_statement(data: dict) -> None:
    figures = data.get("in_force") or data.get("as_closed")
    totals = figures["totals"]
    table = Table(title=f"Credit statement · {data['contract']['name']} · {data['period']} ({totals['currency']})")
    for col in ("SLA", "target", "value", "volume", "status", "allocation %", "credit", "net"):
        table.add_column(col, justify="left" if col in {"SLA", "target", "status"} else "right")
    for ln in figures["lines"]:
        table.add_row(
            ln["sla"],
            f"{ln['comparator_text']} {ln['target_text']}",
            "—" if ln["value"] is None else f"{ln['value']:,.2f}",
            f"{ln['volume']:,}",
            ln["status"],
            ln["allocation_percent"],
            f"{float(ln['credit']):,.2f}",
            f"{float(ln['net']):,.2f}",
        )
    console.print(table)
    console.print(
        f"Fee {float(totals['fee']):,.2f} · at risk {float(totals['at_risk']):,.2f} · "
        f"net credit [bold]{float(totals['net']):,.2f} {totals['currency']}[/]"
        + (f" · restated {len(data['restatements'])} time(s)" if data.get("restatements") else "")
    )


@contracts_app.command("close")
def close_command(
    contract: Annotated[int, _CONTRACT],
    month: Annotated[str, _MONTH],
    user: Annotated[str | None, _USER] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the statement as one JSON object.")] = False,
) -> None:
    """Close a month: refused, with every reason, while any result is provisional or out of date."""
    actor, c, period = _setup(user, contract, month)
    from django.core.exceptions import PermissionDenied, ValidationError

    from concord.cli import fail

    from . import month_close, reports, selectors

    try:
        month_close.close_month(actor=actor, contract=c, period=period)
    except (ValidationError, PermissionDenied) as exc:
        fail(" ".join(getattr(exc, "messages", [str(exc)])))
    data = reports.statement_json(selectors.statement(actor, c, period))
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str))
    else:
        _print_statement(data)


@contracts_app.command("statement")
def statement_command(
    contract: Annotated[int, _CONTRACT],
    month: Annotated[str, _MONTH],
    user: Annotated[str | None, _USER] = None,
    csv_file: Annotated[Path | None, typer.Option("--csv", help="Also write the statement as CSV here.")] = None,
    pdf_file: Annotated[Path | None, typer.Option("--pdf", help="Also write the statement as PDF here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the statement as one JSON object.")] = False,
) -> None:
    """A closed month's credit statement: as closed, every restatement, the figures in force."""
    actor, c, period = _setup(user, contract, month)
    from concord.cli import fail
    from concord.performance.exports import to_csv

    from . import reports, selectors

    view = selectors.statement(actor, c, period)
    if view.statement is None:
        fail(f"{period:%B %Y} is not closed for {c.name}: " + (" ".join(view.blockers) or "close it first."))
    data = reports.statement_json(view)
    if csv_file is not None:
        csv_file.write_text(to_csv(reports.statement_table(view)))
    if pdf_file is not None:
        from .pdf import statement_pdf

        pdf_file.write_bytes(statement_pdf(view))
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str))
    else:
        _print_statement(data)


@contracts_app.command("sweep")
def sweep_command() -> None:
    """Recompute every open month whose results are out of date or have matured (what the hourly task does)."""
    from concord.cli import _django

    _django()
    from .refresh import sweep

    done = {pk: months for pk, months in sweep().items() if months}
    if not done:
        console.print("Every open month is up to date.")
    for pk, months in done.items():
        console.print(f"Contract {pk}: recomputed {', '.join(f'{m:%Y-%m}' for m in months)}")
