"""``concord serve`` with real processes: its web server and worker start and stop together.

Each test starts ``concord serve`` in a session of its own, so every process it starts
shares its process group; after it exits, a process left in that group is an orphan.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve")]

CONCORD = str(Path(sys.executable).with_name("concord"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    """A migrated SQLite database, made once: each serve only checks it is up to date."""
    var = tmp_path_factory.mktemp("var")
    subprocess.run([CONCORD, "migrate"], env=_env(var), check=True, timeout=300, capture_output=True)
    return var


def _env(var: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.pop("DATABASE_URL", None)  # each test owns its SQLite file; PostgreSQL runs are covered by CI's recipe
    env.update(CONCORD_VAR_DIR=str(var), LAKE_URI=str(var / "lake"), **extra)
    return env


def _start(var: Path, port: int, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [CONCORD, "serve", "--port", str(port), *args],
        env=_env(var, **env),
        start_new_session=True,  # its own process group: every child it starts is in it
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _group_members(pgid: int) -> list[str]:
    out = subprocess.run(["ps", "-o", "pid=,args=", "-g", str(pgid)], capture_output=True, text=True).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def _wait_group_gone(pgid: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _group_alive(pgid):
            return True
        time.sleep(0.2)
    return False


def _get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310  (loopback http only)
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310  (loopback http only)
        return response.status, response.read()


def _wait_ready(proc: subprocess.Popen, port: int, seconds: float = 120, **headers: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"concord serve exited early:\n{proc.stdout.read()}"
        try:
            if _get(f"http://127.0.0.1:{port}/healthz", **headers)[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        raise AssertionError("the server never answered /healthz")
    # the worker starts beside the server: wait until it runs too
    while time.monotonic() < deadline and not any("concord_worker" in m for m in _group_members(proc.pid)):
        time.sleep(0.2)
    assert any("concord_worker" in m for m in _group_members(proc.pid)), _group_members(proc.pid)


@pytest.fixture
def cleanup():
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:  # a failing test must not leave its processes behind
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)


def test_a_busy_port_stops_the_worker_too(var_dir, cleanup):
    # given a port something else listens on
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        # when concord serve is started on it
        proc = _start(var_dir, port)
        cleanup.append(proc)
        output, _ = proc.communicate(timeout=120)
    # then it fails, saying so, and leaves no process behind (no orphaned worker)
    assert proc.returncode != 0
    assert "exited with status" in output
    assert _wait_group_gone(proc.pid, 15), _group_members(proc.pid)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_server_and_its_worker(var_dir, cleanup, signum):
    # given a serving concord with its worker
    port = _free_port()
    proc = _start(var_dir, port)
    cleanup.append(proc)
    _wait_ready(proc, port)
    # when only concord serve itself is signalled (as a process manager does)
    proc.send_signal(signum)
    proc.communicate(timeout=60)
    # then it exits cleanly and so did everything it started
    assert proc.returncode == 0
    assert _wait_group_gone(proc.pid, 30), _group_members(proc.pid)


def test_production_serves_gunicorn_with_collected_static_files_and_json_logs(var_dir, cleanup):
    # given the production settings (a proxy in front terminates TLS and says so in a header)
    port = _free_port()
    proc = _start(
        var_dir,
        port,
        "--production",
        CONCORD_ENV="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        WEB_CONCURRENCY="1",
    )
    cleanup.append(proc)
    https = {"X-Forwarded-Proto": "https"}
    _wait_ready(proc, port, **https)
    # then gunicorn serves, not the development server
    assert any("gunicorn" in m for m in _group_members(proc.pid)), _group_members(proc.pid)
    # and the static files were collected: the page links hashed names, and they are served
    status, body = _get(f"http://127.0.0.1:{port}/accounts/login/", **https)
    assert status == 200
    css = next(part.split('"')[0] for part in body.decode().split('href="/static/')[1:] if ".css" in part.split('"')[0])
    assert css.count(".") >= 2, css  # concord/concord.<hash>.css
    assert _get(f"http://127.0.0.1:{port}/static/{css}", **https)[0] == 200
    status, ready = _get(f"http://127.0.0.1:{port}/readyz", **https)
    assert status == 200 and json.loads(ready)["status"] == "ready"
    # when it is stopped
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert _wait_group_gone(proc.pid, 30), _group_members(proc.pid)
    # and gunicorn's log lines were JSON objects
    logs = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert any(entry.get("logger") == "gunicorn.access" and "/accounts/login/" in entry["message"] for entry in logs)
