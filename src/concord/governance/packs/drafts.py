"""Pack drafts the day before a meeting: built from live data so the pack is ready to read."""

from __future__ import annotations

import datetime as dt
import logging

from django.urls import reverse

from concord.notifications.services import notify

from ..models import Meeting, Pack
from .build import meeting_pack, system_user

log = logging.getLogger(__name__)
#: a meeting starting within this long gets its draft (and its attendees a notice)
AHEAD = dt.timedelta(hours=36)
#: a draft younger than this is not rebuilt by the (frequent) sweep; opening the pack rebuilds it anyway
FRESH = dt.timedelta(hours=12)


def draft_tomorrows_packs(*, now: dt.datetime) -> int:
    made = 0
    coming = Meeting.objects.filter(status="scheduled", starts_at__gt=now, starts_at__lte=now + AHEAD)
    fresh = Pack.objects.filter(meeting__in=coming, built_at__gte=now - FRESH).values_list("meeting_id", flat=True)
    for m in coming.exclude(pk__in=list(fresh)).select_related("cadence", "provider"):
        try:
            meeting_pack(m, user=system_user())
        except Exception:  # one provider's broken data must not stop the others' drafts
            log.exception("draft pack for meeting %s failed", m.pk)
            continue
        notify(
            recipients=m.cadence.attendees.all(),
            subject=f"Pack ready: {m.cadence.name}, {m.starts_at:%d %b}",
            body="The review pack is drafted from live data; it freezes when the meeting closes.",
            url=reverse("governance:meeting-pack", args=[m.pk]),
            kind="governance.pack_draft",
            key=f"meeting-{m.pk}-draft",
            provider=m.provider,
        )
        made += 1
    return made
