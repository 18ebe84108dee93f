"""``concord calibration ...``: agreement statistics for a file of ratings.

Mounted by the main CLI as ``app.add_typer(calibration_app, name="calibration")``. Pure:
the statistics need no Django, so the command starts fast.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from .agreement import (
    ICC_DESCRIPTIONS,
    LEVELS,
    AgreementError,
    cohen_kappa,
    fleiss_kappa,
    icc,
    krippendorff_alpha,
)
from .agreement_files import read_table

calibration_app = typer.Typer(help="Calibration: how far graders agree.", no_args_is_help=True)


@calibration_app.callback()
def _calibration() -> None:
    """Keeps ``agreement`` a named subcommand even while it is the only one."""


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=2)


def _num(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 6)


def alpha_report(path: Path, level: str, *, resamples: int, seed: int) -> dict:
    """The JSON the command prints for alpha (and the kappas where they apply)."""
    table = read_table(path, allow_missing=True, allow_words=level == "nominal")
    result = krippendorff_alpha(table.values, level, resamples=resamples, seed=seed)  # type: ignore[arg-type]
    report: dict = {
        "alpha": _num(result.value),
        "level": result.level,
        "graders": result.graders,
        "items": result.items,
        "pairable_values": result.pairable_values,
        "ci95": [_num(x) for x in result.ci95] if result.ci95 else None,
    }
    if level == "nominal" and not any(math.isnan(x) for x in table.values.ravel()):
        report["fleiss_kappa"] = _num(fleiss_kappa(table.values))
        if result.graders == 2:
            report["cohen_kappa"] = _num(cohen_kappa(table.values))
    return report


def icc_report(path: Path) -> dict:
    table = read_table(path, allow_missing=False)
    forms = icc(table.values)
    return {
        "icc": {
            name: {
                "value": _num(form.value),
                "ci95": [_num(form.ci95[0]), _num(form.ci95[1])],
                "F": _num(form.f),
                "df1": form.df1,
                "df2": form.df2,
                "p": form.p,
            }
            for name, form in forms.items()
        }
    }


@calibration_app.command("agreement")
def agreement_command(
    file: Annotated[Path, typer.Argument(help="CSV of ratings (see --icc for the layout).")],
    level: Annotated[str, typer.Option(help=f"Level of measurement: {', '.join(LEVELS)}.")] = "nominal",
    icc_: Annotated[
        bool,
        typer.Option("--icc", help="Six Shrout-Fleiss ICCs; FILE has one row per item, one column per grader."),
    ] = False,
    resamples: Annotated[int, typer.Option(min=0, max=100_000, help="Bootstrap resamples for alpha's CI.")] = 1000,
    seed: Annotated[int, typer.Option(help="Bootstrap seed: the same seed gives the same interval.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Krippendorff's alpha (FILE: one row per grader, one column per item; empty = missing), or --icc."""
    try:
        report = icc_report(file) if icc_ else alpha_report(file, level, resamples=resamples, seed=seed)
    except AgreementError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(report))
        return
    _print(report)


def _print(report: dict) -> None:
    console = Console()
    if "icc" in report:
        table = Table(title="Intraclass correlations (Shrout & Fleiss 1979)")
        for column in ("form", "meaning", "ICC", "95% interval", "F", "df", "p"):
            table.add_column(column)
        for name, form in report["icc"].items():
            low, high = form["ci95"]
            table.add_row(
                name,
                ICC_DESCRIPTIONS[name],
                f"{form['value']:.3f}",
                f"{low:.3f} to {high:.3f}",
                f"{form['F']:.2f}",
                f"{form['df1']}, {form['df2']}",
                f"{form['p']:.4f}",
            )
        console.print(table)
        return
    table = Table(title=f"Krippendorff's alpha ({report['level']})")
    table.add_column("figure")
    table.add_column("value", justify="right")
    alpha = report["alpha"]
    table.add_row("alpha", "undefined (no variation)" if alpha is None else f"{alpha:.3f}")
    if report["ci95"]:
        table.add_row("95% interval (bootstrap)", f"{report['ci95'][0]:.3f} to {report['ci95'][1]:.3f}")
    for key in ("graders", "items", "pairable_values"):
        table.add_row(key.replace("_", " "), str(report[key]))
    for key in ("fleiss_kappa", "cohen_kappa"):
        if key in report:
            value = report[key]
            table.add_row(key.replace("_", "'s "), "undefined" if value is None else f"{value:.3f}")
    console.print(table)
