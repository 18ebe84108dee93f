"""How log lines look, shared by Django's LOGGING and gunicorn's: JSON lines in production."""

from __future__ import annotations

import copy
import logging
import os

from concord.safetext import escape_for_log

JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
#: Django's text lines carry the request id (concord.web.problems.RequestIdFilter); JSON lines get it as a field
TEXT_FORMATTER = {
    "()": "concord.logformat.SafeTextFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s",
}
# JSON lines need nothing more: the encoder writes every control character as an escape (\r, \u001b).


class SafeTextFormatter(logging.Formatter):
    """One record, one line, whatever a caller put in it (a User-Agent, a username, a path).

    The message has its control characters written out (CR/LF would forge a record, ESC would
    drive the operator's terminal); a traceback keeps its lines, each indented, so a line that
    starts at the left margin is always the start of a real record.
    """

    def formatMessage(self, record: logging.LogRecord) -> str:
        safe = copy.copy(record)
        safe.message = escape_for_log(record.message)
        return super().formatMessage(safe)

    def format(self, record: logging.LogRecord) -> str:
        first, *rest = super().format(record).split("\n")
        return "\n".join([escape_for_log(first), *("    " + escape_for_log(line) for line in rest)])


def log_format() -> str:
    """``LOG_FORMAT`` (json or text); json by default when CONCORD_ENV=production."""
    default = "json" if os.environ.get("CONCORD_ENV") == "production" else "text"
    value = os.environ.get("LOG_FORMAT") or default
    if value not in {"json", "text"}:
        raise ValueError(f"LOG_FORMAT={value!r}; use json or text")
    return value
