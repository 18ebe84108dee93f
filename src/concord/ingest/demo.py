"""Demo step: six months of interactions for every provider, program and contact type.

About 1M rows at scale 1 (``ctx.scale`` scales it), generated with numpy and
written as canonical Parquet chunks, then loaded through the very ingest path
a person uses (``services.ingest_path`` with the canonical profile), so the
demo exercises ingestion end to end. Shapes a vendor manager recognises:

- arrivals seasonal by hour of the site's own local day, by weekday and month;
- handle time by contact type, longer for agents in their first months (Atlas CX's hires ramp slower);
- waits that grow with load, abandonment when patience runs out;
- CSAT tied to resolution, wait and transfers; NPS follows CSAT;
- repeat contacts: the same customer again within a week, more when unresolved;
- Atlas CX drifting down over the last two months: lower FCR and CSAT, more
  transfers and repeats;
- agents are the roster's people employed (and past their first two weeks) that day.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from concord.lake.schemas import INTERACTIONS

ROWS_AT_SCALE_1 = 1_000_000
DAYS = 183
DRIFTING = "ATLAS"
DRIFT_DAYS = 61
PROFILE = "canonical-parquet"

#: program -> contact type -> share of the program's volume
CT_SHARE = {
    "RETAIL": {"ORDER": 0.45, "RETURN": 0.30, "BILLING": 0.25},
    "TECH": {"TROUBLE": 0.45, "SETUP": 0.35, "WARRANTY": 0.20},
}
PROGRAM_SHARE = {"RETAIL": 0.65, "TECH": 0.35}
#: contact type -> (median talk seconds, base first-contact resolution)
HANDLING = {
    "ORDER": (210.0, 0.93),
    "RETURN": (420.0, 0.86),
    "BILLING": (540.0, 0.84),
    "TROUBLE": (690.0, 0.74),
    "SETUP": (480.0, 0.82),
    "WARRANTY": (600.0, 0.78),
}
#: provider -> (AHT factor, wait factor, CSAT offset): partners differ a little
PROVIDER_STYLE = {
    "NWI": (0.95, 0.8, 0.15),
    "ATLAS": (1.05, 1.2, -0.05),
    "BRAVO": (1.0, 1.0, 0.05),
    "CORA": (0.98, 0.9, 0.1),
}
#: days over which a new hire's extra handle time fades (e^-tenure/days); Atlas CX's hires take twice as long,
#: so its cohorts reach the proficient band weeks after the others' (the ramp page and the hiring plan show it)
RAMP_DAYS = 45.0
SLOW_RAMP = {"ATLAS": 90.0}
WEEKDAY = np.array([1.25, 1.10, 1.05, 1.0, 0.95, 0.60, 0.45])
MONTH = np.array([1.10, 0.90, 0.95, 0.95, 1.0, 1.0, 0.95, 0.85, 1.0, 1.05, 1.25, 1.30])  # Jan..Dec
_H = np.arange(24)


def _bumps(*peaks: tuple[float, float, float], open_: int, close: int) -> np.ndarray:
    curve = sum(height * np.exp(-0.5 * ((_H + 0.5 - centre) / width) ** 2) for centre, width, height in peaks)
    is_open = (_H >= open_) & (_H < close)  # noqa: SIM300
    curve = np.where(is_open, curve + 0.05, 0.004)
    return curve / curve.sum()


#: channel -> share of the day's arrivals in each local hour
HOURLY = {
    "voice": _bumps((11, 1.8, 1.0), (15.5, 2.0, 0.8), open_=7, close=22),
    "chat": _bumps((12, 2.0, 0.8), (20, 1.8, 1.0), open_=8, close=23),
    "email": _bumps((10, 3.0, 1.0), (16, 3.5, 0.8), open_=0, close=24),
}


@dataclass
class _Site:
    provider: str
    code: str
    zone: str
    languages: list[str]
    share: float
    # agents who can take contacts at this site
    agent_ids: np.ndarray  # employee ids
    teams: np.ndarray  # team codes
    hire: np.ndarray  # day numbers (days since the epoch)
    exit: np.ndarray  # day numbers, a large number while employed


def _day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def _sites(ctx) -> list[_Site]:
    out = []
    for code, info in ctx.made["providers"].items():
        sites = info["sites"]
        seats = np.array([max(1, s.seats) for s in sites], float)
        for site, share in zip(sites, seats / seats.sum(), strict=True):
            people = [p for p in info.get("people", []) if p["site"].pk == site.pk and p.get("role") != "team_lead"]
            out.append(
                _Site(
                    provider=code,
                    code=site.code,
                    zone=site.timezone,
                    languages=site.language_list or ["en"],
                    share=float(share),
                    agent_ids=np.array([p["employee_id"] for p in people], dtype=object),
                    teams=np.array([p["team"].code if p.get("team") else None for p in people], dtype=object),
                    hire=np.array([_day_number(p["hire_date"]) for p in people], np.int64),
                    exit=np.array([_day_number(p["exit_date"]) if p["exit_date"] else 10**6 for p in people], np.int64),
                )
            )
    return out


def _local_grid(zone: str, first: dt.date) -> np.ndarray:
    """UTC epoch seconds of the start of each local (day, hour) cell, shape (DAYS, 24)."""
    tz = ZoneInfo(zone)
    grid = np.empty((DAYS, 24), np.int64)
    for d in range(DAYS):
        day = first + dt.timedelta(days=d)
        for h in range(24):
            grid[d, h] = int(dt.datetime(day.year, day.month, day.day, h, tzinfo=tz).timestamp())
    return grid


def _cell_weights(first: dt.date, channel: str) -> np.ndarray:
    days = [first + dt.timedelta(days=d) for d in range(DAYS)]
    daily = np.array([WEEKDAY[day.weekday()] * MONTH[day.month - 1] for day in days])
    trend = np.linspace(0.95, 1.05, DAYS)  # the business grows a little
    weights = np.outer(daily * trend, HOURLY[channel])
    return weights / weights.sum()


@dataclass
class _Skeleton:
    """Who called about what, when: everything before handling."""

    provider: np.ndarray
    site: np.ndarray  # index into the site list
    program: np.ndarray
    contact_type: np.ndarray
    channel: np.ndarray
    created: np.ndarray  # epoch seconds
    day: np.ndarray  # index of the local day in the period
    hour: np.ndarray  # local hour
    customer: np.ndarray  # int customer ids
    talk: np.ndarray  # median talk seconds of the contact type
    fcr: np.ndarray  # base first-contact resolution of the contact type
    aht_factor: np.ndarray  # the provider's style
    wait_factor: np.ndarray
    csat_offset: np.ndarray

    def __len__(self) -> int:
        return len(self.created)

    def take(self, idx: np.ndarray) -> _Skeleton:
        return _Skeleton(*(getattr(self, f)[idx] for f in self.__dataclass_fields__))


def _arrivals(rng, sites: list[_Site], programs: dict, first: dt.date, total: int) -> _Skeleton:
    headcount = {code: 0.0 for code in {s.provider for s in sites}}
    for s in sites:
        headcount[s.provider] += len(s.agent_ids) + 1
    hc_total = sum(headcount.values())
    parts: list[dict] = []
    weights_cache: dict[str, np.ndarray] = {}
    for si, site in enumerate(sites):
        grid = _local_grid(site.zone, first)
        served = [code for code, program in programs.items() if site.provider in program["providers"]]
        prog_total = sum(PROGRAM_SHARE.get(p, 0.3) for p in served)
        for prog in served:
            for ct, (channel, share) in programs[prog]["types"].items():
                expected = total * headcount[site.provider] / hc_total * site.share
                expected *= PROGRAM_SHARE.get(prog, 0.3) / prog_total * share
                n = rng.poisson(expected)
                if n == 0:
                    continue
                weights = weights_cache.setdefault(channel, _cell_weights(first, channel))
                counts = rng.multinomial(n, weights.ravel())
                cells = np.repeat(np.arange(counts.size), counts)
                day, hour = np.divmod(cells, 24)
                talk, fcr = HANDLING.get(ct, (450.0, 0.85))
                aht_factor, wait_factor, csat_offset = PROVIDER_STYLE.get(site.provider, (1.0, 1.0, 0.0))
                parts.append(
                    {
                        "provider": np.full(n, site.provider, dtype=object),
                        "site": np.full(n, si, np.int32),
                        "program": np.full(n, prog, dtype=object),
                        "contact_type": np.full(n, ct, dtype=object),
                        "channel": np.full(n, channel, dtype=object),
                        "created": grid.ravel()[cells] + rng.integers(0, 3600, n),
                        "day": day,
                        "hour": hour,
                        "talk": np.full(n, talk),
                        "fcr": np.full(n, fcr),
                        "aht_factor": np.full(n, aht_factor),
                        "wait_factor": np.full(n, wait_factor),
                        "csat_offset": np.full(n, csat_offset),
                    }
                )
    merged = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    n = len(merged["created"])
    merged["customer"] = rng.integers(0, max(1000, n * 40), n)  # few chance collisions
    fields = list(_Skeleton.__dataclass_fields__)
    return _Skeleton(**{f: merged[f] for f in fields})


def _assign_agents(rng, skel: _Skeleton, sites: list[_Site], first_day: int):
    """An agent of the row's site employed that day (past two weeks of training): id, team, tenure days."""
    n = len(skel)
    agent = np.full(n, None, dtype=object)
    team = np.full(n, None, dtype=object)
    tenure = np.full(n, 365.0)
    pools = {}
    for code in {s.provider for s in sites}:
        mine = [s for s in sites if s.provider == code]
        pools[code] = _Site(code, "", "", [], 1.0, *(np.concatenate([getattr(s, f) for s in mine])
                                                     for f in ("agent_ids", "teams", "hire", "exit")))
    order = np.lexsort((skel.day, skel.site))
    keys = skel.site[order].astype(np.int64) * 1000 + skel.day[order]
    bounds = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [n]])
    for start, end in zip(starts, ends, strict=True):
        rows = order[start:end]
        site = sites[skel.site[rows[0]]]
        today = first_day + int(skel.day[rows[0]])
        working = np.flatnonzero((site.hire + 14 <= today) & (site.exit >= today))
        if working.size == 0:  # a small roster: someone at the provider's other site takes it
            site = pools[site.provider]
            working = np.flatnonzero((site.hire + 14 <= today) & (site.exit >= today))
            if working.size == 0:
                continue
        pick = working[rng.integers(0, working.size, rows.size)]
        agent[rows] = site.agent_ids[pick]
        team[rows] = site.teams[pick]
        tenure[rows] = today - site.hire[pick]
    return agent, team, tenure


