"""Hostile strings are data: one place that knows which characters break renderers and spreadsheets.

Pure Python (no Django), so the lake, the ingest engine and the web layer share it.

- Control characters (C0 except tab, newline and carriage return; DEL; C1; the two XML
  non-characters) are refused at input and stripped again before anything renders: vl-convert
  parses the SVG it draws as XML and aborts the whole process on a character XML forbids.
- Spreadsheet formula prefixes are neutralised in every CSV and Excel file we write, following
  OWASP's CSV injection guidance (ASVS 1.2.10): a text cell that starts with ``= + - @``, tab or
  carriage return gets a leading single quote, which spreadsheets read as "this is text".
"""

from __future__ import annotations

import re
from typing import Any

#: Characters that have no business in a name, a label or a note. Tab, LF and CR are allowed
#: in free text (notes span lines); XML 1.0 forbids the rest of C0, and DEL/C1 are invisible.
#: Every one of them is a Unicode scalar value, so a JSON Schema ``pattern`` can name them.
CONTROL_CLASS = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\ufffe\\uffff"
#: Lone surrogates (a JSON "\\ud800" escape with no partner) are no characters at all: refused too, but
#: kept out of the documented pattern, which regex engines built on Unicode scalar values (Rust's, which
#: Schemathesis and jsonschema-rs use) refuse to compile; I-JSON (RFC 7493) forbids them in any case.
_SURROGATES = "\\ud800-\\udfff"
CONTROL_CHARACTERS = re.compile(f"[{CONTROL_CLASS}{_SURROGATES}]")
#: The same rule as a JSON Schema ``pattern`` (ECMA-262, Rust and Python read it alike): text without them.
NO_CONTROL_CHARACTERS_PATTERN = f"^[^{CONTROL_CLASS}]*$"

#: OWASP's list of characters that make a spreadsheet cell a formula when they lead it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# A plain number ("-5", "+1.5e3") is read as a number, never as a formula: left as it is so a
# quarantine file's negative durations stay numbers when someone fixes and re-uploads it.
#: The same two rules as regular expressions (RE2 syntax too), for Arrow columns.
FORMULA_START_PATTERN = "^[=+\\-@\t\r]"
PLAIN_NUMBER_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER_PATTERN)


#: What must never reach a log line raw: every C0 character (newline and CR forge a record, ESC
#: drives the operator's terminal), DEL, C1 and the two Unicode line and paragraph separators.
_LOG_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LOG_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_for_log(text: str) -> str:
    """``text`` on one line with its control characters written out (``\\r``, ``\\x1b``, ``\\u2028``)."""

    def _escape(match: re.Match) -> str:
        char = match.group()
        if char in _LOG_ESCAPES:
            return _LOG_ESCAPES[char]
        return f"\\x{ord(char):02x}" if ord(char) <= 0xFF else f"\\u{ord(char):04x}"

    return _LOG_UNSAFE.sub(_escape, text)


def control_characters(text: str) -> list[str]:
    """The control characters in ``text``, as U+XXXX codes, in order of first appearance."""
    found: list[str] = []
    for match in CONTROL_CHARACTERS.finditer(text):
        code = f"U+{ord(match.group()):04X}"
        if code not in found:
            found.append(code)
    return found


def strip_control(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def strip_control_deep(value: Any) -> Any:
    """``value`` with every string inside it (dict keys too) stripped of control characters."""
    if isinstance(value, str):
        return strip_control(value)
    if isinstance(value, dict):
        return {strip_control_deep(k): strip_control_deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(strip_control_deep(v) for v in value)
    return value


def is_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(text)


def escape_formula(value: Any) -> Any:
    """A spreadsheet cell: text that a spreadsheet would run as a formula is quoted; anything else as it is."""
    if isinstance(value, str) and is_formula(value):
        return "'" + value
    return value
