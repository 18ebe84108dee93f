"""``concord ramp --provider CODE --metric aht [--program CODE] [--json]``: the page's report at the terminal."""

from __future__ import annotations

import json
from typing import Annotated

import typer

_USER_HELP = "Act as this Concord user (their access rules apply); default: the operator."


def ramp_command(
    provider: Annotated[str | None, typer.Option("--provider", help="Only this provider (its code).")] = None,
    metric: Annotated[str, typer.Option("--metric", help="aht, fcr, csat or qa_score.")] = "aht",
    program: Annotated[str | None, typer.Option("--program", help="Only this program's contacts.")] = None,
    user: Annotated[str | None, typer.Option("--user", help=_USER_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Ramp curves by week of tenure: each cohort's week reaching the internal team's median band."""
    from concord.cli import _django, cli_actor, fail

    _django()
    from django.http import Http404

    from concord.accounts.roles import Role

    from . import present, selectors
    from .tenure import RAMP_METRICS

    actor = cli_actor(user, Role.CLIENT_ADMIN)
    if metric not in RAMP_METRICS:
        fail(f"--metric: {metric!r} has no ramp; use one of {', '.join(RAMP_METRICS)}")
    try:
        found = selectors.provider_by_code(actor, provider) if provider else None
    except Http404:
        fail(f"--provider: no provider with code {provider!r}")
    try:
        prog = selectors.program_by_code(actor, program) if program else None
    except Http404:
        fail(f"--program: no program with code {program!r}")
    data = present.payload(selectors.ramp_report(actor, metric=metric, program=prog, provider=found))
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    b = data["benchmark"]
    typer.echo(f"{data['label']}: internal median {b['value']} over {b['tenured_internal_agents']} tenured agents, "
               f"band {data['band_percent']}% (limit {b['band_limit']})")  # fmt: skip
    for c in data["cohorts"]:
        small = " (too few agents: not used)" if c["too_small"] else ""
        typer.echo(f"{c['provider']:<8} {c['site'] or '-':<10} hired {c['hire_month']}  {c['agents']:>3} agents  "
                   f"proficient: {c['reached']}{small}")  # fmt: skip
