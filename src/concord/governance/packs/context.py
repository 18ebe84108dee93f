"""What a section builds from, and what it hands back besides its data (charts, lake versions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from concord import periods
from concord.lake.store import Lake


@dataclass
class PackContext:
    user: object  # whose scope the numbers are read in (the pack's provider must be visible to them)
    provider: object
    program: object | None
    cadence_kind: str
    grain: str
    period_start: dt.date
    versions: dict[str, int | None] = field(default_factory=dict)
    charts: dict[str, dict] = field(default_factory=dict)
    #: the moment open actions and escalations are read at: the close, for a pack frozen then; else now
    as_of: dt.datetime = field(default_factory=timezone.now)

    @property
    def end(self) -> dt.date:
        return periods.end_of(self.period_start, self.grain)

    @property
    def previous(self) -> dt.date:
        return periods.shift(self.period_start, self.grain, -1)

    @property
    def last_year(self) -> dt.date:
        if self.grain == "day":
            return self.period_start - dt.timedelta(days=364)  # the same weekday a year before
        if self.grain == "week":
            return periods.shift(self.period_start, "week", -52)
        return periods.shift(self.period_start, self.grain, -int(periods.periods_per_year(self.grain)))

    @property
    def label(self) -> str:
        return periods.label(self.period_start, self.grain)

    def programs(self):
        if self.program is not None:
            return [self.program]
        return list(self.provider.programs.order_by("code"))

    def lake(self) -> Lake:
        return Lake(settings.LAKE_URI)

    def read(self, versions) -> None:
        self.versions.update({k: v for k, v in versions.items() if v is not None})