def _handle(rng, skel: _Skeleton, sites: list[_Site], first_day: int, drift: np.ndarray, repeat: np.ndarray) -> dict:
    """Everything that happens to each contact; ``drift`` in [0, 1] is how far Atlas CX has slipped."""
    n = len(skel)
    agent, team, tenure = _assign_agents(rng, skel, sites, first_day)
    aht_factor, wait_factor, csat_offset = skel.aht_factor, skel.wait_factor, skel.csat_offset
    ct_talk, ct_fcr = skel.talk, skel.fcr
    voice, chat, email = (skel.channel == "voice"), (skel.channel == "chat"), (skel.channel == "email")

    # load: busier hours wait longer (the hourly curve of the channel, in the site's local hour)
    load = np.zeros(n)
    for channel, curve in HOURLY.items():
        mask = skel.channel == channel
        load[mask] = curve[skel.hour[mask]] * 24
    wait = rng.gamma(1.6, 1.0, n) * wait_factor * np.where(voice, 10.0, np.where(chat, 18.0, 2 * 3600.0))
    wait *= 0.5 + load
    patience = rng.exponential(np.where(voice, 540.0, 900.0))
    abandoned = (voice | chat) & (patience < wait)
    wait = np.where(abandoned, patience, wait)
    answered = ~abandoned
    agent = np.where(answered, agent, None)
    team = np.where(answered, team, None)

    ramp_days = np.full(n, RAMP_DAYS)
    for code, days in SLOW_RAMP.items():
        ramp_days[skel.provider == code] = days
    newbie = 1.0 + 0.45 * np.exp(-tenure / ramp_days)  # slower in the first months
    talk = rng.lognormal(np.log(ct_talk * aht_factor * newbie), 0.45)
    hold = np.where(voice & (rng.random(n) < 0.25), rng.exponential(45.0, n), 0.0)
    wrap = rng.exponential(np.where(email, 60.0, 35.0), n) * newbie
    transferred = answered & (rng.random(n) < 0.06 + 0.08 * drift)
    escalated = answered & (rng.random(n) < 0.025 + 0.01 * (skel.program == "TECH"))
    fcr = ct_fcr - 0.12 * drift - 0.10 * transferred - 0.04 * (tenure < 60) - 0.08 * repeat
    resolved = answered & (rng.random(n) < fcr)
    reopened = resolved & (rng.random(n) < 0.03 + 0.04 * drift)
    answered_at = skel.created + wait
    handle = talk + hold
    resolved_at = answered_at + handle + wrap + np.where(email, rng.exponential(4 * 3600.0, n), 0.0)

    surveyed = answered & (rng.random(n) < 0.22)
    mood = (
        4.6 + csat_offset
        - 1.5 * ~resolved
        - 0.45 * transferred
        - 0.35 * np.clip(wait / np.where(email, 8 * 3600.0, 180.0), 0, 2)
        - 0.3 * repeat
        - 0.7 * drift
        + rng.normal(0, 0.75, n)
    )
    csat = np.clip(np.rint(mood), 1, 5).astype(np.int8)
    nps = np.clip(np.rint((mood - 1) * 2.6 + rng.normal(0, 1.2, n)), 0, 10).astype(np.int8)
    lang_choice = rng.random(n)
    language = np.empty(n, dtype=object)
    for si, site in enumerate(sites):
        mask = skel.site == si
        langs = site.languages
        language[mask] = np.where(lang_choice[mask] < 0.8, langs[0], langs[-1])
    site_code = np.array([s.code for s in sites], dtype=object)[skel.site] if n else np.array([], dtype=object)
    return {
        "site": site_code,
        "team": team,
        "agent": agent,
        "language": language,
        "answered_at": np.where(answered, answered_at, np.nan),
        "resolved_at": np.where(resolved, resolved_at, np.nan),
        "wait_seconds": np.round(wait, 1),
        "talk_seconds": np.where(answered, np.round(talk, 1), np.nan),
        "hold_seconds": np.where(answered, np.round(hold, 1), np.nan),
        "wrap_seconds": np.where(answered, np.round(wrap, 1), np.nan),
        "abandoned": abandoned,
        "transferred": transferred,
        "escalated": escalated,
        "reopened": reopened,
        "resolved": resolved,
        "csat": np.where(surveyed, csat, -1),
        "nps": np.where(surveyed, nps, -1),
        "updated_at": np.fmax(skel.created, np.where(resolved, resolved_at, answered_at)) + 300,
    }


