"""Saved profiles: created by the client's people with validation naming the problem; partners use them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from concord.ingest import profile_services
from concord.ingest.models import IngestRun, SavedProfile

from .conftest import upload

YAML = """
table: interactions
format: csv
timezone: Europe/Madrid
source: crm
columns:
  external_id: Ticket
  program: {const: SHARED}
  channel: {field: Canal, map: {telefono: voice, correo: email}}
  created_at: {field: Creado, formats: ["%d/%m/%Y %H:%M"]}
  updated_at: {field: Creado, formats: ["%d/%m/%Y %H:%M"]}
"""


def test_client_creates_a_profile_in_yaml_and_a_partner_uploads_with_it(
    world, login, lake, django_capture_on_commit_callbacks
):
    # given a client admin saves a profile for a Spanish CRM export
    admin = login(world.users["client_admin"])
    response = admin.post(reverse("ingest:profile-create"), {"name": "crm-es", "definition": YAML})
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = SavedProfile.objects.get(name="crm-es")
    assert profile.table == "interactions"
    # when partner A's lead uploads that export with it
    partner = login(world.users["partner_a_lead"])
    data = b"Ticket;Canal;Creado\nX1;Telefono;02/03/2026 10:00\nX2;fax;02/03/2026 11:00\n"
    with django_capture_on_commit_callbacks(execute=True):
        partner.post(reverse("ingest:upload"), {"file": upload("crm.csv", data), "profile": "crm-es"})
    # then the known channel is mapped, the unknown one rejected, and the rows are A's
    run = IngestRun.objects.get()
    assert (run.accepted, run.rejected, run.provider.code) == (1, 1, "PA"), run.error_message
    stored = lake.read_arrow("interactions").to_pylist()[0]
    assert (stored["channel"], stored["provider"], stored["created_at"].hour) == ("voice", "PA", 9)


def test_invalid_profile_shows_what_is_wrong(world, login):
    admin = login(world.users["client_admin"])
    bad = "table: interactions\ncolumns:\n  external_id: Ticket\n  colour: {field: x}\ntimezone: Mars/Olympus\n"
    response = admin.post(reverse("ingest:profile-create"), {"name": "bad", "definition": bad})
    page = response.content.decode()
    assert response.status_code == 400
    assert "no column &#x27;colour&#x27;" in page or "no column 'colour'" in page
    assert "Mars/Olympus" in page
    response = admin.post(reverse("ingest:profile-create"), {"name": "bad", "definition": "table: [unclosed"})
    assert response.status_code == 400 and "Not valid YAML or JSON at line 1" in response.content.decode()
    assert not SavedProfile.objects.exists()


def test_json_definitions_are_accepted_and_builtin_names_refused(world, login):
    admin = login(world.users["client_admin"])
    body = '{"table": "interactions", "columns": {"external_id": "id"}}'
    assert admin.post(reverse("ingest:profile-create"), {"name": "json-one", "definition": body}).status_code == 302
    response = admin.post(reverse("ingest:profile-create"), {"name": "canonical-csv", "definition": body})
    assert response.status_code == 400 and "built-in profile" in response.content.decode()


def test_partner_may_use_but_not_edit_profiles(world, client_admin, partner_a_lead, login):
    profile = profile_services.saved_profile_create(actor=client_admin, name="p1",
                                            definition={"table": "interactions", "columns": {"external_id": "id"}})
    with pytest.raises(PermissionDenied):
        profile_services.saved_profile_update(actor=partner_a_lead, profile=profile, description="mine now")
    client = login(partner_a_lead)
    assert client.get(reverse("ingest:profiles")).status_code == 200
    assert client.get(reverse("ingest:profile-edit", args=[profile.pk])).status_code == 403
    profile.refresh_from_db()
    assert profile.description == ""


def test_edit_form_shows_the_definition_as_yaml(world, client_admin, login):
    profile = profile_services.saved_profile_create(actor=client_admin, name="p2",
                                            definition={"table": "interactions", "columns": {"external_id": "id"}})
    page = login(client_admin).get(reverse("ingest:profile-edit", args=[profile.pk])).content.decode()
    assert "table: interactions" in page


def test_a_saved_profile_can_start_from_a_built_in_one(world, login):
    # when an admin starts a new profile from the Zendesk CSV one
    page = login(world.users["client_admin"]).get(reverse("ingest:profile-create") + "?from=zendesk-csv")
    # then the definition holds the built-in's mapping, without its name
    text = page.content.decode()
    assert page.status_code == 200 and "table: interactions" in text and "name: zendesk-csv" not in text
    # and saving it as is gives a working copy
    from concord.ingest.profile_services import builtin_profile_text, resolve_profile

    client = login(world.users["client_admin"])
    definition = builtin_profile_text("zendesk-csv")
    response = client.post(reverse("ingest:profile-create"), {"name": "zd-copy", "definition": definition})
    assert response.status_code == 302
    assert resolve_profile("zd-copy").columns == resolve_profile("zendesk-csv").columns
