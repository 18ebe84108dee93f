"""``concord forecast``: the one forecast command.

- ``concord forecast --program CODE --grain 30min --horizon 14d [--json]``: the same
  service as the page (``services.create_forecast``, run synchronously here): history
  from the lake, rolling-origin backtest, best model, the program's planner events,
  stored as the program's next version.
- ``concord forecast --csv FILE --grain 30min --horizon 14d [--json]``: forecast a local
  file (last two columns: timestamp, count) with the same engine; nothing is stored and
  Django is not needed.

The horizon is calendar days everywhere: ``14d`` (or ``2w``) is the 14 calendar days
after the last day of history, closed days included (they just have no intervals), as
on the page and in the API. Errors are one line on stderr and exit 1.
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
    """'14d' -> 14, '2w' -> 14, '10' -> 10 calendar days."""
    match = _HORIZON.match(text.strip().lower())
    if not match:
        raise ValueError(f"horizon must look like 14d or 2w (got {text!r})")
    days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
    return days


def _history_from_csv(path: str):
    import pandas as pd

    frame = pd.read_csv(path)
    if frame.shape[1] < 2:
        raise ValueError(f"{path}: need a timestamp column and a count column")
    ts_col, count_col = frame.columns[-2], frame.columns[-1]
    stamps = pd.to_datetime(frame[ts_col], errors="coerce")
    if stamps.isna().any():
        row = int(stamps.isna().to_numpy().argmax()) + 2
        raise ValueError(f"{path}, row {row}, column {ts_col}: not a timestamp")
    return pd.Series(frame[count_col].to_numpy(dtype=float), index=stamps.dt.tz_localize(None))


def _forecast_csv(path: str, grain: str, days: int, arima: bool, as_json: bool) -> None:
    """Forecast a local file with the engine alone: nothing stored, no database."""
    from concord.cli import fail
    from concord.planning.engine import forecasting as fc

    try:
        history = _history_from_csv(path)
        prepared = fc.prepare(history, grain)
        steps = prepared.calendar.steps_for_days(prepared.index[-1], days)
        result = fc.forecast(history, grain, steps, include_arima=arima)
    except (ValueError, OSError) as exc:
        fail(str(exc))
    if as_json:
        payload = {
            "model": result.model,
            "explanation": result.explanation,
            "horizon_days": days,
            "backtest": [
                {"model": s.model, "wape": _num(s.wape), "mase": _num(s.mase), "folds": s.folds} for s in result.scores
            ],
            "points": [
                {"period_start": t.isoformat(), "value": round(float(v), 3)} for t, v in result.forecast.items()
            ],
        }
        typer.echo(json.dumps(payload))
        return
    scores = [{"model": s.model, "wape": _num(s.wape), "mase": _num(s.mase)} for s in result.scores]
    _backtest_table(f"{path}: {result.model}", result.model, scores)
    console.print(result.explanation)
    total = float(result.forecast.sum())
    console.print(f"{len(result.forecast)} intervals, {total:,.0f} contacts over {days} days (not stored).")


def _num(x: float) -> float | None:
    import math

    return float(x) if math.isfinite(x) else None


def _backtest_table(title: str, chosen: str, scores: list[dict]) -> None:
    table = Table(title=title)
    for col in ("model", "WAPE", "MASE"):
        table.add_column(col, justify="left" if col == "model" else "right")
    for s in scores:
        wape = "-" if s["wape"] is None else f"{s['wape']:.1%}"
        mase = "-" if s["mase"] is None else f"{s['mase']:.2f}"
        table.add_row(s["model"] + (" (chosen)" if s["model"] == chosen else ""), wape, mase)
    console.print(table)


def forecast_command(
    program: str | None = typer.Option(None, "--program", help="Program code: forecast from the lake and store."),
    csv: str | None = typer.Option(None, "--csv", help="A local CSV (timestamp, count) to forecast; not stored."),
    grain: str = typer.Option("30min", "--grain", help="15min, 30min, 60min or D (daily)."),
    horizon: str = typer.Option("14d", "--horizon", help="Calendar days ahead: 14d, 2w."),
    contact_type: str | None = typer.Option(None, "--contact-type", help="Only this contact type (code)."),
    channel: str = typer.Option("", "--channel", help="Only this channel."),
    arima: bool = typer.Option(False, "--arima", help="Also try AutoARIMA (slower)."),
    user: str | None = typer.Option(None, "--user", help="Act as this user (default: the first client admin)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Forecast a program's volume from the lake and store it as a new version, or a local --csv file."""
    from concord.cli import fail

    if (program is None) == (csv is None):
        fail("give either --program CODE (stored) or --csv FILE (not stored)")
    try:
        days = parse_horizon(horizon)
    except ValueError as exc:
        fail(str(exc))
    if csv is not None:
        _forecast_csv(csv, grain, days, arima, as_json)
        return
    _forecast_program(program, grain, days, contact_type, channel, arima, user, as_json)


def _forecast_program(program, grain, days, contact_type, channel, arima, user, as_json) -> None:
    from concord.cli import _django, fail

    _django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from concord.accounts.models import User
    from concord.accounts.roles import Role
    from concord.providers.models import ContactType, Program

    from . import selectors, services

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
    _backtest_table(f"{found.code} forecast v{result.version}: {result.model}", result.model, result.backtest)
    console.print(result.explanation)
    total = sum(p["value"] for p in points)
    console.print(f"{len(points)} intervals, {total:,.0f} contacts over {result.horizon_days} days.")
