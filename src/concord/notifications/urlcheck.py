"""Which URLs a webhook may post to: no request forgery against the server's own network (SSRF).

Checked when a client admin saves a webhook and again before every post (a name may resolve elsewhere
by then). HTTPS only in production (``WEBHOOK_REQUIRE_HTTPS``); private, loopback, link-local and other
non-public addresses refused unless ``WEBHOOK_ALLOW_PRIVATE`` (a chat server on the company network).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (a module function, so tests replace the network)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def check(url: str) -> str:
    """``url`` if a webhook may post to it; else ValidationError naming the reason."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    https_only = getattr(settings, "WEBHOOK_REQUIRE_HTTPS", settings.PRODUCTION)
    allowed = ("https",) if https_only else ("https", "http")
    if scheme not in allowed:
        raise ValidationError(f"The URL must start with {' or '.join(s + '://' for s in allowed)}.", code="scheme")
    if not parts.hostname:
        raise ValidationError("The URL has no host name.", code="host")
    if parts.username or parts.password:
        raise ValidationError("Put no user name or password in the URL; the signature authenticates posts.")
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE", False):
        return url.strip()
    try:
        port = parts.port or (443 if scheme == "https" else 80)
        addresses = resolve(parts.hostname, port)
    except (OSError, ValueError) as exc:
        raise ValidationError(f"The host {parts.hostname!r} could not be resolved ({exc}).", code="resolve") from exc
    for text in addresses:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise ValidationError(
                f"{parts.hostname} resolves to {ip}, a private, loopback or reserved address; webhooks post only "
                "to public addresses (WEBHOOK_ALLOW_PRIVATE allows others).",
                code="private",
            )
    return url.strip()
