"""The mapping wizard: a sample's columns suggested from the built-in profiles, its first rows previewed in UTC,
the rejects listed, and the mapping saved as a profile. Expected times worked out by hand."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concord.ingest.models import IngestRun, SavedProfile

VENDOR = Path(__file__).parents[1] / "ingest_engine" / "vendor"


def _sample(name="zendesk_tickets.csv"):
    return SimpleUploadedFile(name, (VENDOR / name).read_bytes(), content_type="text/csv")


def test_a_sample_is_mapped_previewed_in_utc_and_saved(world, login, lake):
    client = login(world.users["client_admin"])
    body = {"file": _sample(), "table": "interactions", "provider": world.partner_a.pk, "program": "SHARED",
            "timezone": "America/New_York"}
    page = client.post(reverse("ingest:profile-wizard"), body).content.decode()
    # the Zendesk columns are recognised, with the built-in profile's value maps
    assert "<code>Satisfaction Score</code>" in page and "field: Ticket type" in page
    # 21:30 EDT on 31 March is 1 April 01:30 UTC
    assert "2026-04-01 01:30:00 UTC" in page and "4 accepted, 0 rejected" in page
    # a mapping that reads Status as yes/no without the map rejects, naming the column and the value
    columns = "columns:\n  external_id: {field: Id}\n  created_at: {field: Created at}\n  resolved: {field: Status}\n"
    page = client.post(reverse("ingest:profile-wizard"), {**body, "file": "", "columns": columns}).content.decode()
    assert "0 accepted, 4 rejected" in page and "not a yes/no value: &#x27;Solved&#x27;" in page
    # nothing was written by previews
    assert not IngestRun.objects.exists() and lake.version("interactions") is None
    # saving goes through the saved-profile form, with the definition the wizard built
    again = client.post(reverse("ingest:profile-wizard"), {**body, "file": _sample()})
    first = again.context["definition_yaml"]
    response = client.post(reverse("ingest:profile-create"), {"name": "zd-wizard", "definition": first})
    assert response.status_code == 302
    saved = SavedProfile.objects.get(name="zd-wizard").definition
    assert saved["timezone"] == "America/New_York" and saved["columns"]["program"] == {"const": "SHARED"}


def test_partners_may_not_use_the_wizard(world, login):
    client = login(world.users["partner_a_lead"])
    assert client.get(reverse("ingest:profile-wizard")).status_code == 403
    response = client.post(reverse("ingest:profile-wizard"), {"file": _sample(), "table": "interactions"})
    assert response.status_code == 403


def test_a_sample_that_is_not_csv_is_one_line(world, login):
    client = login(world.users["client_admin"])
    bad = SimpleUploadedFile("x.csv", b"PK\x03\x04binary", content_type="text/csv")
    response = client.post(reverse("ingest:profile-wizard"), {"file": bad, "table": "interactions"})
    assert response.status_code == 400 and "not a CSV file" in response.content.decode()


def test_freshdesks_source_column_is_suggested_as_the_channel(world, login):
    from concord.ingest.engine.preview import suggest_columns

    header = (VENDOR / "freshdesk_tickets.csv").read_text().splitlines()[0].split(",")
    suggested = suggest_columns(header, "interactions")
    assert suggested["channel"]["field"] == "Source" and "source" not in suggested
    assert suggested["answered_at"]["field"] == "Initial response time"
