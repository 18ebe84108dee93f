"""``concord staffing ...``: Erlang C and Erlang A from the command line.

Mounted by the main CLI as ``app.add_typer(staffing_app, name="staffing")``. Pure: the
engine needs no Django.
"""

from __future__ import annotations

import json
import math
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from concord.planning.engine import erlang_a as ea
from concord.planning.engine import queueing as q

staffing_app = typer.Typer(help="Size staffing per interval with Erlang C or Erlang A.", no_args_is_help=True)

Volume = Annotated[float, typer.Option(help="Calls offered in the interval.")]
IntervalMinutes = Annotated[float, typer.Option(help="Interval length in minutes.")]
Aht = Annotated[float, typer.Option(help="Average handle time in seconds.")]
TargetSl = Annotated[float, typer.Option(help="Service-level target, a share in (0, 1].")]
TargetSeconds = Annotated[float, typer.Option(help="Answer-within threshold T in seconds.")]
MaxOccupancy = Annotated[float | None, typer.Option(help="Occupancy cap in (0, 1].")]
TargetAsa = Annotated[float | None, typer.Option(help="ASA target in seconds.")]
Shrinkage = Annotated[float, typer.Option(help="Share of paid time not on the phones, [0, 1).")]
Agents = Annotated[int | None, typer.Option(help="Evaluate this agent count instead of solving.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=2)


def _finite(x: float) -> float | None:
    # JSON has no infinity: an unbounded ASA is printed as null.
    return float(x) if math.isfinite(x) else None


def _emit(result: dict, as_json: bool, title: str) -> None:
    if as_json:
        typer.echo(json.dumps(result))
        return
    table = Table(title=title)
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        if value is None:
            shown = "unbounded"
        elif isinstance(value, int):
            shown = str(value)
        elif key in ("probability_wait", "probability_abandon", "service_level", "occupancy"):
            shown = f"{value:.2%}"
        else:
            shown = f"{value:.2f}"
        table.add_row(key, shown)
    Console().print(table)


def _solve(
    *,
    volume,
    interval_minutes,
    aht_seconds,
    target_sl,
    target_seconds,
    max_occupancy,
    target_asa,
    shrinkage,
    agents,
    patience_seconds=None,
) -> dict:
    interval = interval_minutes * 60.0
    q.validate_inputs(
        volume=volume,
        interval_seconds=interval,
        aht_seconds=aht_seconds,
        target_sl=target_sl,
        target_seconds=target_seconds,
        max_occupancy=max_occupancy,
        target_asa=target_asa,
        shrinkage=shrinkage,
        agents=agents,
        patience_seconds=patience_seconds,
    )
    if patience_seconds is None:
        n = (
            agents
            if agents is not None
            else int(
                q.required_agents(
                    volume,
                    interval,
                    aht_seconds,
                    target_sl,
                    target_seconds,
                    max_occupancy=max_occupancy,
                    target_asa=target_asa,
                )
            )
        )
        m = q.erlang_c(n, volume, interval, aht_seconds, target_seconds)
        extra = {}
    else:
        n = (
            agents
            if agents is not None
            else int(
                ea.required_agents(
                    volume,
                    interval,
                    aht_seconds,
                    patience_seconds,
                    target_sl,
                    target_seconds,
                    max_occupancy=max_occupancy,
                    target_asa=target_asa,
                )
            )
        )
        m = ea.erlang_a(n, volume, interval, aht_seconds, patience_seconds, target_seconds)
        extra = {"probability_abandon": float(m.probability_abandon)}
    return {
        "traffic_erlangs": float(m.traffic_erlangs),
        "agents": int(n),
        "scheduled_agents": int(q.scheduled_agents(n, shrinkage)),
        "probability_wait": float(m.probability_wait),
        **extra,
        "service_level": float(m.service_level),
        "asa_seconds": _finite(float(m.asa_seconds)),
        "occupancy": float(m.occupancy),
    }


@staffing_app.command("erlang-c")
def erlang_c_command(
    volume: Volume,
    interval_minutes: IntervalMinutes,
    aht_seconds: Aht,
    target_sl: TargetSl = 0.8,
    target_seconds: TargetSeconds = 20.0,
    max_occupancy: MaxOccupancy = None,
    target_asa: TargetAsa = None,
    shrinkage: Shrinkage = 0.0,
    agents: Agents = None,
    as_json: AsJson = False,
) -> None:
    """Smallest agent count meeting the targets (or the figures for --agents), Erlang C."""
    try:
        result = _solve(
            volume=volume,
            interval_minutes=interval_minutes,
            aht_seconds=aht_seconds,
            target_sl=target_sl,
            target_seconds=target_seconds,
            max_occupancy=max_occupancy,
            target_asa=target_asa,
            shrinkage=shrinkage,
            agents=agents,
        )
    except ValueError as exc:
        _fail(str(exc))
    _emit(result, as_json, "Erlang C staffing")


@staffing_app.command("erlang-a")
def erlang_a_command(
    volume: Volume,
    interval_minutes: IntervalMinutes,
    aht_seconds: Aht,
    patience_seconds: Annotated[float, typer.Option(help="Mean caller patience in seconds.")],
    target_sl: TargetSl = 0.8,
    target_seconds: TargetSeconds = 20.0,
    max_occupancy: MaxOccupancy = None,
    target_asa: TargetAsa = None,
    shrinkage: Shrinkage = 0.0,
    agents: Agents = None,
    as_json: AsJson = False,
) -> None:
    """Like erlang-c, with callers who abandon after an exponential patience."""
    try:
        result = _solve(
            volume=volume,
            interval_minutes=interval_minutes,
            aht_seconds=aht_seconds,
            target_sl=target_sl,
            target_seconds=target_seconds,
            max_occupancy=max_occupancy,
            target_asa=target_asa,
            shrinkage=shrinkage,
            agents=agents,
            patience_seconds=patience_seconds,
        )
    except ValueError as exc:
        _fail(str(exc))
    _emit(result, as_json, "Erlang A staffing")


def _parse_horizon(horizon: str, grain: str, slots_per_day: int) -> int:
    """'14d' -> 14 open days of intervals; '2w' -> 2 weeks of open days; '96' -> 96 steps."""
    text = horizon.strip().lower()
    if text.isdigit():
        return int(text)
    unit, number = text[-1], text[:-1]
    if unit not in "dw" or not number.isdigit():
        raise ValueError(f"horizon must look like 14d, 2w or a step count (got {horizon!r})")
    days = int(number) * (7 if unit == "w" else 1)
    return days * (1 if grain in ("D", "1D", "day") else slots_per_day)


def _history_from_lake(program: str, lake_uri: str | None):
    import os

    import pandas as pd
    import pyarrow.dataset as ds

    from concord.lake.store import Lake

    # The one place the CLI reaches for Django: the lake location and reporting zone.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    from django.conf import settings

    lake_uri = lake_uri or str(settings.LAKE_URI)
    zone = str(getattr(settings, "REPORTING_TIMEZONE", "UTC"))
    table = Lake(lake_uri).delta("intervals")
    if table is None:
        raise ValueError(f"the lake at {lake_uri} has no intervals table yet")
    data = (
        table.to_pyarrow_dataset()
        .to_table(columns=["interval_start", "offered"], filter=ds.field("program") == program)
        .to_pandas()
    )
    if data.empty:
        raise ValueError(f"no interval history for program {program!r}")
    counts = data.groupby("interval_start")["offered"].sum().sort_index()
    # Opening hours and days are those of the reporting zone (stored times are UTC).
    local = pd.DatetimeIndex(counts.index)
    local = local.tz_localize("UTC") if local.tz is None else local
    counts.index = local.tz_convert(zone).tz_localize(None)
    return counts


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


def forecast_command(
    program: Annotated[str | None, typer.Option(help="Program code in the lake.")] = None,
    grain: Annotated[str, typer.Option(help="15min, 30min, 60min or D.")] = "30min",
    horizon: Annotated[str, typer.Option(help="14d, 2w or a number of steps.")] = "14d",
    csv: Annotated[str | None, typer.Option(help="History CSV (timestamp, count) instead.")] = None,
    lake: Annotated[str | None, typer.Option(help="Lake location (default: settings).")] = None,
    arima: Annotated[bool, typer.Option(help="Also try AutoARIMA (slower).")] = False,
    as_json: AsJson = False,
) -> None:
    """Forecast contacts per interval: backtest the models, pick the best, print it."""
    from concord.planning.engine import forecasting as fc

    try:
        if (program is None) == (csv is None):
            raise ValueError("give either --program or --csv")
        history = _history_from_csv(csv) if csv else _history_from_lake(program, lake)
        prepared = fc.prepare(history, grain)
        steps = _parse_horizon(horizon, grain, len(prepared.calendar.slots))
        result = fc.forecast(history, grain, steps, include_arima=arima)
    except (ValueError, OSError) as exc:
        _fail(str(exc))
    if as_json:
        payload = {
            "model": result.model,
            "explanation": result.explanation,
            "backtest": [{"model": s.model, "wape": s.wape, "mase": s.mase, "folds": s.folds} for s in result.scores],
            "forecast": [{"start": t.isoformat(), "contacts": round(float(v), 3)} for t, v in result.forecast.items()],
        }
        typer.echo(json.dumps(payload))
        return
    console = Console()
    console.print(result.explanation)
    table = Table(title=f"Forecast ({result.model}, first 48 of {len(result.forecast)})")
    table.add_column("start")
    table.add_column("contacts", justify="right")
    for t, v in result.forecast.head(48).items():
        table.add_row(t.isoformat(sep=" "), f"{v:.1f}")
    console.print(table)
