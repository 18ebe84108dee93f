"""How log lines look, shared by Django's LOGGING and gunicorn's: JSON lines in production."""

from __future__ import annotations

import os

JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
#: Django's text lines carry the request id (concord.web.problems.RequestIdFilter); JSON lines get it as a field
TEXT_FORMATTER = {"format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s"}


def log_format() -> str:
    """``LOG_FORMAT`` (json or text); json by default when CONCORD_ENV=production."""
    default = "json" if os.environ.get("CONCORD_ENV") == "production" else "text"
    value = os.environ.get("LOG_FORMAT") or default
    if value not in {"json", "text"}:
        raise ValueError(f"LOG_FORMAT={value!r}; use json or text")
    return value
