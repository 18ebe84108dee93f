"""An S3-compatible store on loopback (moto's server), and a lake in one of its buckets.

``.ci/run`` starts the server and exports ``CONCORD_TEST_S3_ENDPOINT``; without it, the
fixture starts its own on a free port (moto is a dev dependency).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import pyarrow.fs as pafs
import pytest

from concord.lake.store import Lake


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(endpoint: str, process: subprocess.Popen | None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            process.log.seek(0)
            raise RuntimeError(f"moto_server exited: {process.log.read()[-2000:]}")
        try:
            # a real request, not just an open port: moto loads its S3 backend on the first one, which
            # on a busy host takes longer than a client's timeout
            with urllib.request.urlopen(f"{endpoint}/", timeout=30):  # noqa: S310 - http://127.0.0.1 only
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no S3 server answered at {endpoint}")


@pytest.fixture(scope="session")
def s3_endpoint():
    endpoint = os.environ.get("CONCORD_TEST_S3_ENDPOINT")
    process = None
    if not endpoint:
        port = _free_port()
        server = Path(sys.executable).with_name("moto_server")
        # Its log goes to a file, never to a pipe nobody reads: werkzeug writes a line per request, and
        # once a pipe's 64 KiB filled up the server blocked on that write and stopped answering (tests
        # then timed out after minutes on a GET to the Delta log).
        log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed after the server stops
        process = subprocess.Popen([str(server), "-H", "127.0.0.1", "-p", str(port)],
                                   stdout=subprocess.DEVNULL, stderr=log, text=True)  # fmt: skip
        process.log = log
        endpoint = f"http://127.0.0.1:{port}"
    _wait(endpoint, process)
    yield endpoint
    if process is not None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        process.log.close()


@pytest.fixture
def s3_env(s3_endpoint, monkeypatch):
    """The usual AWS variables for the loopback store (any key works on moto)."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_ALLOW_HTTP": "true",
    }.items():
        monkeypatch.setenv(name, value)
    return s3_endpoint


@pytest.fixture
def s3_lake(s3_env) -> Lake:
    """A lake under a fresh bucket: ``s3://<bucket>/lake``."""
    from concord.lake.storage import pyarrow_filesystem

    bucket = f"concord-{uuid.uuid4().hex[:12]}"
    fs, _ = pyarrow_filesystem(f"s3://{bucket}")
    admin = pafs.S3FileSystem(endpoint_override=s3_env.removeprefix("http://"), scheme="http",
                              region="us-east-1", access_key="testing", secret_key="testing",
                              allow_bucket_creation=True, request_timeout=30, connect_timeout=10)
    admin.create_dir(bucket)
    assert fs.get_file_info(bucket).type == pafs.FileType.Directory
    return Lake(f"s3://{bucket}/lake")
