"""The ``concord`` command: the same services as the pages and the API, from a terminal.

Django is set up lazily so ``concord --help`` and pure commands start fast.
Errors are one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="Concord: one scorecard, one QA form, one governance rhythm for every partner.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    import django

    try:
        django.setup()
    except Exception as exc:  # configuration errors: say which, don't dump a traceback
        fail(f"Concord could not start: {exc}")


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)  # one line, whatever the width
    raise typer.Exit(code)


def cli_actor(username: str | None, default_role: str):
    """The user a command acts as: ``--user NAME`` (an active user, or exit 1), else the operator
    at the terminal, an unsaved user with ``default_role`` (recorded as "operator" in the audit)."""
    from concord.accounts.models import User

    if not username:
        return User(username="operator", role=default_role)
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        fail(f"no active user {username!r}")
    return actor


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


@app.command()
def migrate() -> None:
    """Create or upgrade the database tables."""
    _django()
    _manage("migrate", "--no-input", "-v", "0")


@app.command()
def demo(
    seed: int = typer.Option(7, help="Same seed, same operation."),
    scale: float = typer.Option(1.0, min=0.05, max=20, help="1.0 is about 400 agents; interactions scale too."),
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    serve_: bool = typer.Option(True, "--serve/--no-serve", help="Serve it when loaded."),
) -> None:
    """Create the embedded database, load the demo operation, serve it and print the logins."""
    _django()
    from concord.demo import build
    from concord.demo.steps import DemoAlreadyLoaded

    _manage("migrate", "--no-input", "-v", "0")
    logins = None
    with console.status("Loading the demo operation…") as status:
        try:
            result = build(seed=seed, scale=scale, progress=lambda m: status.update(m))
            logins = result.logins
            console.print(f"Loaded: {result.summary}")
        except DemoAlreadyLoaded:
            console.print("The demo operation is already loaded; serving it as it is.")
            from concord.demo.organisation import demo_logins

            logins = demo_logins()
    _print_logins(logins)
    if serve_:
        serve(host=host, port=port)


def _print_logins(logins) -> None:
    table = Table(title="Demo logins (all share one password)")
    table.add_column("username")
    table.add_column("password")
    table.add_column("who")
    for username, password, who in logins:
        table.add_row(username, password, who)
    console.print(table)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    worker: bool = typer.Option(True, "--worker/--no-worker", help="Also run the background task worker."),
    production: bool = typer.Option(
        False, "--production", help="Collect static files and serve with gunicorn (see README, Run in production)."
    ),
) -> None:
    """Serve Concord (and its background worker) until Ctrl-C or SIGTERM, which stop both."""
    from concord.serving import supervise, web_command, worker_command

    _django()
    _manage("migrate", "--no-input", "-v", "0")
    if production:
        # hashed, compressed copies under STATIC_ROOT: the manifest every page's CSS link needs
        _manage("collectstatic", "--no-input", "-v", "0")
    server = "gunicorn" if production else "the development server"
    console.print(f"Concord is at [bold]http://{host}:{port}/[/] ({server}) — Ctrl-C stops it.")
    commands = {"web": web_command(host, port, production=production)}
    if worker:
        _start_periodic_work()
        commands["worker"] = worker_command()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "concord.settings"}
    raise typer.Exit(supervise(commands, env))


def _start_periodic_work() -> None:
    """Start each self-scheduling chain once (django-tasks has no scheduler): serve and worker both call this."""
    from concord.contracts.tasks import ensure_sweep_scheduled
    from concord.governance.tasks import ensure_sweep_scheduled as ensure_governance_sweep
    from concord.ingest.tasks import ensure_upload_retention_scheduled
    from concord.knowledge.tasks import ensure_reminders_scheduled
    from concord.performance.tasks import ensure_drift_scan_scheduled

    ensure_sweep_scheduled()  # the hourly check for new lake data and matured SLA results
    ensure_drift_scan_scheduled()  # the daily drift scan of every provider x scorecard metric
    ensure_governance_sweep()  # escalation timers, reminders, meetings and pack drafts
    ensure_reminders_scheduled()  # knowledge acknowledgement reminders, hourly
    ensure_upload_retention_scheduled()  # uploads kept in the lake's store past their retention, daily


@app.command("worker")
def worker_() -> None:
    """Run only the background task worker (ingest runs, forecasts), e.g. on a host of its own."""
    _django()
    _start_periodic_work()
    _manage("concord_worker", "--no-reload")


@app.command()
def createadmin(
    username: str = typer.Option(..., prompt=True),
    email: str = typer.Option(..., prompt=True),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Create a client admin who can log in and manage everything."""
    _django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from concord.accounts.models import User
    from concord.accounts.roles import Role

    if User.objects.filter(username=username).exists():
        fail(f"user {username!r} already exists; choose another username")
    try:
        validate_password(password)
    except ValidationError as exc:
        fail("; ".join(exc.messages))
    user = User(username=username, email=email, role=Role.CLIENT_ADMIN, is_staff=True, is_superuser=True)
    user.set_password(password)
    user.save()
    console.print(f"Created client admin {username}.")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run any Django management command: ``concord manage <command> [args]``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["concord manage", *ctx.args])


def _mount_subcommands() -> None:
    """Domain CLIs register here; each is a typer app of its own module."""
    from concord.planning.cli import staffing_app

    app.add_typer(staffing_app, name="staffing", help="Erlang C / Erlang A staffing.")
    from concord.performance.cli import scorecard_command
    app.command("scorecard")(scorecard_command)
    from concord.planning.commands import forecast_command

    app.command("forecast")(forecast_command)
    from concord.ingest.cli import ingest_command

    app.command("ingest")(ingest_command)
    from concord.quality.cli import calibration_app

    app.add_typer(calibration_app, name="calibration", help="QA calibration: agreement between graders.")

    from concord.contracts.cli import contracts_app

    app.add_typer(contracts_app, name="contracts", help="Close a month; its credit statement.")
    from concord.knowledge.cli import knowledge_app

    app.add_typer(knowledge_app, name="knowledge", help="Knowledge base: import articles, search, adoption.")
    from concord.knowledge.ramp.cli import ramp_command

    app.command("ramp")(ramp_command)
    from concord.knowledge.training.cli import training_app

    app.add_typer(training_app, name="training", help="Training: certification states and readiness.")
    from concord.knowledge.transition.cli import transition_app

    app.add_typer(transition_app, name="transition", help="Transition plans: status and slippage.")

    from concord.performance.drift_cli import drift_app

    app.add_typer(drift_app, name="drift", help="Drift detection: test the detector on your own daily series.")
    from concord.governance.cli import governance_app, pack_app

    app.add_typer(pack_app, name="pack", help="Review packs: build one with its PDF.")
    app.add_typer(governance_app, name="governance", help="Governance: run the sweep once.")


def main() -> None:
    # run from a checkout, the var/ folder sits at the project root
    os.environ.setdefault("CONCORD_VAR_DIR", str(Path.cwd() / "var"))
    _mount_subcommands()
    try:
        app()
    except KeyboardInterrupt:
        raise SystemExit(130) from None
