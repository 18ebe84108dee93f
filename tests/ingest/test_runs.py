"""Upload -> background task -> run page; quarantine; partner binding; the same file twice; retry."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from django.urls import reverse

from concord.ingest import profile_services, services
from concord.ingest.engine.readers import estimate_rows
from concord.ingest.models import IngestRun

from .conftest import csv_bytes, row, upload


def _upload(client, data: bytes, *, name="export.csv", profile="canonical-csv", capture=None, **extra):
    with capture(execute=True):
        return client.post(reverse("ingest:upload"), {"file": upload(name, data), "profile": profile, **extra})


def test_upload_runs_in_the_background_and_the_run_page_shows_counts(
    world, login, lake, django_capture_on_commit_callbacks
):
    # given a client admin and a file with two good rows and one with a CSAT of 9
    client = login(world.users["client_admin"])
    data = csv_bytes(row(1), row(2), row(3, csat="9"))
    # when they upload it
    response = _upload(client, data, capture=django_capture_on_commit_callbacks)
    # then they land on the run page, the task ran, and read = accepted + rejected
    run = IngestRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ingest:run", args=[run.pk])
    assert run.status == IngestRun.Status.SUCCEEDED, run.error_message
    assert (run.read, run.accepted, run.rejected, run.inserted) == (3, 2, 1, 2)
    assert run.version_before is None and run.version_after == 0
    assert lake.read_arrow("interactions").num_rows == 2
    page = client.get(response["Location"]).content.decode()
    assert "3 = 2 accepted + 1 rejected" in page
    assert reverse("ingest:quarantine", args=[run.pk]) in page
    assert "csat" in page and "above the maximum" in page
    # and the list shows the run
    listing = client.get(reverse("ingest:runs")).content.decode()
    assert "export.csv" in listing and "Succeeded" in listing


def test_quarantine_download_holds_the_rejected_row_with_row_column_reason(
    world, login, django_capture_on_commit_callbacks
):
    # given a run with one rejected row
    client = login(world.users["client_admin"])
    _upload(client, csv_bytes(row(1), row(2, wait="-3")), capture=django_capture_on_commit_callbacks)
    run = IngestRun.objects.get()
    # when the quarantine file is downloaded
    response = client.get(reverse("ingest:quarantine", args=[run.pk]))
    # then it is the input row plus _row, _column, _reason
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    header, line = body.strip().splitlines()
    assert header.endswith('"_row","_column","_reason"') or header.endswith("_row,_column,_reason")
    assert "T2" in line and "wait_seconds" in line and "below the minimum" in line
    # and another partner cannot fetch it
    other = login(world.users["partner_b_lead"])
    assert other.get(reverse("ingest:quarantine", args=[run.pk])).status_code == 404


def test_partner_upload_is_bound_to_their_provider_and_hidden_from_others(
    world, login, lake, django_capture_on_commit_callbacks
):
    # given partner A's lead uploads rows, one of which names partner B
    client = login(world.users["partner_a_lead"])
    _upload(client, csv_bytes(row(1), row(2, provider="PB", site="PB-S1", agent="PB-001")),
            capture=django_capture_on_commit_callbacks)
    # then the run is bound to A and B's row is rejected, naming the binding
    run = IngestRun.objects.get()
    assert run.provider == world.partner_a
    assert (run.accepted, run.rejected) == (1, 1)
    assert any("bound to provider 'PA'" in r["reason"] for r in run.rejections)
    assert set(lake.read_arrow("interactions").column("provider").to_pylist()) == {"PA"}
    # and partner B's lead cannot see it at all
    other = login(world.users["partner_b_lead"])
    for name in ("ingest:run", "ingest:run-status", "ingest:quarantine"):
        assert other.get(reverse(name, args=[run.pk])).status_code == 404
    assert "export.csv" not in other.get(reverse("ingest:runs")).content.decode()


def test_partner_cannot_bind_an_upload_to_another_provider(world, partner_a_lead):
    # when partner A's lead asks the service to bind a run to partner B
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.http import Http404

    with pytest.raises(Http404):
        services.start_upload(actor=partner_a_lead, uploaded_file=SimpleUploadedFile("x.csv", csv_bytes(row(1))),
                              profile_name="canonical-csv", provider=world.partner_b)
    # then nothing was recorded
    assert not IngestRun.objects.exists()


def test_the_same_file_twice_changes_nothing(world, login, lake, django_capture_on_commit_callbacks):
    # given a file already ingested
    client = login(world.users["client_admin"])
    data = csv_bytes(row(1), row(2))
    _upload(client, data, capture=django_capture_on_commit_callbacks)
    # when the very same file is uploaded again
    _upload(client, data, capture=django_capture_on_commit_callbacks)
    first, second = IngestRun.objects.order_by("pk")
    # then the second run inserts nothing, makes no new version, and says it saw that file before
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 2)
    assert second.version_before == second.version_after == first.version_after
    assert second.file_sha256 == first.file_sha256
    assert lake.version("interactions") == first.version_after
    page = client.get(reverse("ingest:run", args=[second.pk])).content.decode()
    assert "nothing new to commit" in page and f"#{first.pk}" in page


def test_a_run_that_broke_is_marked_failed_and_completes_when_run_again(
    world, client_admin, lake, monkeypatch, tmp_path
):
    # given an upload whose worker dies inside the engine
    from django.core.files.uploadedfile import SimpleUploadedFile

    run = services.start_upload(actor=client_admin, uploaded_file=SimpleUploadedFile("a.csv", csv_bytes(row(1))),
                                profile_name="canonical-csv")

    def boom(*args, **kwargs):
        raise OSError("disk full\nsecond line")

    monkeypatch.setattr(services, "ingest_file", boom)
    with pytest.raises(OSError):
        services.run_ingest(run.pk)
    run.refresh_from_db()
    # then the run is failed with one line, and the lake is untouched
    assert run.status == IngestRun.Status.FAILED
    assert run.error_message == "OSError: disk full second line"
    assert lake.version("interactions") is None
    # when it runs again with a healthy engine, it completes
    monkeypatch.undo()
    run = services.run_ingest(run.pk)
    assert run.status == IngestRun.Status.SUCCEEDED and run.inserted == 1


def test_retry_button_queues_a_failed_upload_again(world, login, lake, django_capture_on_commit_callbacks):
    # given a failed upload
    client = login(world.users["client_admin"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    run = services.start_upload(actor=world.users["client_admin"],
                                uploaded_file=SimpleUploadedFile("a.csv", csv_bytes(row(1))),
                                profile_name="canonical-csv")
    IngestRun.objects.filter(pk=run.pk).update(status=IngestRun.Status.FAILED, error_message="killed")
    # when "run it again" is pressed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ingest:run-retry", args=[run.pk]))
    # then the task ran to completion
    run.refresh_from_db()
    assert response.status_code == 302
    assert run.status == IngestRun.Status.SUCCEEDED and run.accepted == 1


def test_a_running_run_with_no_sign_of_life_is_marked_failed(world, client_admin):
    # given a run left "running" by a process killed two minutes ago (it beats every 10 s while alive)
    import datetime as dt

    from django.utils import timezone

    run = IngestRun.objects.create(started_by_name="x", via="upload", file_name="a.csv", profile_name="canonical-csv",
                                   status=IngestRun.Status.RUNNING)
    IngestRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=2))
    # when anyone looks at the runs
    assert services.fail_stale_runs() == 1
    run.refresh_from_db()
    # then it is failed, with what to do
    assert run.status == IngestRun.Status.FAILED and "started again" in run.error_message


def test_run_page_polls_while_running_and_stops_when_done(world, login):
    # given a queued run
    client = login(world.users["client_admin"])
    run = IngestRun.objects.create(started_by_name="x", via="upload", file_name="a.csv", profile_name="canonical-csv",
                                   progress_rows=500, progress_bytes=50, progress_total_bytes=200)
    # then its page polls the status partial every second and shows a labelled progress bar
    page = client.get(reverse("ingest:run", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and reverse("ingest:run-status", args=[run.pk]) in page
    assert '<label for="run-progress">' in page and '<progress id="run-progress" max="100" value="25">' in page
    # when it has finished, the partial no longer polls
    IngestRun.objects.filter(pk=run.pk).update(status=IngestRun.Status.SUCCEEDED)
    partial = client.get(reverse("ingest:run-status", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and "<html" not in partial


def test_upload_page_offers_saved_profiles_and_providers_to_client_users_only(world, login, client_admin):
    # given a saved profile
    profile_services.saved_profile_create(actor=client_admin, name="my-feed",
                                  definition={"table": "interactions", "columns": {"external_id": "id"}})
    # then a client user sees it and a provider select; a partner sees it but no provider select
    page = login(client_admin).get(reverse("ingest:upload")).content.decode()
    assert "my-feed" in page and 'name="provider"' in page and '<label for="id_file">' in page
    page = login(world.users["partner_a_lead"]).get(reverse("ingest:upload")).content.decode()
    assert "my-feed" in page and 'name="provider"' not in page


def test_bad_profile_name_is_refused_with_the_known_names(world, login):
    client = login(world.users["client_admin"])
    response = client.post(reverse("ingest:upload"), {"file": upload("a.csv", csv_bytes(row(1))), "profile": "nope"})
    assert response.status_code == 400 and not IngestRun.objects.exists()


def test_progress_counts_rows_against_an_estimate_from_the_file_start():
    # given a file whose first lines average 10 bytes, 1,000 bytes long
    head = b"h,eader,xx\n" + b"a,b,c,def\n" * 20
    # then it probably holds about 99 data rows, and a run halfway through shows 50%, never 100% before the end
    assert estimate_rows(head, 1000) in range(95, 100)
    run = IngestRun(status=IngestRun.Status.RUNNING, progress_rows=50, progress_total_rows=100,
                    progress_bytes=1000, progress_total_bytes=1000)
    assert run.percent == 50
    run.progress_rows = 140
    assert run.percent == 99


@pytest.mark.django_db(transaction=True)
def test_a_worker_run_outside_a_transaction_records_progress_from_its_flusher_thread(world, monkeypatch, tmp_path):
    # given a run as the worker sees it (no transaction around it), and progress that comes from another thread
    import threading

    from concord.accounts.models import User
    from concord.accounts.roles import Role

    admin = User.objects.create(username="w", role=Role.CLIENT_ADMIN)
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes(row(1), row(2)))
    real = services.ingest_file
    monkeypatch.setattr(services, "PROGRESS_EVERY", 0.05)

    def slow(*args, progress=None, **kwargs):
        worker = threading.Thread(target=progress, args=(1, 10, 20))  # like the lake writer's thread
        worker.start()
        worker.join()
        import time

        time.sleep(0.3)  # the flusher writes meanwhile
        seen.append(IngestRun.objects.values_list("progress_rows", flat=True).get())
        return real(*args, progress=progress, **kwargs)

    seen = []
    monkeypatch.setattr(services, "ingest_file", slow)
    # when it runs
    run = services.ingest_path(actor=admin, path=path, profile_name="canonical-csv")
    # then the page could see its progress while it ran, and it finished
    assert seen == [1]
    assert run.status == IngestRun.Status.SUCCEEDED and run.read == 2


def test_a_parquet_upload_expects_exactly_the_rows_its_footer_holds(world, login, django_capture_on_commit_callbacks):
    # given a Parquet export of 7 rows (its footer counts them; no line estimate applies to Parquet)
    table = pacsv.read_csv(pa.BufferReader(csv_bytes(*(row(i) for i in range(7)))))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    client = login(world.users["client_admin"])
    # when it is uploaded
    _upload(client, sink.getvalue().to_pybytes(), name="export.parquet", profile="canonical-parquet",
            capture=django_capture_on_commit_callbacks)
    # then the run expected 7 rows and read them all
    run = IngestRun.objects.get()
    assert run.status == IngestRun.Status.SUCCEEDED, run.error_message
    assert (run.progress_total_rows, run.read, run.accepted) == (7, 7, 7)


def test_a_run_that_rejects_every_row_is_failed_on_the_page(world, login, lake, django_capture_on_commit_callbacks):
    # given an upload whose every row is bad (#10.4)
    client = login(world.users["client_admin"])
    data = csv_bytes(row(1, created="yesterday"), row(2, csat="9"), row(3, csat="0"))
    _upload(client, data, capture=django_capture_on_commit_callbacks)
    run = IngestRun.objects.get()
    # then the run page and the list say it failed, with the count, and never "Succeeded"
    for url in (reverse("ingest:run", args=[run.pk]), reverse("ingest:runs")):
        page = client.get(url).content.decode()
        assert "Failed: 0 of 3 rows accepted" in page and "Succeeded" not in page


def test_upload_page_takes_profiles_by_name_only(world, login, lake, tmp_path):
    # #9.3: the upload page refuses a path as a profile with a 400 and reads nothing from disk
    secret = tmp_path / "secret.json"
    secret.write_text('{"admin": "hunter2"}')
    client = login(world.users["client_admin"])
    response = client.post(reverse("ingest:upload"), {"file": upload("a.csv", csv_bytes(row(1))),
                                                      "profile": str(secret)})
    assert response.status_code == 400 and b"hunter2" not in response.content and b"admin\"" not in response.content
    assert not IngestRun.objects.exists()


def test_upload_above_the_size_limit_is_refused_with_a_clear_message(world, login, lake, settings):
    # #9.11: no upload size limit; now a setting, with a message naming the sizes
    settings.INGEST_MAX_UPLOAD_MB = 1
    client = login(world.users["client_admin"])
    big = csv_bytes(*[row(i) for i in range(12_000)])
    assert len(big) > 1_000_000
    response = client.post(reverse("ingest:upload"), {"file": upload("big.csv", big), "profile": "canonical-csv"})
    page = response.content.decode()
    assert response.status_code == 400 and "up to 1 MB" in page and "big.csv is 1." in page
    assert not IngestRun.objects.exists()


def test_a_long_file_without_line_breaks_is_not_called_empty(world, tmp_path, lake):
    # #9.11: 50 MB without a newline was reported as "the file is empty"
    from concord.ingest.engine.run import ingest_file

    path = tmp_path / "one-line.csv"
    with path.open("wb") as fh:
        fh.write(b"a," * 25_000_000)
    result = ingest_file(path, "canonical-csv", lake)
    assert result.errors and "empty" not in result.errors[0] and "no line break" in result.errors[0]
    short = tmp_path / "header-only.csv"
    short.write_bytes(b"source,external_id")
    assert "single line and no data rows" in ingest_file(short, "canonical-csv", lake).errors[0]