def _drift(skel: _Skeleton) -> np.ndarray:
    """0 before the last two months; then rising to 1 for Atlas CX's contacts."""
    start = DAYS - DRIFT_DAYS
    ramp = np.clip((skel.day - start) / DRIFT_DAYS, 0, 1)
    return np.where(skel.provider == DRIFTING, ramp, 0.0)


def _ts(seconds: np.ndarray) -> pa.Array:
    mask = np.isnan(seconds) if seconds.dtype.kind == "f" else None
    micros = np.nan_to_num(seconds * 1_000_000).astype(np.int64)
    return pa.array(micros, pa.int64(), mask=mask).cast(pa.timestamp("us", tz="UTC"))


#: the demo's helpdesk gives no first resolution or requester wait: the metrics take a never-reopened
#: ticket's only resolution as its first, and measure no wait
NOT_IN_DEMO = ("created_month", "ingest_run", "transcript", "first_resolved_at", "requester_wait_seconds")
SCHEMA = pa.schema([f.remove_metadata() for f in INTERACTIONS.schema if f.name not in NOT_IN_DEMO])


def _table(skel: _Skeleton, handled: dict, ids: np.ndarray) -> pa.Table:
    nan = {k: np.isnan(v) for k, v in handled.items() if v.dtype.kind == "f"}
    voice = skel.channel == "voice"
    columns = {
            "source": pa.array(np.where(voice, "demo-acd", "demo-helpdesk").astype(object), pa.string()),
            "external_id": pa.array(np.char.add("D", ids.astype(str)).astype(object), pa.string()),
            "provider": pa.array(skel.provider, pa.string()),
            "site": pa.array(handled["site"], pa.string()),
            "team": pa.array(handled["team"], pa.string()),
            "agent": pa.array(handled["agent"], pa.string()),
            "program": pa.array(skel.program, pa.string()),
            "contact_type": pa.array(skel.contact_type, pa.string()),
            "channel": pa.array(skel.channel, pa.string()),
            "language": pa.array(handled["language"], pa.string()),
            "created_at": _ts(skel.created.astype(float)),
            "answered_at": _ts(handled["answered_at"]),
            "resolved_at": _ts(handled["resolved_at"]),
            "wait_seconds": pa.array(handled["wait_seconds"]),
            "talk_seconds": pa.array(handled["talk_seconds"], mask=nan["talk_seconds"]),
            "hold_seconds": pa.array(handled["hold_seconds"], mask=nan["hold_seconds"]),
            "wrap_seconds": pa.array(handled["wrap_seconds"], mask=nan["wrap_seconds"]),
            "abandoned": pa.array(handled["abandoned"]),
            "transferred": pa.array(handled["transferred"]),
            "escalated": pa.array(handled["escalated"]),
            "reopened": pa.array(handled["reopened"]),
            "resolved": pa.array(handled["resolved"]),
            "customer_key": pa.array(np.char.add("C", skel.customer.astype(str)).astype(object), pa.string()),
            "csat": pa.array(handled["csat"], pa.int8(), mask=handled["csat"] < 0),
            "nps": pa.array(handled["nps"], pa.int8(), mask=handled["nps"] < 0),
            "updated_at": _ts(handled["updated_at"]),
        }
    return pa.table({name: columns[name].cast(SCHEMA.field(name).type) for name in SCHEMA.names}, schema=SCHEMA)


