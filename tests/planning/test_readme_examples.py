"""Every planning CLI example in the README runs as written (issue #10.3: the staffing one missed an option)."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

README = Path(__file__).resolve().parents[2] / "README.md"
PLANNING = ("concord staffing", "concord forecast")


def readme_examples() -> list[str]:
    """The command lines of the README's shell blocks that belong to planning."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(), flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip().startswith(PLANNING)]


def test_the_readme_has_planning_examples():
    examples = readme_examples()
    assert any(e.startswith("concord staffing erlang-c") for e in examples)
    assert any(e.startswith("concord forecast") for e in examples)


@pytest.mark.slow
@pytest.mark.parametrize("line", readme_examples())
def test_a_readme_example_runs_as_written(db, settings, line):
    from concord.cli import _mount_subcommands, app
    from concord.demo import build

    if line.startswith("concord forecast"):  # on the demo, as the README says
        settings.DEMO_INTERACTIONS_FACTOR = 1.0
        build(seed=7, scale=0.1, today=dt.date(2026, 11, 17))
    _mount_subcommands()
    result = CliRunner().invoke(app, shlex.split(line)[1:])
    assert result.exit_code == 0, f"{line}\n{result.output}"
