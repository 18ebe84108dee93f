"""HMAC signatures of webhook posts: what Concord sends and what a receiver checks."""

from __future__ import annotations

import hashlib
import hmac

#: a receiver refuses a post whose timestamp is older than this (seconds): a replayed post fails
TOLERANCE = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(secret: str, timestamp: int, body: bytes, signature: str, *, now: int) -> bool:
    if abs(now - timestamp) > TOLERANCE:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