def generate(ctx, folder: Path, *, rows: int) -> tuple[Path, int]:
    """Write about ``rows`` interactions as one Parquet file of monthly chunks (row groups)."""
    rng = np.random.default_rng(ctx.seed)
    last = ctx.today - dt.timedelta(days=1)
    first = last - dt.timedelta(days=DAYS - 1)
    sites = _sites(ctx)
    programs = {
        code: {
            "providers": set(program.providers.values_list("code", flat=True)),
            "types": {
                ct.code: (ct.channel, CT_SHARE.get(code, {}).get(ct.code, 1.0 / max(1, program.contact_types.count())))
                for ct in program.contact_types.all()
            },
        }
        for code, program in ctx.made["programs"].items()
    }
    first_day = _day_number(first)
    end = int(dt.datetime.combine(ctx.today, dt.time(), tzinfo=dt.UTC).timestamp())
    # ~13% of contacts are repeats, added below: generate the first contacts to land near ``rows`` in all
    base = _arrivals(rng, sites, programs, first, int(rows / 1.13))
    base = base.take(np.flatnonzero(base.created < end))  # west of UTC, yesterday evening is today in UTC
    no_repeat = np.zeros(len(base), bool)
    handled = _handle(rng, base, sites, first_day, _drift(base), no_repeat)
    # repeat contacts: the same customer comes back within a week, far more often when not resolved
    p_back = np.where(handled["resolved"], 0.07, 0.40) + 0.08 * _drift(base)
    back = np.flatnonzero(rng.random(len(base)) < p_back)
    again = base.take(back)
    delay = rng.exponential(1.6 * 86400, len(back)).clip(1800, 7 * 86400).astype(np.int64)
    again.created = again.created + delay
    again.day = np.minimum(again.day + delay // 86400, DAYS - 1)
    again.hour = (again.hour + (delay % 86400) // 3600) % 24
    keep = again.created < end
    again = again.take(np.flatnonzero(keep))
    handled_again = _handle(rng, again, sites, first_day, _drift(again), np.ones(len(again), bool))
    path = folder / "interactions.parquet"
    total = 0
    with pq.ParquetWriter(path, SCHEMA, compression="zstd") as writer:
        for skel, hand, offset in ((base, handled, 0), (again, handled_again, len(base))):
            ids = np.arange(offset, offset + len(skel))
            # monthly chunks in time order: how a real operation exports its history
            order = np.argsort(skel.created, kind="stable")
            for chunk in np.array_split(order, 6):
                if chunk.size:
                    writer.write_table(_table(skel.take(chunk), _slice(hand, chunk), ids[chunk]))
                    total += chunk.size
    return path, total


def _slice(handled: dict, idx: np.ndarray) -> dict:
    return {k: v[idx] for k, v in handled.items()}


def build_interactions(ctx) -> None:
    """Demo step: generate the interactions and load them through the ingest service."""
    from django.conf import settings

    from . import services

    # tests that load the demo for other reasons turn this down (tests/conftest.py)
    rows = max(1000, round(ROWS_AT_SCALE_1 * ctx.scale * getattr(settings, "DEMO_INTERACTIONS_FACTOR", 1.0)))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="concord-demo-") as tmp:
        path, total = generate(ctx, Path(tmp), rows=rows)
        generated = time.perf_counter() - started
        ctx.progress(f"{total:,} interactions generated in {generated:.1f} s; ingesting…")
        run = services.ingest_path(actor=ctx.actor, path=path, profile_name=PROFILE)
    if run.status != run.Status.SUCCEEDED:
        raise RuntimeError(f"demo interactions did not load: {run.error_message}")
    ctx.made["interactions"] = {"run": run, "rows": total}
    ctx.progress(
        f"{run.accepted:,} interactions in the lake (version {run.version_after}) "
        f"in {time.perf_counter() - started:.1f} s"
    )
