"""#9.1: a run bound to a provider inserts and updates only that provider's rows.

The attack from the issue: partner A posts a batch (or uploads a CSV) carrying a key partner B
already holds, with a newer ``updated_at`` (would update it) or an older one (would answer
"unchanged", telling A the key exists). Both must be a rejected row with a reason that names
nothing of B's row, and B's row must stay byte for byte as it was.
"""

from __future__ import annotations

import json

from django.urls import reverse

from concord.accounts.models import AuditEntry
from concord.ingest import services
from concord.ingest.engine.run import KEY_NOT_YOURS
from concord.ingest.models import IngestRun

from .conftest import csv_bytes, json_row, row, upload


def _post(client, body):
    return client.post(reverse("ingest-batch"), json.dumps(body), content_type="application/json")


def _rows_of(lake, provider):
    table = lake.read_arrow("interactions").to_pylist()
    return sorted((r for r in table if r["provider"] == provider), key=lambda r: r["external_id"])


def _b_holds_f1(world, login):
    client = login(world.users["partner_b_lead"])
    b_row = json_row(1, provider="PB", csat=2, updated_at="2026-03-02T10:06:00Z")
    response = _post(client, {"profile": "canonical-jsonl", "rows": [b_row, json_row(2, provider="PB")]})
    assert response.status_code == 201, response.json()


def test_partner_batch_with_another_partners_key_is_rejected_whatever_its_updated_at(world, login, lake):
    # given partner B holds feed/F1
    _b_holds_f1(world, login)
    before = _rows_of(lake, "PB")
    version = lake.version("interactions")
    client = login(world.users["partner_a_lead"])
    answers = []
    for updated in ("2026-03-09T00:00:00Z", "2026-01-01T00:00:00Z"):  # newer, then older than B's row
        # when partner A sends the same key (plus a key of its own)
        rows = [json_row(1, updated_at=updated, csat=5), json_row(100 + len(answers))]
        body = _post(client, {"profile": "canonical-jsonl", "rows": rows}).json()
        answers.append(body)
        # then B's key is a rejected row, A's own row is inserted, and read = accepted + rejected
        assert (body["read"], body["accepted"], body["rejected"]) == (2, 1, 1), body
        assert (body["inserted"], body["updated"], body["unchanged"]) == (1, 0, 0), body
        assert body["rejected_rows"] == [{"row": 1, "column": "source,external_id", "reason": KEY_NOT_YOURS}]
    # and the answer is the same for a newer and an older updated_at (no "unchanged" oracle)
    assert answers[0]["rejected_rows"] == answers[1]["rejected_rows"]
    # and nothing of B changed
    assert _rows_of(lake, "PB") == before
    assert lake.version("interactions") == version + 2  # A's own two inserts only


def _upload(actor, data, capture, **kwargs):
    with capture(execute=True):
        run = services.start_upload(actor=actor, uploaded_file=upload("a.csv", data), profile_name="canonical-csv",
                                    **kwargs)
    run.refresh_from_db()
    return run


def test_partner_csv_upload_with_another_partners_key_changes_nothing_of_theirs(
    world, login, lake, django_capture_on_commit_callbacks
):
    _b_holds_f1(world, login)
    before = _rows_of(lake, "PB")
    # when partner A uploads a CSV whose source/external_id is B's (feed/F1), newer
    data = (
        "source,external_id,provider,site,agent,program,channel,created_at,resolved_at,updated_at,wait_seconds,csat\n"
        "feed,F1,PA,PA-S1,PA-001,SHARED,voice,2026-03-02T10:00:00Z,2026-03-02T10:20:00Z,2026-03-09T11:00:00Z,1,5\n"
        + row(7) + "\n"
    ).encode()
    run = _upload(world.users["partner_a_lead"], data, django_capture_on_commit_callbacks)
    # then the run rejects that row with the same neutral reason, and B's rows are as they were
    assert (run.read, run.accepted, run.rejected, run.inserted, run.updated) == (2, 1, 1, 1, 0)
    assert run.rejections == [{"row": 1, "column": "source,external_id", "reason": KEY_NOT_YOURS}]
    assert _rows_of(lake, "PB") == before


def test_unknown_key_and_own_key_still_insert_and_update(world, login, lake):
    client = login(world.users["partner_a_lead"])
    assert _post(client, {"profile": "canonical-jsonl", "rows": [json_row(1)]}).status_code == 201
    body = _post(client, {"profile": "canonical-jsonl", "rows": [json_row(1, updated_at="2026-03-03T00:00:00Z")]})
    assert (body.json()["updated"], body.json()["rejected"]) == (1, 0)


def test_the_client_may_move_a_row_between_providers_and_the_move_is_audited(world, login, lake):
    _b_holds_f1(world, login)
    # when the client's admin sends F1 under provider A (no provider bound), newer
    client = login(world.users["client_admin"])
    body = _post(client, {"profile": "canonical-jsonl", "rows": [json_row(1, updated_at="2026-03-09T00:00:00Z")]})
    assert body.status_code == 201, body.json()
    # then the row is A's now, and the audit log says a row moved
    assert [r["external_id"] for r in _rows_of(lake, "PA")] == ["F1"]
    run = IngestRun.objects.get(pk=body.json()["id"])
    entry = AuditEntry.objects.filter(object_type="ingest.ingestrun", object_id=str(run.pk), action="update").get()
    assert entry.after["moved_between_providers"] == 1 and entry.actor == world.users["client_admin"]


def test_csv_row_numbers_survive_to_the_quarantine(world, lake, django_capture_on_commit_callbacks):
    # given B holds zd/T1 and zd/T2
    b_rows = csv_bytes(row(1, provider="PB", site="PB-S1", agent="PB-001"), row(2, provider="PB", site="PB-S1",
                                                                                   agent="PB-001"))
    _upload(world.users["client_admin"], b_rows, django_capture_on_commit_callbacks, provider=world.partner_b)
    # when A uploads a file whose second data row is zd/T2: the quarantine points at row 2
    run = _upload(world.users["partner_a_lead"], csv_bytes(row(9), row(2)), django_capture_on_commit_callbacks)
    assert run.rejections == [{"row": 2, "column": "source,external_id", "reason": KEY_NOT_YOURS}]


def test_a_partners_dry_run_refuses_another_partners_key_like_a_real_run(world, login, lake):
    # a dry run said "accepted" for a key the real run would refuse; it now answers the same, writing nothing
    _b_holds_f1(world, login)
    version = lake.version("interactions")
    client = login(world.users["partner_a_lead"])
    body = _post(client, {"profile": "canonical-jsonl", "dry_run": True,
                          "rows": [json_row(1, updated_at="2026-03-09T00:00:00Z"), json_row(50)]}).json()
    assert (body["accepted"], body["rejected"], body["inserted"], body["updated"]) == (1, 1, 1, 0), body
    assert body["rejected_rows"] == [{"row": 1, "column": "source,external_id", "reason": KEY_NOT_YOURS}]
    assert lake.version("interactions") == version
