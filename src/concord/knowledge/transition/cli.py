"""``concord transition status|sweep``: the same selectors and services as the pages and API."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

transition_app = typer.Typer(no_args_is_help=True, help="Transition plans: status and slippage.")
console = Console()


@transition_app.command("status")
def status_command(
    provider: Annotated[str, typer.Option("--provider", help="Partner code: the plans moving work to or from it.")],
    user: Annotated[str | None, typer.Option("--user", help="Act as this Concord user; default: the operator.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Every plan naming the partner: phases, milestones, days late. Exit 1 for an unknown partner."""
    from concord.cli import _django, cli_actor, fail

    _django()
    from django.core.exceptions import PermissionDenied

    from concord.accounts.roles import Role
    from concord.providers.models import Provider

    from . import selectors

    actor = cli_actor(user, Role.CLIENT_ADMIN)
    if not Provider.objects.filter(code=provider).exists():
        fail(f"--provider: no partner with code {provider!r}")
    try:
        reports = [selectors.status(actor, p) for p in selectors.plans_of_provider(actor, provider)]
    except PermissionDenied as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps({"provider": provider, "plans": [r.as_json() for r in reports]}, indent=2))
        return
    for report in reports:
        table = Table(title=f"{report.plan.title}: {report.current_phase} ({report.today})")
        for column in ("Milestone", "Due", "Met on", "Days late", "State"):
            table.add_column(column)
        for m in report.milestones:
            met = m.progress.met_on.isoformat() if m.progress.met_on else "—"
            table.add_row(m.label, m.milestone.due.isoformat(), met, str(m.slip_days), m.state)
        console.print(table)
    if not reports:
        console.print(f"No transition plan names {provider}.")


@transition_app.command("sweep")
def sweep_command() -> None:
    """Notify the owners of every milestone that has fallen behind (once per milestone and due date)."""
    from concord.cli import _django

    _django()
    from .services import sweep

    console.print(f"{sweep()} notice(s) sent.")
