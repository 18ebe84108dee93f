"""Run Concord's processes (the web server and the background worker) as one unit.

``concord serve`` starts each as a child process and supervises them: when one exits (a
web server that cannot bind its port, a crashed worker) the others are stopped, and
SIGTERM, SIGINT or SIGHUP to ``concord serve`` stops them all before it exits. On Linux
each child also gets SIGTERM if ``concord serve`` itself is killed outright, so no worker
is ever left behind serving a queue nobody watches. No Django here: it only runs commands.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence

#: how long a child gets to finish its requests or its task after SIGTERM before SIGKILL
STOP_GRACE_SECONDS = 25
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def web_command(host: str, port: int, *, production: bool) -> list[str]:
    if production:
        return [
            sys.executable, "-m", "gunicorn", "concord.wsgi:application",
            "--config", "python:concord.gunicorn_conf", "--bind", f"{host}:{port}",
        ]  # fmt: skip
    return [sys.executable, "-m", "django", "runserver", f"{host}:{port}", "--noreload"]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "django", "concord_worker", "--no-reload"]


def supervise(commands: Mapping[str, Sequence[str]], env: Mapping[str, str], *, poll: float = 0.2) -> int:
    """Run every command until the first one exits or a stop signal arrives; stop the rest.

    Returns 0 when stopped by a signal or when every child ended cleanly, else 1.
    """
    stop: list[int] = []

    def on_signal(signum, _frame) -> None:
        stop.append(signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    children: dict[str, subprocess.Popen] = {}
    failed = None
    try:
        for name, command in commands.items():
            children[name] = subprocess.Popen(list(command), env=dict(env), preexec_fn=_die_with_parent)
        while not stop:
            ended = [(name, child.returncode) for name, child in children.items() if child.poll() is not None]
            if ended:
                name, code = ended[0]
                if code != 0:
                    failed = f"the {name} process exited with status {code}"
                break
            time.sleep(poll)
    finally:
        _stop_all(children.values())
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if failed:
        print(f"error: {failed}; stopped the others.", file=sys.stderr)
        return 1
    return 0


def _stop_all(children) -> None:
    running = [c for c in children if c.poll() is None]
    for child in running:
        child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in running:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
