"""``concord training status``: the same selectors as the pages and the API."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

training_app = typer.Typer(no_args_is_help=True, help="Training: certification states and readiness.")
console = Console()


@training_app.command("status")
def status_command(
    provider: Annotated[str, typer.Option("--provider", help="Provider code, e.g. ATLAS.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day, YYYY-MM-DD (default: today).")] = None,
    user: Annotated[str | None, typer.Option("--user", help="Act as this Concord user (their access applies).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Per program: how many agents are certified, expiring soon, expired or not; how many are ready per gate."""
    from concord.cli import _django, cli_actor, fail

    _django()
    from concord import reporting
    from concord.accounts.roles import Role
    from concord.providers.models import Provider

    from . import selectors

    actor = cli_actor(user, Role.CLIENT_ADMIN)
    if not Provider.objects.filter(code=provider).exists():
        fail(f"--provider: no provider with code {provider!r}")
    try:
        day = dt.date.fromisoformat(as_of) if as_of else reporting.today()
    except ValueError:
        fail(f"--as-of: {as_of!r} is not a day as YYYY-MM-DD")
    report = selectors.status(actor, provider=provider, as_of=day)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    table = Table(title=f"Training at {provider} on {day}")
    for col in ("program", "certified", "expiring soon", "expired", "not certified", "ready (per contact type)"):
        table.add_column(col)
    for p in report["programs"]:
        c = p["certifications"]
        ready = ", ".join(f"{g['contact_type']} {g['ready']}/{g['agents']}" for g in p["readiness"]) or "—"
        table.add_row(p["program"], str(c["certified"]), str(c["expiring_soon"]), str(c["expired"]),
                      str(c["not_certified"]), ready)  # fmt: skip
    console.print(table)
