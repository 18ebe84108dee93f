"""Typed environment helpers that fail loudly on bad values.

Settings read the environment only through these, so a typo in a deployment
(``DEBUG=ture``, a malformed ``DATABASE_URL``) stops start-up with a message
naming the variable instead of silently running with a default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ConfigError(RuntimeError):
    """A configuration value is missing or malformed."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ConfigError(f"{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean; use true or false")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_timezone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{name}={value!r} is not an IANA time zone (e.g. Europe/Madrid)") from exc
    return value


def secret_key(path: Path, *, production: bool) -> str:
    """SECRET_KEY from the environment; outside production, generated once into ``path``."""
    value = env_str("SECRET_KEY")
    if value:
        if production and len(value) < 50:
            raise ConfigError("SECRET_KEY must be at least 50 characters in production")
        return value
    if production:
        raise ConfigError("SECRET_KEY must be set when CONCORD_ENV=production")
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(64)
    path.write_text(value)
    path.chmod(0o600)
    return value


def generated_secret(name: str, path: Path) -> bytes:
    """A secret from the environment variable ``name``, else generated once into ``path`` (kept with var/).

    Used for the customer-key HMAC: losing it only means new hashes no longer
    match old ones (repeat contacts across the change go unseen), so it may be
    generated where it is first needed, in production too; set it in the
    environment to share one secret between hosts.
    """
    value = env_str(name)
    if value:
        return value.encode("utf-8")
    if path.exists():
        return path.read_text().strip().encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value.encode("utf-8")


def email_settings(url: str) -> dict[str, object]:
    """Django email settings from one URL.

    ``console://``, ``locmem://``, ``dummy://``, ``file:///path``,
    ``smtp://user:pass@host:port`` and ``smtps://…`` (implicit TLS) or
    ``smtp://…?tls=true`` (STARTTLS).
    """
    parsed = urlparse(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parsed.scheme not in backends:
        raise ConfigError(f"EMAIL_URL scheme {parsed.scheme!r} is not supported; use one of {', '.join(backends)}")
    settings: dict[str, object] = {"EMAIL_BACKEND": backends[parsed.scheme]}
    if parsed.scheme == "file":
        settings["EMAIL_FILE_PATH"] = parsed.path
    if parsed.scheme in {"smtp", "smtps"}:
        if not parsed.hostname:
            raise ConfigError("EMAIL_URL needs a host, e.g. smtp://user:pass@mail.example.com:587")
        query = parse_qs(parsed.query)
        settings.update(
            EMAIL_HOST=parsed.hostname,
            EMAIL_PORT=parsed.port or (465 if parsed.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parsed.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
            EMAIL_USE_SSL=parsed.scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls", ["false"])[0].lower() in _TRUE,
        )
    return settings


def cache_settings(url: str | None) -> dict[str, dict[str, object]]:
    """Django's CACHES from one URL: ``redis://host:port/db`` (or ``rediss://``) shares metric
    results across every web and worker process; unset, each process keeps its own in memory."""
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    parsed = urlparse(url)
    if parsed.scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(f"CACHE_URL scheme {parsed.scheme!r} is not supported; use redis://host:6379/0")
    if parsed.scheme != "unix" and not parsed.hostname:
        raise ConfigError("CACHE_URL needs a host, e.g. redis://127.0.0.1:6379/0")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            # a page must not hang on a stalled cache: fail fast, the metric is computed instead
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            "KEY_PREFIX": "concord",
        }
    }


def spark_conf(raw: str | None) -> dict[str, str]:
    """``SPARK_CONF="spark.executor.memory=2g;spark.sql.shuffle.partitions=8"`` as a dict."""
    conf: dict[str, str] = {}
    for item in (raw or "").split(";"):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip().startswith("spark."):
            raise ConfigError(f"SPARK_CONF item {item.strip()!r} is not spark.<name>=<value>")
        conf[key.strip()] = value.strip()
    return conf
