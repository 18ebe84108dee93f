"""The chart renderer's child process ends when the server that started it is killed outright."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from concord.web import svg_worker

# A parent that starts the renderer pool exactly as web.charts does, prints the child's pid, then waits.
PARENT = textwrap.dedent(
    """
    import sys, time
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context
    from concord.web import svg_worker
    pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"), initializer=svg_worker.warm_up)
    svg = pool.submit(svg_worker.render_svg, {"data": {"values": [{"x": 1}]}, "mark": "point"}).result(timeout=120)
    assert "<svg" in svg
    print(next(iter(pool._processes)), flush=True)
    time.sleep(600)
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); read its state
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_renderer_exits_when_its_server_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert _alive(child)
        parent.send_signal(signal.SIGKILL)  # as runserver's os._exit or an OOM kill: no pool shutdown
        parent.wait()
        deadline = time.monotonic() + svg_worker.PARENT_CHECK_SECONDS * 10
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(child), "the renderer outlived the server that started it"
    finally:
        parent.kill()
