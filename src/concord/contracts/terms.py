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
            ]
            for s in sorted(contract.slas.all(), key=lambda s: s.pk)
        ],
        "outages": sorted(
            [o.sla_id, o.starts_at.astimezone(dt.UTC).isoformat(), o.ends_at.astimezone(dt.UTC).isoformat()]
            for o in contract.outages.all()
            if o.ends_at > start_utc and o.starts_at < reach
        ),
    }


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

    @property
    def out_of_date(self) -> bool:
        return self.terms_changed or self.lake_to != self.lake_from

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.terms_changed:
            out.append("the contract's terms changed since it was computed")
        if self.lake_to != self.lake_from:
            out.append(f"the lake has newer data (version {self.lake_from} read, {self.lake_to} now)")
        return out


def staleness(results: Iterable[SLAResult], lake: Lake | None = None) -> dict[int, Staleness]:
    """For each result (by pk), whether it is out of date; one terms hash per contract-month,
    one version lookup per lake table."""
    lake = lake or Lake(settings.LAKE_URI)
    hashes: dict[tuple[int, dt.date], str] = {}
    versions: dict[str, int | None] = {}
    out = {}
    for r in results:
        contract = r.sla.contract
        key = (contract.pk, r.period)
        if key not in hashes:
            hashes[key] = terms_hash(contract, r.period)
        if r.lake_table not in versions:
            versions[r.lake_table] = lake.version(r.lake_table)
        out[r.pk] = Staleness(hashes[key] != r.terms_hash, r.lake_version, versions[r.lake_table])
    return out
