"""The reporting zone from settings, for Django code; the period logic is in ``concord.periods``."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from concord import periods


def zone() -> ZoneInfo:
    return periods.zone(str(settings.REPORTING_TIMEZONE))


def today(*, now: datetime | None = None) -> date:
    """Today in the reporting zone, never the server clock's date."""
    return periods.today(zone(), now=now)


def last_complete(grain: str, *, now: datetime | None = None) -> date:
    """The latest period of ``grain`` that has ended in the reporting zone."""
    return periods.last_complete(grain, today=today(now=now))
