"""Cadences schedule meetings in the reporting zone; RACI rows have exactly one A; decisions obey them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from concord.governance import services
from concord.governance.models import Meeting, RaciAssignment


def test_monthly_meetings_land_on_the_first_monday_at_local_time_across_dst(world, cadence, settings):
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    admin = world.users["client_admin"]
    made = services.schedule_meetings(actor=admin, cadence=cadence, today=dt.date(2026, 2, 20))
    # first Mondays: 2 March (CET, 10:00 = 09:00 UTC), 6 April and 4 May (CEST, 10:00 = 08:00 UTC); 100 days ahead
    assert [m.starts_at for m in made] == [
        dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 4, 6, 8, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC),
    ]
    assert [m.period_start for m in made] == [dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)]
    assert [a.title for a in made[0].agenda.all()] == ["Scorecard", "Commercial position (client only)"]
    # the same again changes nothing
    assert services.schedule_meetings(actor=admin, cadence=cadence, today=dt.date(2026, 2, 20)) == []
    assert Meeting.objects.filter(cadence=cadence).count() == 3


def test_a_partner_cannot_run_the_rhythm(world, cadence):
    with pytest.raises(PermissionDenied):
        services.schedule_meetings(actor=world.users["partner_a_lead"], cadence=cadence, today=dt.date(2026, 2, 20))
    assert not Meeting.objects.exists()


def _row(world, letters, name="Change the IVR menu", **kw):
    return services.raci_row_set(
        actor=world.users["client_admin"], program=world.program_shared, name=name, letters=letters, **kw
    )


def test_a_raci_row_needs_exactly_one_accountable(world):
    with pytest.raises(ValidationError, match=r"exactly one Accountable.*has 0"):
        _row(world, {("client", "manager"): "R", ("partner", "provider_lead"): "C"})
    with pytest.raises(ValidationError, match="has 2"):
        _row(world, {("client", "manager"): "A", ("partner", "provider_lead"): "A"})
    row = _row(world, {("client", "manager"): "A", ("partner", "provider_lead"): "R", ("client", "viewer"): "I"})
    assert row.accountable.role == "manager"
    # and the database refuses a second A however it is written
    with pytest.raises(IntegrityError), transaction.atomic():
        RaciAssignment.objects.create(activity=row, side="partner", role="provider_qa", letter="A")


def test_a_role_on_the_wrong_side_is_refused(world):
    with pytest.raises(ValidationError, match="not a partner role"):
        _row(world, {("partner", "manager"): "A"})


def test_decisions_follow_the_raci(world):
    client_decides = _row(world, {("client", "manager"): "A", ("partner", "provider_lead"): "R"})
    partner_decides = _row(
        world,
        {("partner", "provider_lead"): "A", ("client", "manager"): "I"},
        name="Schedule agents' breaks",
        partner_may_decide=True,
    )
    lead, admin = world.users["partner_a_lead"], world.users["client_admin"]
    # the partner may take its own decision
    ok = services.decision_record(
        actor=lead, provider=world.partner_a, what="Breaks at :15", raci_activity=partner_decides
    )
    assert not ok.flagged
    # the partner is refused a decision the client is accountable for
    with pytest.raises(PermissionDenied, match="manager accountable"):
        services.decision_record(actor=lead, provider=world.partner_a, what="New IVR", raci_activity=client_decides)
    # the client admin is not the accountable manager: kept, but flagged
    flagged = services.decision_record(
        actor=admin, provider=world.partner_a, what="New IVR", raci_activity=client_decides
    )
    assert flagged.flagged and "manager" in flagged.flag_reason
    assert [d.what for d in world.partner_a.decisions.order_by("pk")] == ["Breaks at :15", "New IVR"]


def test_a_closed_meeting_takes_no_more_minutes_or_decisions(world, meeting):
    admin = world.users["client_admin"]
    services.close_meeting(actor=admin, meeting=meeting)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.decision_record(actor=admin, provider=world.partner_a, meeting=meeting, what="Late decision")
    with pytest.raises(ValidationError, match="closed"):
        services.note_add(actor=admin, meeting=meeting, text="Late note")
    assert not meeting.decisions.exists() and not meeting.notes.exists()
