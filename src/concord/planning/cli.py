"""``concord staffing ...``: Erlang C and Erlang A from the command line.

Mounted by the main CLI as ``app.add_typer(staffing_app, name="staffing")``. Pure: the
engine needs no Django.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from concord.planning.engine.staffing import (
    DEFAULT_MAX_OCCUPANCY,
    DEFAULT_SHRINKAGE,
    DEFAULT_TARGET_SECONDS,
    DEFAULT_TARGET_SL,
    PERCENT_FIGURES,
    StaffingInput,
    staffing_figures,
)

staffing_app = typer.Typer(help="Size staffing per interval with Erlang C or Erlang A.", no_args_is_help=True)

Volume = Annotated[float, typer.Option(help="Calls offered in the interval (calls).")]
IntervalMinutes = Annotated[float, typer.Option(help="Interval length in minutes.")]
Aht = Annotated[float, typer.Option(help="Average handle time in seconds.")]
TargetSl = Annotated[float, typer.Option(help="Service-level target in percent (80 means 80%).")]
TargetSeconds = Annotated[float, typer.Option(help="Answered within this many seconds.")]
MaxOccupancy = Annotated[float | None, typer.Option(help="Occupancy cap in percent (85 means 85%; 100: no cap).")]
TargetAsa = Annotated[float | None, typer.Option(help="ASA target in seconds.")]
Shrinkage = Annotated[float, typer.Option(help="Paid time not on the phones, in percent (30 means 30%).")]
Agents = Annotated[int | None, typer.Option(help="Evaluate this agent count instead of solving.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=2)


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
        elif key in PERCENT_FIGURES:
            shown = f"{value:.2f}%"
        else:
            shown = f"{value:.2f}"
        table.add_row(key, shown)
    Console().print(table)


def _answer(title: str, as_json: bool, **options) -> None:
    """Size the interval the options describe and print it, or fail in one line."""
    try:
        result = staffing_figures(StaffingInput(**options))
    except ValueError as exc:
        _fail(str(exc))
    _emit(result, as_json, title)


@staffing_app.command("erlang-c")
def erlang_c_command(
    volume: Volume,
    interval_minutes: IntervalMinutes,
    aht_seconds: Aht,
    target_sl: TargetSl = DEFAULT_TARGET_SL,
    target_seconds: TargetSeconds = DEFAULT_TARGET_SECONDS,
    max_occupancy: MaxOccupancy = DEFAULT_MAX_OCCUPANCY,
    target_asa: TargetAsa = None,
    shrinkage: Shrinkage = DEFAULT_SHRINKAGE,
    agents: Agents = None,
    as_json: AsJson = False,
) -> None:
    """Smallest agent count meeting the targets (or the figures for --agents), Erlang C."""
    _answer(
        "Erlang C staffing",
        as_json,
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


@staffing_app.command("erlang-a")
def erlang_a_command(
    volume: Volume,
    interval_minutes: IntervalMinutes,
    aht_seconds: Aht,
    patience_seconds: Annotated[float, typer.Option(help="Mean caller patience in seconds.")],
    short_abandon_seconds: Annotated[
        float | None,
        typer.Option(help="Calls abandoned within this many seconds leave the service level's denominator."),
    ] = None,
    target_sl: TargetSl = DEFAULT_TARGET_SL,
    target_seconds: TargetSeconds = DEFAULT_TARGET_SECONDS,
    max_occupancy: MaxOccupancy = DEFAULT_MAX_OCCUPANCY,
    target_asa: TargetAsa = None,
    shrinkage: Shrinkage = DEFAULT_SHRINKAGE,
    agents: Agents = None,
    as_json: AsJson = False,
) -> None:
    """Like erlang-c, with callers who abandon after an exponential patience."""
    _answer(
        "Erlang A staffing",
        as_json,
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
        short_abandon_seconds=short_abandon_seconds,
    )
