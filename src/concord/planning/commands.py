"""``concord forecast --program CODE --grain 30min --horizon 14d [--json]``: a new forecast version.

The same service as the page (``services.create_forecast``): history from the lake,
rolling-origin backtest, best model, the program's planner events, stored as the
program's next version. Errors are one line on stderr and exit 1.
"""

from __future__ import annotations

import json
import re

import typer
from rich.console import Console
from rich.table import Table

console = Console()
_HORIZON = re.compile(r"^(\d+)\s*(d|w)?$")


def parse_horizon(text: str) -> int:
    """'14d' -> 14, '2w' -> 14, '10' -> 10 (days)."""
    match = _HORIZON.match(text.strip().lower())
    if not match:
        raise ValueError(f"horizon must look like 14d or 2w (got {text!r})")
    days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
    return days


def forecast_command(
    program: str = typer.Option(..., "--program", help="Program code."),
    grain: str = typer.Option("30min", "--grain", help="15min, 30min, 60min or D (daily)."),
    horizon: str = typer.Option("14d", "--horizon", help="Days ahead: 14d, 2w."),
    contact_type: str | None = typer.Option(None, "--contact-type", help="Only this contact type (code)."),
    channel: str = typer.Option("", "--channel", help="Only this channel."),
    arima: bool = typer.Option(False, "--arima", help="Also try AutoARIMA (slower)."),
    user: str | None = typer.Option(None, "--user", help="Act as this user (default: the first client admin)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Forecast a program's volume from the lake; store it as a new version."""
    from concord.cli import _django, fail

    _django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from concord.accounts.models import User
    from concord.accounts.roles import Role
    from concord.providers.models import ContactType, Program

    from . import selectors, services

    try:
        days = parse_horizon(horizon)
    except ValueError as exc:
        fail(str(exc))
    found = Program.objects.filter(code=program).first()
    if found is None:
        known = ", ".join(Program.objects.values_list("code", flat=True)) or "none"
        fail(f"unknown program {program!r}; known programs: {known}")
    ct = None
    if contact_type:
        ct = ContactType.objects.filter(program=found, code=contact_type).first()
        if ct is None:
            fail(f"program {program} has no contact type {contact_type!r}")
    users = User.objects.filter(is_active=True)
    actor = users.filter(username=user).first() if user else users.filter(role=Role.CLIENT_ADMIN).order_by("pk").first()
    if actor is None:
        fail(f"no active user {user!r}" if user else "no active client admin; pass --user")
    with console.status(f"Backtesting and forecasting {program}..."):
        try:
            result = services.create_forecast(
                actor=actor,
                program=found,
                grain=grain,
                horizon_days=days,
                contact_type=ct,
                channel=channel,
                include_arima=arima,
            )
        except ValidationError as exc:
            fail(" ".join(exc.messages))
        except PermissionDenied:
            fail(f"user {actor.username!r} may not create forecasts")
    points = selectors.forecast_points(result)
    if as_json:
        payload = {
            "id": result.pk,
            "program": found.code,
            "version": result.version,
            "grain": result.grain,
            "horizon_days": result.horizon_days,
            "model": result.model,
            "explanation": result.explanation,
            "backtest": result.backtest,
            "lake_version": result.lake_version,
            "events_applied": result.events_applied,
            "points": [{"period_start": p["period_start"].isoformat(), "value": p["value"]} for p in points],
        }
        typer.echo(json.dumps(payload))
        return
    table = Table(title=f"{found.code} forecast v{result.version}: {result.model}")
    for col in ("model", "WAPE", "MASE"):
        table.add_column(col, justify="left" if col == "model" else "right")
    for s in result.backtest:
        wape = "-" if s["wape"] is None else f"{s['wape']:.1%}"
        mase = "-" if s["mase"] is None else f"{s['mase']:.2f}"
        table.add_row(s["model"] + (" (chosen)" if s["model"] == result.model else ""), wape, mase)
    console.print(table)
    console.print(result.explanation)
    total = sum(p["value"] for p in points)
    console.print(f"{len(points)} intervals, {total:,.0f} contacts over {result.horizon_days} days.")
