"""The planning engine and the staffing CLI stay free of Django (DESIGN.md rule 1)."""

from __future__ import annotations

import subprocess
import sys


def test_engine_and_cli_import_no_django():
    code = (
        "import sys\n"
        "import concord.planning.cli\n"
        "import concord.planning.engine.allocation, concord.planning.engine.erlang_a\n"
        "import concord.planning.engine.forecasting, concord.planning.engine.hiring\n"
        "import concord.planning.engine.queueing\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
