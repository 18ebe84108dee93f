"""How the lake's store is reached: a local folder, or an S3-compatible object store from ``AWS_*``.

The variables are the usual ones, read by both ``deltalake`` (Rust ``object_store``)
and pyarrow's S3 file system, so one environment serves the Delta tables and the
plain files beside them:

| variable | meaning |
| --- | --- |
| AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY | credentials |
| AWS_REGION (or AWS_DEFAULT_REGION) | region (any name for a local store) |
| AWS_ENDPOINT_URL | endpoint of an S3-compatible store, e.g. http://127.0.0.1:9000 |
| AWS_ALLOW_HTTP | ``true`` for a plain-HTTP endpoint (a store on loopback) |

Concurrent writers of one table are serialised by the deployment's write lock
(``concord.ingest.locks``), so Delta's commits on S3 need no extra lock table;
``AWS_S3_ALLOW_UNSAFE_RENAME`` says so to ``deltalake``.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pyarrow.fs as pafs


def is_object_store(uri: str) -> bool:
    return urlparse(str(uri)).scheme in {"s3", "s3a"}


def delta_storage_options(uri: str) -> dict[str, str] | None:
    """Options for ``deltalake`` on ``uri``: None for a local lake (the environment does the rest)."""
    if not is_object_store(uri):
        return None
    options = {"AWS_S3_ALLOW_UNSAFE_RENAME": "true"}
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if region:
        options["AWS_REGION"] = region
    return options


def pyarrow_filesystem(uri: str) -> tuple[pafs.FileSystem, str]:
    """pyarrow's file system for ``uri`` and the path inside it."""
    parsed = urlparse(str(uri))
    if not is_object_store(uri):
        return pafs.FileSystem.from_uri(str(uri))
    endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
    # the AWS SDK gives up on a request silent for 3 s: a busy store (or host) is, and reads then fail
    # mid-query; deltalake's own client waits 30 s, so the files beside its tables get as long
    options = {"request_timeout": 30.0, "connect_timeout": 10.0}
    if endpoint:
        url = urlparse(endpoint)
        options["endpoint_override"] = url.netloc or url.path
        options["scheme"] = url.scheme or "https"
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if region:
        options["region"] = region
    if os.environ.get("AWS_ACCESS_KEY_ID"):
        options["access_key"] = os.environ["AWS_ACCESS_KEY_ID"]
        options["secret_key"] = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
    return pafs.S3FileSystem(**options), f"{parsed.netloc}{parsed.path}"
