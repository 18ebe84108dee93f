"""The batch API: the row limit, the answer's rejected rows, partner binding, scoped run reads."""

from __future__ import annotations

import json

from django.urls import reverse

from concord.ingest.models import IngestRun

from .conftest import json_row


def _post(client, body):
    return client.post(reverse("ingest-batch"), json.dumps(body), content_type="application/json")


def test_batch_is_ingested_and_the_answer_lists_rejected_rows(world, login, lake):
    # given a batch with two good rows and one whose CSAT is 7
    client = login(world.users["client_admin"])
    rows = [json_row(1), json_row(2), json_row(3, csat=7)]
    # when it is posted
    response = _post(client, {"profile": "canonical-jsonl", "rows": rows})
    # then the run is recorded and the answer names the bad row, column and reason
    body = response.json()
    assert response.status_code == 201, body
    assert (body["read"], body["accepted"], body["rejected"], body["inserted"]) == (3, 2, 1, 2)
    assert body["rejected_rows"] == [{"row": 3, "column": "csat", "reason": body["rejected_rows"][0]["reason"]}]
    assert "above the maximum" in body["rejected_rows"][0]["reason"]
    assert lake.read_arrow("interactions").num_rows == 2
    assert IngestRun.objects.get().via == IngestRun.Via.API


def test_batch_above_ten_thousand_rows_is_refused_with_a_clear_message(world, login, lake):
    client = login(world.users["client_admin"])
    response = _post(client, {"profile": "canonical-jsonl", "rows": [json_row(i) for i in range(10_001)]})
    assert response.status_code == 413
    assert "at most 10000 rows" in response.json()["detail"]
    assert not IngestRun.objects.exists() and lake.version("interactions") is None


def test_batch_with_unknown_profile_is_a_404_and_not_a_list_is_a_400(world, login):
    client = login(world.users["client_admin"])
    # a name that matches nothing is answered like a URL that matches nothing (the schema documents it)
    response = _post(client, {"profile": "nope", "rows": []})
    assert response.status_code == 404 and "unknown profile 'nope'" in json.dumps(response.json())
    response = _post(client, {"profile": "canonical-jsonl", "rows": {"a": 1}})
    assert response.status_code == 400 and "rows" in response.json()["errors"]


def test_partner_batch_is_bound_to_their_provider(world, login, lake):
    # given partner A's lead sends one own row and one naming partner B
    client = login(world.users["partner_a_lead"])
    response = _post(client, {"profile": "canonical-jsonl", "rows": [json_row(1), json_row(2, provider="PB")]})
    body = response.json()
    # then B's row is rejected and the run is A's
    assert (body["accepted"], body["rejected"], body["provider"]) == (1, 1, "PA")
    assert body["rejected_rows"][0]["column"] == "provider"
    # and naming partner B as the provider of the batch is a 404, changing nothing
    before = IngestRun.objects.count()
    response = _post(client, {"profile": "canonical-jsonl", "provider": "PB", "rows": [json_row(3)]})
    assert response.status_code == 404 and IngestRun.objects.count() == before


def test_runs_api_is_scoped_to_the_partner(world, login, lake):
    # given one run of partner A
    _post(login(world.users["partner_a_lead"]), {"profile": "canonical-jsonl", "rows": [json_row(1)]})
    run = IngestRun.objects.get()
    # then A's lead and the client see it, B's lead does not
    for persona, visible in (("partner_a_lead", True), ("client_admin", True), ("partner_b_lead", False)):
        client = login(world.users[persona])
        listed = [r["id"] for r in client.get(reverse("ingest-run-list")).json()["results"]]
        detail = client.get(reverse("ingest-run-detail", args=[run.pk]))
        assert (run.pk in listed) is visible, persona
        assert detail.status_code == (200 if visible else 404), persona
    # and a viewer without the ingest capability gets a 403
    assert login(world.users["client_viewer"]).get(reverse("ingest-run-list")).status_code == 403


def test_another_partners_provider_code_and_an_unknown_one_get_the_same_answer(world, login, lake):
    # #9.11: "Not found" for B's real code and "No provider with code" for an unknown one told them apart
    client = login(world.users["partner_a_lead"])
    answers = []
    for code in ("PB", "QQ"):
        response = _post(client, {"profile": "canonical-jsonl", "provider": code, "rows": [json_row(1)]})
        answers.append((response.status_code, response.json()["detail"].replace(code, "?")))
    assert answers[0] == answers[1] and answers[0][0] == 404
    assert not IngestRun.objects.exists()


def test_a_profile_is_a_name_never_a_path_on_the_server(world, login, lake, tmp_path):
    # #9.3: a path to a JSON file on the server was opened and its keys echoed back
    secret = tmp_path / "secret.json"
    secret.write_text('{"admin": "hunter2", "table": "interactions"}')
    client = login(world.users["partner_a_lead"])
    for name in (str(secret), "../../etc/passwd.yaml", "no-such-profile"):
        response = _post(client, {"profile": name, "rows": [json_row(1)]})
        text = json.dumps(response.json())
        # then the same clear 404 as any unknown name, echoing nothing from disk
        assert response.status_code == 404 and "unknown profile" in text, text
        assert "admin" not in text and "hunter2" not in text
    assert lake.version("interactions") is None
