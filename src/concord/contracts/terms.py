"""What a month's SLA results depend on, so a stored result knows when it is out of date.

A result is a function of the contract's terms for that month (fee, at-risk share,
dates, programs, earn-back, every SLA's metric, parameters, comparator, target,
scope, minimum volume and allocation, and the outage windows that reach into the
month) and of the lake table version it read. The credits of one SLA depend on
the other SLAs of the month (the cap, the split), so the terms are the whole
contract's: any change makes every result of the month out of date.

The terms are kept as a hash on each result; the lake version already is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from concord import periods
from concord.lake.store import Lake
from concord.providers.selectors import conventions_for

from .lake_changes import changed_files, touches, utc_months
from .measure import lookahead_days
from .models import Contract, SLAResult


def reach_utc(contract: Contract, period: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC span a month's results read: the month, plus the longest look-ahead after it."""
    days = max((lookahead_days(s.metric_key, s.params) for s in contract.slas.all()), default=0)
    start_utc, end_utc = periods.utc_bounds(period, "month", settings.REPORTING_TIMEZONE)
    return start_utc, end_utc + dt.timedelta(days=days)


def month_terms(contract: Contract, period: dt.date) -> dict:
    """Everything in the contract that determines the month's results, as plain JSON."""
    start_utc, reach = reach_utc(contract, period)
    return {
        "provider": contract.provider_id,
        "programs": sorted(p.code for p in contract.programs.all()),
        "dates": [contract.start_date.isoformat(), contract.end_date.isoformat() if contract.end_date else None],
        # numbers as the database returns them: an unsaved Decimal("10000") and a stored
        # 10000.00 are the same term and must hash the same
        "fee": _decimal(contract.monthly_fee),
        "at_risk_percent": _decimal(contract.at_risk_percent),
        "earn_back_periods": contract.earn_back_periods,
        "slas": [
            [
                s.pk,
                s.metric_key,
                s.params,
                s.comparator,
                float(s.target),
                s.filters,
                int(s.min_volume),
                _decimal(s.allocation_percent),
                # conventions only when chosen, so results stored before they existed keep their hash
                *([s.count_by, s.hours, _calendars(contract, s.hours)] if (s.count_by, s.hours) != DEFAULT else []),
            ]
            for s in sorted(contract.slas.all(), key=lambda s: s.pk)
        ],
        "outages": sorted(
            [o.sla_id, o.starts_at.astimezone(dt.UTC).isoformat(), o.ends_at.astimezone(dt.UTC).isoformat()]
            for o in contract.outages.all()
            if o.ends_at > start_utc and o.starts_at < reach
        ),
    }


DEFAULT = ("created", "calendar")


def _calendars(contract: Contract, hours: str) -> list:
    """The opening hours the business-hours numbers read: changing a site's calendar changes the results."""
    if hours != "business":
        return []
    conv = conventions_for(count_by="created", hours=hours, provider_codes=[contract.provider.code])
    return [[p, site, repr(cal)] for p, site, cal in conv.calendars]


def _decimal(value) -> str:
    return f"{Decimal(value):.2f}"


def terms_hash(contract: Contract, period: dt.date) -> str:
    canonical = json.dumps(month_terms(contract, period), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Staleness:
    """Why a stored result no longer says what the contract and the lake would say today."""

    terms_changed: bool
    lake_from: int | None
    lake_to: int | None
    #: whether the commits since ``lake_from`` touch the provider and months the result read (lake_changes.py)
    lake_touched: bool = True

    @property
    def lake_changed(self) -> bool:
        return self.lake_to != self.lake_from and self.lake_touched

    @property
    def out_of_date(self) -> bool:
        return self.terms_changed or self.lake_changed

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.terms_changed:
            out.append("the contract's terms changed since it was computed")
        if self.lake_changed:
            out.append(f"the lake has newer data (version {self.lake_from} read, {self.lake_to} now)")
        return out


def staleness(results: Iterable[SLAResult], lake: Lake | None = None) -> dict[int, Staleness]:
    """For each result (by pk), whether it is out of date; one terms hash per contract-month,
    one version lookup per lake table. A newer lake version makes a result out of date only when
    its commits touch the result's provider in the months it read; a provisional result (its
    maturity depends on how far the whole table reaches) or one that failed counts any commit."""
    lake = lake or Lake(settings.LAKE_URI)
    hashes: dict[tuple[int, dt.date], str] = {}
    months: dict[tuple[int, dt.date], set[str]] = {}
    providers: dict[int, str] = {}
    versions: dict[str, int | None] = {}
    diffs: dict[tuple[str, int | None], list | None] = {}
    out = {}
    for r in results:
        contract = r.sla.contract
        key = (contract.pk, r.period)
        if key not in hashes:
            hashes[key] = terms_hash(contract, r.period)
        if r.lake_table not in versions:
            versions[r.lake_table] = lake.version(r.lake_table)
        now = versions[r.lake_table]
        touched = True
        if now != r.lake_version and not r.provisional and r.status != SLAResult.Status.ERROR:
            if (r.lake_table, r.lake_version) not in diffs:
                diffs[(r.lake_table, r.lake_version)] = changed_files(lake, r.lake_table, r.lake_version, now)
            if key not in months:
                months[key] = utc_months(*reach_utc(contract, r.period))
            if contract.pk not in providers:
                providers[contract.pk] = contract.provider.code
            touched = touches(diffs[(r.lake_table, r.lake_version)], providers[contract.pk], months[key])
        out[r.pk] = Staleness(hashes[key] != r.terms_hash, r.lake_version, now, touched)
    return out
