"""Building a pack from live data, freezing it, and noting later restatements beside frozen figures."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import logging
import threading

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from concord.accounts import access
from concord.accounts.models import User
from concord.accounts.roles import Cap, Role

from ..models import Meeting, Pack
from .context import PackContext
from .sections import BY_CADENCE, SECTIONS

log = logging.getLogger(__name__)


def system_user() -> User:
    """An unsaved client admin: whose scope a frozen pack's numbers (and their restatements) are read in."""
    return User(username="system", role=Role.CLIENT_ADMIN)


def _context(user, pack: Pack, as_of: dt.datetime | None = None) -> PackContext:
    ctx = PackContext(user, pack.provider, pack.program, pack.cadence_kind, pack.grain, pack.period_start)
    if as_of is not None:
        ctx.as_of = as_of
    return ctx


def compute(ctx: PackContext, keys=None) -> dict[str, dict]:
    """Every section of the cadence's pack built from live data (``ctx`` collects charts and versions)."""
    access.require_for_provider(ctx.user, Cap.VIEW_GOVERNANCE, ctx.provider.pk)
    out = {}
    for key in keys or BY_CADENCE[ctx.cadence_kind]:
        out[key] = SECTIONS[key].build(ctx)
    return out


def draw(charts: dict[str, dict]) -> dict[str, str]:
    """The chart specs as SVG text (the same specs the page draws interactively)."""
    from concord.web.charts import ChartRenderError, to_svg

    svgs = {}
    for chart_id, spec in charts.items():
        try:
            svgs[chart_id] = to_svg(spec)
        except ChartRenderError as exc:
            log.error("pack chart %s could not be drawn: %s", chart_id, exc)
    return svgs


def warm_up(*, printing: bool) -> None:
    """Start what drawing (and ``printing``) a pack need while its queries run: the chart renderer (a child
    process) and WeasyPrint's import (a thread: the lake queries run in DuckDB, outside the GIL). A cold
    strategic pack spent seconds on each after its queries."""
    from concord.web.charts import warm

    warm()
    if printing:
        threading.Thread(target=importlib.import_module, args=("weasyprint",), daemon=True).start()


def refresh(pack: Pack, *, user, svgs: bool = False, as_of: dt.datetime | None = None) -> Pack:
    """Rebuild an unfrozen pack's sections from live data and store them (a frozen pack never changes);
    open actions and escalations are read as they stood at ``as_of`` (now)."""
    if pack.frozen:
        return pack
    if svgs:
        warm_up(printing=True)  # an ad-hoc pack (the CLI's) is built to be printed
    ctx = _context(user, pack, as_of)
    pack.sections = compute(ctx)
    pack.lake_versions = ctx.versions
    pack.charts = ctx.charts
    pack.svgs = draw(ctx.charts) if svgs else {}
    pack.built_at = timezone.now()
    pack.built_by_name = getattr(user, "username", "") or "system"
    pack.save()
    return pack


def pack_for(*, user, provider, cadence_kind: str, grain: str, period_start: dt.date, program=None) -> Pack:
    """An ad-hoc pack (the CLI's): a new row built now, with its charts drawn."""
    access.require_for_provider(user, Cap.VIEW_GOVERNANCE, provider.pk)
    if cadence_kind not in BY_CADENCE:
        raise ValidationError(f"unknown cadence {cadence_kind!r}; use one of {', '.join(BY_CADENCE)}")
    pack = Pack(provider=provider, program=program, cadence_kind=cadence_kind, grain=grain, period_start=period_start)
    return refresh(pack, user=user, svgs=True)


def meeting_pack(meeting: Meeting, *, user, as_of: dt.datetime | None = None) -> Pack:
    """The meeting's pack: frozen when it closed; else built from live data now."""
    pack = Pack.objects.filter(meeting=meeting).first()
    if pack is None:
        pack = Pack(
            provider=meeting.provider,
            program=meeting.cadence.program,
            meeting=meeting,
            cadence_kind=meeting.cadence.kind,
            grain=meeting.grain,
            period_start=meeting.period_start,
        )
    if pack.frozen:
        return pack
    return refresh(pack, user=user, as_of=as_of)


def freeze_meeting_pack(*, meeting: Meeting, actor, at: dt.datetime | None = None) -> Pack:
    """Build the pack one last time, draw its charts, and freeze it with the lake versions read and the
    actions and escalations open at ``at`` (the close: now)."""
    at = at or timezone.now()
    warm_up(printing=False)
    pack = meeting_pack(meeting, user=actor, as_of=at)
    if pack.frozen:
        return pack
    pack.svgs = draw(pack.charts)
    pack.frozen_at = at
    pack.save(update_fields=["svgs", "frozen_at"])
    return pack


def restatements(pack: Pack) -> dict[str, dict[str, float | None]]:
    """For a frozen pack: the figures that read differently on today's lake, per section
    ({section: {figure: value now}}). Nothing is recomputed while no table it read has a newer version."""
    if not pack.frozen or not pack.lake_versions:
        return {}
    ctx = _context(system_user(), pack)
    lake = ctx.lake()
    now = {t: lake.version(t) for t in pack.lake_versions}
    if all(now[t] == v for t, v in pack.lake_versions.items()):
        return {}
    key = "concord:pack-restated:" + hashlib.sha256(json.dumps([pack.pk, now], sort_keys=True).encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    keys = [k for k, data in pack.sections.items() if data.get("figures")]
    try:
        fresh = compute(ctx, keys)
    except (Http404, ValueError) as exc:  # the provider or a card went away: the frozen pack still reads
        log.warning("pack %s: restatements not checked: %s", pack.pk, exc)
        return {}
    found = {}
    for k in keys:
        old, new = pack.sections[k].get("figures", {}), fresh[k].get("figures", {})
        changed = {f: new.get(f) for f in old if not _same(old[f], new.get(f))}
        if changed:
            found[k] = changed
    cache.set(key, found, 24 * 3600)
    return found


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))
