"""A wall-clock time typed in the reporting zone, turned into one instant, or refused in words.

On the night the clocks go back an hour repeats: "02:30" on 25 October 2026 in Europe
happens at 02:30 CEST and again an hour later at 02:30 CET, so the person must say which
(``fold`` 0: the first, 1: the second, as in PEP 495). On the night they go forward an
hour is skipped: "02:30" on 29 March 2026 never happens, and is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

#: the choices a person has when a time happens twice (PEP 495 fold)
FOLD_CHOICES = [
    ("", "it happens once (any other night)"),
    ("0", "the first time (before the clocks go back)"),
    ("1", "the second time (after the clocks go back)"),
]


@dataclass(frozen=True)
class Resolved:
    instant: dt.datetime | None
    problem: str | None = None
    ambiguous: bool = False


def _when(naive: dt.datetime) -> str:
    return f"{naive:%H:%M} on {naive.day} {naive:%b %Y}"


def _offset(aware: dt.datetime) -> str:
    text = aware.strftime("%z")
    return f"UTC{text[:3]}:{text[3:]}"


def is_ambiguous(naive: dt.datetime, tz: ZoneInfo) -> bool:
    return naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset()


def exists(naive: dt.datetime, tz: ZoneInfo) -> bool:
    """Whether the wall time happens at all (it survives a round trip through UTC)."""
    first = naive.replace(tzinfo=tz, fold=0)
    return first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) == naive


def resolve(naive: dt.datetime, tz: ZoneInfo, fold: str | None) -> Resolved:
    """The instant a wall time names in ``tz``, given the person's ``fold`` choice ("", "0", "1")."""
    if naive.tzinfo is not None:
        return Resolved(naive)
    zone = tz.key
    if not exists(naive, tz):
        before = (naive - dt.timedelta(hours=3)).replace(tzinfo=tz)
        after = (naive + dt.timedelta(hours=3)).replace(tzinfo=tz)
        return Resolved(
            None,
            f"{_when(naive)} does not exist in {zone}: the clocks go forward that night "
            f"({before:%Z} to {after:%Z}). Give a time before or after the skipped hour.",
        )
    if is_ambiguous(naive, tz):
        first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
        if fold not in ("0", "1"):
            return Resolved(
                None,
                f"{_when(naive)} happens twice in {zone}: first at {first:%Z} ({_offset(first)}), then again "
                f"an hour later at {second:%Z} ({_offset(second)}) after the clocks go back. Say which.",
                ambiguous=True,
            )
        return Resolved(first if fold == "0" else second, ambiguous=True)
    return Resolved(naive.replace(tzinfo=tz))


def fold_of(instant: dt.datetime | None, tz: ZoneInfo) -> str:
    """The fold choice that names ``instant`` again ("" when its wall time happens once)."""
    if instant is None:
        return ""
    local = instant.astimezone(tz)
    return str(local.fold) if is_ambiguous(local.replace(tzinfo=None), tz) else ""
