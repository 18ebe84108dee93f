"""Customer identities leave ingest only as a keyed hash.

``customer_key`` (an e-mail, a phone number, a helpdesk requester id) is
replaced at ingest by HMAC-SHA256 under a per-installation secret, so the lake
never holds the raw value, and someone with the lake but not the secret cannot
test a guessed e-mail against it. The same customer always gets the same hash
in one installation, which is all repeat-contact analysis needs. A value that
is already such a hash (a Concord export loaded again) is kept as it is, so
loading it twice changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import pyarrow as pa
import pyarrow.compute as pc

PREFIX = "k1:"
_HASHED = re.compile(r"^k1:[0-9a-f]{32}$")


def keyed_hash(value: str, secret: bytes) -> str:
    """``k1:`` + the first 128 bits of HMAC-SHA256(secret, value), hex."""
    if _HASHED.match(value):
        return value
    return PREFIX + hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def hash_customer_keys(values: pa.Array, secret: bytes) -> pa.Array:
    """Each distinct value hashed once (exports repeat customers), nulls kept null."""
    if values.null_count == len(values):
        return values
    distinct = pc.unique(values).drop_null()
    hashed = pa.array([keyed_hash(v, secret) for v in distinct.to_pylist()], pa.string())
    return pc.take(hashed, pc.index_in(values, value_set=distinct))
