"""The governance sweep: pack drafts the day before a meeting, once; meetings kept scheduled; idempotent."""

import datetime as dt

from concord.governance import tasks
from concord.governance.models import Meeting, Pack
from concord.notifications.models import Notification


def test_the_sweep_drafts_tomorrows_pack_once_and_tells_the_attendees(world, cadence, meeting, settings):
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    # the meeting is Monday 1 June 2026 10:00 CEST (08:00 UTC); the sweep runs the afternoon before
    assert meeting.starts_at == dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
    before = dt.datetime(2026, 5, 31, 15, 0, tzinfo=dt.UTC)
    first = tasks.sweep(now=before)
    assert first["drafts"] == 1 and Pack.objects.get(meeting=meeting).frozen_at is None
    told = Notification.objects.filter(kind="governance.pack_draft").values_list("user__username", flat=True)
    assert sorted(told) == ["client_admin", "partner_a_lead"]
    # an hour later: the draft is fresh and the attendees were told; nothing again, no new meeting either
    again = tasks.sweep(now=before + dt.timedelta(hours=1))
    assert (again["drafts"], again["escalations"], again["reminders"]) == (0, [], 0)
    assert Notification.objects.filter(kind="governance.pack_draft").count() == 2
    # the first Mondays in the 100 days from 31 May (1 June, 6 July, 3 August, 7 September) were all
    # scheduled with the fixture's meeting (100 days from 1 June): the sweep adds none
    assert (first["scheduled"], again["scheduled"]) == (0, 0)
    days = [m.starts_at.date() for m in Meeting.objects.filter(cadence=cadence).order_by("starts_at")]
    assert days == [dt.date(2026, 6, 1), dt.date(2026, 7, 6), dt.date(2026, 8, 3), dt.date(2026, 9, 7)]
