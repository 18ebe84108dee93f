"""The set-up pages: editing the form (a change makes a version) and setting up a calibration session."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from django.conf import settings

from concord.lake.schemas import TABLES
from concord.lake.store import Lake
from concord.lake.write import commit_batches
from concord.quality.models import CalibrationSession, QaForm


def _rows(form):
    """The edit page's fields for the form as it is."""
    data, i = {}, 0
    for c in form.current.criteria_in_order():
        data.update({
            f"c-{i}-section": c.section.title, f"c-{i}-code": c.code, f"c-{i}-label": c.label,
            f"c-{i}-scale": c.scale, f"c-{i}-weight": str(c.weight), f"c-{i}-guidance": c.guidance,
            f"c-{i}-max_points": "" if c.max_points is None else str(c.max_points),
        })  # fmt: skip
        if c.na_allowed:
            data[f"c-{i}-na_allowed"] = "on"
        if c.critical:
            data[f"c-{i}-critical"] = "on"
        i += 1
    data["rows"] = str(i)
    return data


def test_editing_the_form_makes_a_new_version_and_the_same_content_makes_none(world, qa, login):
    client = login(world.users["client_admin"])
    url = f"/quality/forms/{qa.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200 and b"Save as a new version" in page.content
    same = client.post(url, _rows(qa))
    assert same.status_code == 302 and QaForm.objects.get().versions.count() == 1
    changed = {**_rows(qa), "c-3-weight": "6", "c-4-remove": "on", "note": "Accuracy counts double"}
    changed.update({"rows": "6", "c-5-section": "Closing", "c-5-code": "closing", "c-5-label": "Closes politely",
                    "c-5-scale": "yes_no", "c-5-weight": "1"})  # fmt: skip
    assert client.post(url, changed).status_code == 302
    version = QaForm.objects.get().current
    assert version.number == 2 and version.note == "Accuracy counts double"
    criteria = {c.code: c for c in version.criteria_in_order()}
    assert sorted(criteria) == ["accuracy", "closing", "empathy", "greeting", "verify"]  # upsell removed
    assert float(criteria["accuracy"].weight) == 6 and criteria["closing"].section.title == "Closing"
    assert criteria["verify"].critical and criteria["accuracy"].max_points == 10


def test_a_bad_row_is_named_and_changes_nothing(world, qa, login):
    client = login(world.users["client_admin"])
    bad = {**_rows(qa), "c-2-scale": "stars"}
    response = client.post(f"/quality/forms/{qa.pk}/edit/", bad)
    assert response.status_code == 400
    assert "Section 2, criterion 1: Shows empathy: scale must be one of" in response.content.decode()
    assert QaForm.objects.get().versions.count() == 1
    heavy = {**_rows(qa), "c-0-weight": "heavy"}
    response = client.post(f"/quality/forms/{qa.pk}/edit/", heavy)
    assert response.status_code == 400 and "Row 1 (Greets the customer by name), weight" in response.content.decode()
    # a partner's people cannot edit the one form
    assert login(world.users["partner_a_lead"]).get(f"/quality/forms/{qa.pk}/edit/").status_code == 403


def test_setting_up_a_calibration_session_in_the_page(world, qa, login):
    at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    rows = []
    for n in range(3):
        row = {f.name: (False if pa.types.is_boolean(f.type) else None) for f in TABLES["interactions"].schema}
        row.update(source="cal", external_id=f"x{n}", provider=world.partner_a.code, agent=world.agent_a.employee_id,
                   program="SHARED", channel="chat", created_at=at, updated_at=at, created_month="2026-03",
                   transcript="Customer: hi")  # fmt: skip
        rows.append(row)
    commit_batches(Lake(settings.LAKE_URI), "interactions",
                   pa.Table.from_pylist(rows, TABLES["interactions"].schema).to_batches())  # fmt: skip
    client = login(world.users["partner_a_qa"])
    page = client.get(f"/quality/calibration/new/?provider={world.partner_a.pk}")
    assert page.status_code == 200 and b"cal|x2" in page.content
    post = {"provider": world.partner_a.pk, "title": "", "participants": [world.users["partner_a_qa"].pk],
            "interactions": ["cal|x0", "cal|x1"]}  # fmt: skip
    refused = client.post("/quality/calibration/new/", post)
    assert refused.status_code == 400 and "Give the session a title." in refused.content.decode()
    post.update(title="March", participants=[world.users["partner_a_qa"].pk, world.users["client_analyst"].pk],
                key_grader=world.users["client_analyst"].pk)  # fmt: skip
    created = client.post("/quality/calibration/new/", post)
    session = CalibrationSession.objects.get()
    assert created.status_code == 302 and session.items.count() == 2 and session.key_grader.username == "client_analyst"
    # another partner's provider is not found
    other = login(world.users["partner_b_qa"]).get(f"/quality/calibration/new/?provider={world.partner_a.pk}")
    assert other.status_code == 404
