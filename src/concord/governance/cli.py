"""``concord pack build ...`` and ``concord governance sweep``: the same services as the pages.

A refusal (unknown provider, a period written wrongly, no access) is one line on stderr and exit 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

pack_app = typer.Typer(no_args_is_help=True, help="Review packs: build one from live data, with its PDF.")
governance_app = typer.Typer(no_args_is_help=True, help="The governance rhythm's background work.")
console = Console()

_USER = typer.Option("--user", help="Act as this Concord user (their access rules apply); default: the operator.")


@pack_app.command("build")
def build_command(
    provider: Annotated[str, typer.Option("--provider", help="Provider code, e.g. ATLAS.")],
    cadence: Annotated[str, typer.Option("--cadence", help="operational, tactical or strategic.")],
    period: Annotated[str, typer.Option("--period", help="As on the scorecard pages: 2026-11, 2026-W47, 2026-Q3.")],
    pdf: Annotated[Path, typer.Option("--pdf", help="Write the pack's PDF here.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    user: Annotated[str | None, _USER] = None,
) -> None:
    """Build a pack for one provider and period and write its PDF."""
    from concord.cli import _django, cli_actor, fail

    _django()
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.http import Http404

    from concord import periods, reporting
    from concord.accounts import access
    from concord.accounts.roles import Role
    from concord.providers.models import Provider

    from .packs import render
    from .packs.build import pack_for
    from .packs.sections import BY_CADENCE
    from .schedule import grain_of

    actor = cli_actor(user, Role.CLIENT_ADMIN)
    if cadence not in BY_CADENCE:
        fail(f"--cadence: {cadence!r} is not one of {', '.join(BY_CADENCE)}")
    try:
        grain = grain_of(period)
        start = periods.parse(period, grain, today=reporting.today())
        prov = access.get_visible_or_404(actor, Provider.objects.all(), "pk", code=provider)
        pack = pack_for(user=actor, provider=prov, cadence_kind=cadence, grain=grain, period_start=start)
        data, pages = render.pdf(render.view(actor, pack), printed_by=actor.username)
    except Http404:
        fail(f"--provider: no provider {provider!r} visible to {actor.username}")
    except PermissionDenied as exc:
        fail(str(exc))
    except ValidationError as exc:
        fail(" ".join(exc.messages))
    except ValueError as exc:
        fail(f"--period: {exc}")
    try:
        pdf.write_bytes(data)
    except OSError as exc:
        fail(f"--pdf: cannot write {pdf}: {exc.strerror or exc}")
    out = {
        "pack": pack.pk,
        "provider": prov.code,
        "period": periods.param(start, grain),
        "lake_versions": pack.lake_versions,
        "pages": pages,
        "pdf": str(pdf),
    }
    if as_json:
        typer.echo(json.dumps(out))
    else:
        console.print(f"Pack {pack.pk}: {prov.name}, {periods.label(start, grain)}: {pages} page(s) written to {pdf}")


@governance_app.command("sweep")
def sweep_command() -> None:
    """Run the governance sweep once: escalation timers, reminders, meetings, pack drafts, webhook retries."""
    from concord.cli import _django

    _django()
    from .tasks import sweep

    done = sweep()
    console.print(
        f"{len(done['escalations'])} escalation change(s), {done['reminders']} reminder(s), "
        f"{done['scheduled']} meeting(s) scheduled, {done['drafts']} pack draft(s), "
        f"{done['webhook_retries']} webhook retry(ies)."
    )
