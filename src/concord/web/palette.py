"""One palette: the same colour means the same thing in every chart and badge.

The status colours are the CSS variables of ``static/concord/concord.css`` (``--good``, ``--warn``,
``--bad``), so a "missed" badge and a "missed" bar are the same red. Charts of every app read them here.
"""

from __future__ import annotations

GOOD = "#1a7f37"  # met, on target, inside the band
WARN = "#9a6700"  # near target, too little volume
BAD = "#b42318"  # missed, below target
NEUTRAL = "#57606a"  # targets, reference lines, "not computed"
SERIES = "#0b5cad"  # the measured series itself (the accent colour)

#: status name (as the badges' CSS classes and SLA results say it) -> colour
STATUS = {"good": GOOD, "met": GOOD, "warn": WARN, "not_measured": WARN, "bad": BAD, "missed": BAD, "": NEUTRAL}
