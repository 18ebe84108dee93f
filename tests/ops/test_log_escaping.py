"""Control characters a caller sends never reach a log line raw (#9, "hostile strings ... a log").

A username, a path or a header is the caller's text; written raw, a CR/LF forges a second log
record and an ESC rewrites the operator's terminal. Each formatter Concord configures (text for
the demo, JSON lines in production) must keep one record on one line with the characters escaped.
"""

from __future__ import annotations

import io
import json
import logging
import logging.config
import sys

import pytest
from django.conf import settings
from django.urls import reverse

HOSTILE = "mallory\r\n2026-01-01 00:00:00 ERROR forged [request -] admin logged in\x1b[2J"


def _formatter(name: str) -> logging.Formatter:
    configurator = logging.config.DictConfigurator({})
    return configurator.configure_formatter(dict(settings.LOGGING["formatters"][name]))


@pytest.fixture(params=["text", "json"])
def captured(request):
    """Every record of the request, formatted as the configured formatter writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_formatter(request.param))
    handler.addFilter(logging.Filter())  # every logger
    for _name, factory in settings.LOGGING.get("filters", {}).items():
        handler.addFilter(logging.config.DictConfigurator({}).configure_filter(dict(factory)))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    try:
        yield request.param, stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def _records(kind: str, text: str) -> list[str]:
    """One record a line: text records start with the time stamp, JSON records are one object a line."""
    lines = [line for line in text.split("\n") if line]
    if kind == "json":
        for line in lines:
            json.loads(line)  # a forged line would not parse
    return lines


def test_a_hostile_user_agent_at_login_lands_in_one_escaped_record(world, client, captured):
    kind, stream = captured
    for _ in range(2):  # django-axes logs each failure with the caller's User-Agent ("login failure by ...")
        client.post(
            reverse("accounts:login"),
            {"username": "partner_a_lead", "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_USER_AGENT=HOSTILE,
        )
    text = stream.getvalue()
    assert "mallory" in text, "the attempt was logged (else this test proves nothing)"
    assert "\r" not in text and "\x1b" not in text
    records = _records(kind, text)
    forged = [line for line in records if "forged" in line]
    assert forged and all("mallory" in line for line in forged), "the forged text stays inside its record"
    if kind == "text":
        assert all(line[:4].isdigit() or line.startswith(" ") for line in records), records


def test_a_hostile_path_lands_in_one_escaped_record(world, client, captured):
    kind, stream = captured
    client.get("/api/no-such-thing%0D%0A2026-01-01%20forged%1B%5B2J/")
    text = stream.getvalue()
    assert "no-such-thing" in text
    assert "\r" not in text and "\x1b" not in text
    records = _records(kind, text)
    assert len(records) == 1, records


def test_a_traceback_keeps_its_lines_but_none_can_pose_as_a_record():
    try:
        raise ValueError(HOSTILE)
    except ValueError:
        record = logging.LogRecord("concord.x", logging.ERROR, __file__, 1, "failed on %s", (HOSTILE,), sys.exc_info())
    record.request_id = "-"
    lines = _formatter("text").format(record).split("\n")
    assert lines[0].endswith(
        "failed on mallory\\r\\n2026-01-01 00:00:00 ERROR forged [request -] admin logged in\\x1b[2J"
    )
    assert lines[1:] and all(line.startswith("    ") for line in lines[1:]), lines
    assert not any("\x1b" in line or "\r" in line for line in lines)
