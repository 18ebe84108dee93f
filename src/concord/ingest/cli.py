"""``concord ingest FILE --profile NAME [--provider CODE] [--dry-run]``: the upload, from a terminal.

The same service as the upload page (``services.ingest_path``), run in the
foreground with a progress bar (rows, rows/s) and a summary table. Bad files and
unknown profiles are one line on stderr and exit 1.

Exit status: 0 when rows were accepted (some may be rejected), 2 when every row was
rejected (nothing accepted), 1 on any other error (no such file, unknown profile,
a file that cannot be read).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from .engine.profiles import IngestOptions, parse_maps

console = Console()
#: exit status when the file was read but every row was rejected (1 is any other error)
EXIT_NOTHING_ACCEPTED = 2


def ingest_command(
    file: Annotated[Path, typer.Argument(help="The export to load (CSV, Parquet, JSON Lines or JSON).")],
    profile: Annotated[str, typer.Option("--profile", "-p", help="Built-in or saved profile name, or a YAML file.")],
    provider: Annotated[str | None, typer.Option("--provider", help="Bind every row to this provider (code).")] = None,
    program: Annotated[str | None, typer.Option("--program", help="Program (code) of rows that name none.")] = None,
    contact_type: Annotated[
        str | None, typer.Option("--contact-type", help="Contact type (code) of rows that name none.")
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            help="IANA zone of times written without an offset (default: the provider's site zone, else the "
            "reporting zone).",
        ),
    ] = None,
    value_map: Annotated[
        list[str] | None,
        typer.Option("--map", help="COLUMN:SOURCE=VALUE, e.g. channel:phone=voice; repeat for more."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing to the lake.")] = False,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Run as this Concord user (their access rules apply); default: the operator."),
    ] = None,
) -> None:
    """Load a file into the lake through a source profile; bad rows go to a quarantine CSV.

    Exit status: 0 when rows were accepted (some may be rejected); 2 when every row
    was rejected (nothing accepted); 1 on an error (no such file, unknown profile,
    unreadable file).
    """
    from concord.cli import _django, fail

    _django()
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from concord.accounts.models import User
    from concord.providers.models import Provider

    from . import services

    if not file.is_file():
        fail(f"{file}: no such file")
    actor = None
    if user:
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            fail(f"no active user {user!r}")
    bound = None
    if provider:
        bound = Provider.objects.filter(code=provider).first()
        if bound is None:
            known = ", ".join(Provider.objects.values_list("code", flat=True))
            fail(f"unknown provider {provider!r}; known providers: {known}")
    try:
        maps = parse_maps(value_map or [])
    except ValueError as exc:
        fail(str(exc))
    options = IngestOptions(program=program, contact_type=contact_type, timezone=timezone, maps=maps)
    try:
        fmt = services.resolve_profile(profile, allow_file=True).format
    except services.IngestRefused as exc:
        fail(str(exc))
    # the bar counts validated rows against the rows expected (exact for Parquet); readers run ahead in bytes
    estimate = services.expected_rows(file, fmt)
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]:,} rows · {task.fields[rate]:,.0f} rows/s"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with bar:
        task = bar.add_task(file.name, total=estimate or None, rows=0, rate=0.0)

        def progress(rows: int, done: int, size: int) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            total = max(estimate, rows) if estimate else None
            bar.update(task, completed=rows, total=total, rows=rows, rate=rows / elapsed if elapsed else 0.0)

        try:
            run = services.ingest_path(
                actor=actor,
                path=file,
                profile_name=profile,
                provider=bound,
                dry_run=dry_run,
                progress=progress,
                options=options,
            )
        except services.IngestRefused as exc:
            fail(str(exc))
        except PermissionDenied as exc:
            fail(f"user {user!r}: {exc}")
        except Http404:
            fail(f"user {user!r} may not load data for that provider")
        except Exception as exc:  # the run is recorded failed; the operator gets one line, not a traceback
            fail(f"the run failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}")
    _summary(run)
    if run.nothing_accepted:
        fail(run.error_message, code=EXIT_NOTHING_ACCEPTED)
    if run.status != run.Status.SUCCEEDED:
        fail(run.error_message or "the run failed")


def _summary(run) -> None:
    table = Table(title=f"Ingest run {run.pk}: {run.file_name} ({run.profile_name})")
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    rate = run.read / run.duration_seconds if run.duration_seconds else 0
    rows = [
        ("status", run.status_label + (" (dry run)" if run.dry_run else "")),
        ("read", f"{run.read:,}"),
        ("accepted", f"{run.accepted:,}"),
        ("rejected", f"{run.rejected:,}"),
        ("skipped", f"{run.skipped:,}" + "".join(f"\n  {n:,} {why}" for why, n in run.skip_reasons.items())),
        ("inserted", f"{run.inserted:,}"),
        ("updated", f"{run.updated:,}"),
        ("unchanged", f"{run.unchanged:,}"),
        ("lake version", f"{_v(run.version_before)} -> {_v(run.version_after)}"),
        ("duration", f"{run.duration_seconds or 0:.2f} s ({rate:,.0f} rows/s)"),
    ]
    if run.new_agents:
        rows.append(("new agents flagged", str(len(run.new_agents))))
    if run.rejected and run.quarantine_path:
        rows.append(("quarantine", run.quarantine_path))
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)


def _v(version) -> str:
    return "none" if version is None else str(version)
