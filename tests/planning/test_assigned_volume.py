"""A partner sees the volume assigned to it, never another's, and commits capacity against it (issue #10.7)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from concord.accounts.models import AuditEntry
from concord.planning import assignment_services
from concord.planning.models import CapacityCommitment, Forecast, ForecastPoint, VolumeAssignment

MONDAY = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)  # 09:00 in Madrid


@pytest.fixture
def forecast(world, client_admin):
    made = Forecast.objects.create(
        program=world.program_shared, version=1, grain="60min", horizon_days=1, model="SeasonalNaive",
        status="succeeded", history_start=MONDAY - dt.timedelta(days=42), history_end=MONDAY,
        created_by=client_admin,
    )  # fmt: skip
    for hour, value in ((0, 100.0), (1, 50.0)):
        ForecastPoint.objects.create(forecast=made, period_start=MONDAY + dt.timedelta(hours=hour), base=value,
                                     value=value)  # fmt: skip
    return made


@pytest.fixture
def assigned(world, forecast, client_admin):
    a = assignment_services.assign_volume(actor=client_admin, forecast=forecast, provider=world.partner_a, share=40)
    b = assignment_services.assign_volume(actor=client_admin, forecast=forecast, provider=world.partner_b, share=35)
    return a, b


def test_a_partner_sees_its_share_of_the_volume_and_nothing_of_the_others(world, assigned, login):
    mine, theirs = assigned
    client = login(world.users["partner_a_lead"])
    # the planning index opens for a partner lead (it answered 403), with its assigned volume only
    index = client.get("/planning/")
    assert index.status_code == 200 and "Staffing calculator" not in index.content.decode()
    page = client.get(f"/planning/assigned/{mine.pk}/")
    assert page.status_code == 200
    # 40% of 100 + 50 contacts on Monday = 60 (busiest hour 40 at 09:00 Madrid)
    (day,) = page.context["days"]
    assert day["contacts"] == pytest.approx(60) and day["peak"] == pytest.approx(40)
    listing = client.get("/planning/assigned/").content.decode()
    api = client.get("/api/planning/assignments/").json()
    for text in (page.content.decode(), listing, json.dumps(api)):
        assert "Partner B" not in text and '"PB"' not in text and "35%" not in text
    assert [row["id"] for row in api] == [mine.pk] and api[0]["days"][0]["contacts"] == 60.0
    # and another partner's assignment does not exist for it
    assert client.get(f"/planning/assigned/{theirs.pk}/").status_code == 404


def test_a_partner_commits_capacity_once_audited_and_the_client_sees_it(world, assigned, forecast, login):
    mine, _theirs = assigned
    lead = world.users["partner_a_lead"]
    client = login(lead)
    response = client.post(f"/planning/assigned/{mine.pk}/commit/", {"fte": "12.5", "note": "Three hires Monday"})
    assert response.status_code == 302
    again = client.post(
        f"/api/planning/assignments/{mine.pk}/commitments/", {"fte": 12.5, "note": "Three hires Monday"},
        content_type="application/json",
    )  # fmt: skip
    assert again.status_code == 201
    # the same commitment twice is one record, with one audit row
    (commitment,) = CapacityCommitment.objects.all()
    assert (commitment.fte, commitment.created_by) == (12.5, lead)
    audited = AuditEntry.objects.filter(action="create", object_type__icontains="commitment")
    assert audited.count() == 1
    # the client reads it against the plan on the forecast's page
    detail = login(world.users["client_admin"]).get(f"/planning/forecasts/{forecast.pk}/")
    rows = {r["assignment"].provider.code: r for r in detail.context["commitments"]}
    assert rows["PA"]["commitment"].fte == 12.5 and rows["PA"]["contacts"] == pytest.approx(60)
    assert rows["PB"]["commitment"] is None and rows["PB"]["contacts"] == pytest.approx(52.5)


def test_refused_commitments_change_nothing(world, assigned, client_admin):
    mine, theirs = assigned
    with pytest.raises(Http404):  # another partner's assignment
        assignment_services.commit_capacity(actor=world.users["partner_a_lead"], assignment=theirs, fte=5)
    with pytest.raises(PermissionDenied):  # the client does not commit for a partner
        assignment_services.commit_capacity(actor=client_admin, assignment=mine, fte=5)
    with pytest.raises(ValidationError, match="Committed FTE"):
        assignment_services.commit_capacity(actor=world.users["partner_a_lead"], assignment=mine, fte=-1)
    assert not CapacityCommitment.objects.exists()


def test_shares_of_a_forecast_add_up_to_at_most_100_percent(world, assigned, forecast, client_admin):
    with pytest.raises(ValidationError, match=r"would add up to 105% \(PB 35%, and 70% here\); at most 100%"):
        assignment_services.assign_volume(actor=client_admin, forecast=forecast, provider=world.partner_a, share=70)
    with pytest.raises(ValidationError, match="does not serve"):
        other = Forecast.objects.create(
            program=world.program_b_only, version=1, grain="60min", horizon_days=1, status="succeeded",
            created_by=client_admin,
        )  # fmt: skip
        assignment_services.assign_volume(actor=client_admin, forecast=other, provider=world.partner_a, share=10)
    with pytest.raises(PermissionDenied):
        assignment_services.assign_volume(
            actor=world.users["partner_a_lead"], forecast=forecast, provider=world.partner_a, share=90
        )
    assert VolumeAssignment.objects.get(provider=world.partner_a).share == 40
    # the same share again records nothing new
    before = AuditEntry.objects.count()
    assignment_services.assign_volume(actor=client_admin, forecast=forecast, provider=world.partner_a, share=40)
    assert AuditEntry.objects.count() == before
