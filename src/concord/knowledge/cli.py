"""``concord knowledge import|search|adoption``: the same services and selectors as the pages and API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

knowledge_app = typer.Typer(no_args_is_help=True, help="Knowledge base: import articles, search, adoption.")
console = Console()
_USER = typer.Option("--user", help="Act as this Concord user (their access rules apply); default: the operator.")
_JSON = typer.Option("--json", help="Print JSON instead of a table.")


def _start(user: str | None):
    from concord.cli import _django, cli_actor

    _django()
    from concord.accounts.roles import Role

    return cli_actor(user, Role.CLIENT_ADMIN)


@knowledge_app.command("import")
def import_command(
    directory: Annotated[Path, typer.Argument(help="A folder of Markdown files with YAML front matter.")],
    program: Annotated[str, typer.Option("--program", help="Program code the articles belong to, e.g. RETAIL.")],
    user: Annotated[str | None, _USER] = None,
    as_json: Annotated[bool, _JSON] = False,
) -> None:
    """Import (or update) articles; the same folder twice changes nothing. Exit 1 when a file was refused."""
    from concord.cli import fail

    actor = _start(user)
    from django.core.exceptions import PermissionDenied

    from concord.providers.models import Program

    from .importer import import_directory

    if not directory.is_dir():
        fail(f"{directory}: no such folder")
    found = Program.objects.filter(code=program).first()
    if found is None:
        fail(f"--program: no program with code {program!r}")
    try:
        report = import_directory(user=actor, program=found, directory=directory)
    except PermissionDenied as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2))
    else:
        console.print(
            f"{len(report.created)} new, {len(report.versioned)} new versions, {len(report.unchanged)} unchanged, "
            f"{len(report.errors)} refused"
        )
        for name, reason in report.errors:
            console.print(f"[red]{name}[/]: {reason}", highlight=False)
    if report.errors:
        raise typer.Exit(1)


@knowledge_app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="Words to look for.")],
    program: Annotated[str | None, typer.Option("--program", help="Only this program's articles.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="At most this many hits.")] = 10,
    user: Annotated[str | None, _USER] = None,
    as_json: Annotated[bool, _JSON] = False,
) -> None:
    """Best first: title and headings weigh more than body; stemming; one-letter slips forgiven."""
    actor = _start(user)
    from . import selectors

    hits = selectors.find(actor, query, program=program, limit=limit)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "hits": [
                        {"slug": h.slug, "title": h.title, "version": h.version, "program": h.program, "score": h.score}
                        for h in hits
                    ]
                },
                indent=2,
            )
        )
        return
    table = Table(title=f"{len(hits)} hit(s) for {query!r}")
    for col in ("score", "program", "slug", "title", "v"):
        table.add_column(col)
    for h in hits:
        table.add_row(f"{h.score:.3f}", h.program, h.slug, h.title, str(h.version))
    console.print(table)


@knowledge_app.command("adoption")
def adoption_command(
    provider: Annotated[str | None, typer.Option("--provider", help="Provider code, e.g. ATLAS.")] = None,
    by: Annotated[str, typer.Option("--by", help="provider, site or team.")] = "provider",
    user: Annotated[str | None, _USER] = None,
    as_json: Annotated[bool, _JSON] = False,
) -> None:
    """Of the acknowledgements current articles ask for: how many given, how fast, how many overdue."""
    from concord.cli import fail

    actor = _start(user)
    from concord.providers.models import Provider

    from .adoption import GROUPINGS, adoption

    if by not in GROUPINGS:
        fail(f"--by must be one of {', '.join(GROUPINGS)}")
    if provider and not Provider.objects.filter(code=provider).exists():
        fail(f"--provider: no provider with code {provider!r}")
    rows = adoption(actor, provider=provider, by=by)
    if as_json:
        typer.echo(json.dumps({"by": by, "rows": [r.as_json() for r in rows]}, indent=2))
        return
    table = Table(title=f"Knowledge adoption by {by}")
    for col in ("provider", "site", "team", "required", "acknowledged", "share", "median h", "overdue"):
        table.add_column(col)
    for r in rows:
        j = r.as_json()
        table.add_row(
            r.provider,
            r.site,
            r.team,
            f"{r.required:,}",
            f"{r.acknowledged:,}",
            "—" if j["share_percent"] is None else f"{j['share_percent']}%",
            "—" if j["median_hours_to_acknowledge"] is None else str(j["median_hours_to_acknowledge"]),
            f"{r.overdue:,}",
        )
    console.print(table)
