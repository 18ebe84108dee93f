"""Evidence on a dispute: only files whose content is a PDF, PNG, JPEG, XLSX or CSV without
macros or scripts, stored in the database and served only to those who see the statement.

File signatures from the format specifications: PNG's 8 bytes (RFC 2083, 3.1), JPEG's SOI
marker FF D8 followed by a marker FF (ITU T.81, B.1.1.3), PDF's ``%PDF-`` header (ISO 32000-1,
7.5.2); an XLSX is an OPC package with ``[Content_Types].xml`` (ECMA-376 part 2) written
here by openpyxl, an independent writer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from concord.contracts import attachments, month_close, services
from concord.contracts.models import Dispute, DisputeAttachment, Statement, StatementEvent

MAY = dt.date(2026, 5, 1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CSV = "date,calls held\n2026-05-20,42\nSão Paulo,7\n".encode()


def _xlsx(extra: dict[str, bytes] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["date", "calls held"])
    buf = io.BytesIO()
    wb.save(buf)
    if not extra:
        return buf.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        for name, data in extra.items():
            dst.writestr(name, data)
    return out.getvalue()


def _file(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("hold-times.png", PNG, "image/png"),
        ("screen.JPG", JPEG, "image/jpeg"),
        ("carrier-report.pdf", PDF, "application/pdf"),
        ("queue.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("queue.csv", CSV, "text/csv"),
    ],
    # named by file: a workbook's bytes hold the second it was written, and test workers that collected in
    # different seconds disagreed on the ids (pytest-xdist then refuses the whole run)
    # named, not shown: a workbook's bytes hold the second it was written, so test workers collecting in different
    # seconds disagreed on the ids and pytest-xdist refused the whole run
    ids=["png", "jpeg", "pdf", "xlsx", "csv"],
)
def test_each_allowed_type_is_recognised_by_its_content(name, data, content_type):
    (checked,) = attachments.check_files([_file(name, data)])
    assert (checked.name, checked.content_type, checked.data) == (name, content_type, data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("report.pdf", PNG, "the content is PNG"),  # a renamed file: the name must agree with the content
        ("setup.pdf", b"MZ\x90\x00" + bytes(60), "not a PDF, PNG, JPEG, Excel (.xlsx) or CSV file"),
        ("macro.xlsx", _xlsx({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "holds macros"),
        ("empty.csv", b"", "the file is empty"),
        ("notes.xlsx", b"PK\x03\x04" + bytes(30), "not a readable Excel workbook"),
        ("script.pdf", PDF.replace(b"/Catalog", b"/Catalog /OpenAction << /S /JavaScript /JS (x) >>"), "active"),
        ("latin1.csv", "Müller;3\n".encode("latin-1"), "not a PDF"),
    ],
    ids=["renamed-png", "executable", "xlsx-with-macros", "empty-csv", "broken-xlsx", "pdf-with-javascript",
         "latin1-csv"],
)  # fmt: skip
def test_other_files_are_refused_naming_the_file_and_the_reason(name, data, says):
    with pytest.raises(ValidationError) as exc:
        attachments.check_files([_file(name, data)])
    (message,) = exc.value.message_dict["attachments"]
    assert message.startswith(f"{name}: ") and says in message


def test_a_plain_zip_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError, match="a ZIP file but not an Excel"):
        attachments.check_files([_file("data.xlsx", buf.getvalue())])


def test_size_and_count_limits(settings):
    big = b"%PDF-1.4\n" + b"0" * attachments.MAX_BYTES
    with pytest.raises(ValidationError, match=r"big\.pdf: 5,242,889 bytes; a file may have at most 5,242,880"):
        attachments.check_files([_file("big.pdf", big)])
    with pytest.raises(ValidationError, match="Attach at most 5 files"):
        attachments.check_files([_file(f"{i}.png", PNG) for i in range(6)])
    # a folder path or control characters in the name never reach the page
    (checked,) = attachments.check_files([_file("..\\..\\evil\x07.csv", CSV)])
    assert checked.name == "evil.csv"


def _state():
    return (
        list(Statement.objects.values_list("status", flat=True)),
        Dispute.objects.count(),
        DisputeAttachment.objects.count(),
        StatementEvent.objects.count(),
    )


def test_the_partner_attaches_evidence_only_it_and_the_client_can_download(world, lake_uri, contract_a, login):
    admin_user = world.users["client_admin"]
    services.compute_month(actor=admin_user, contract=contract_a, period=MAY)
    month_close.close_month(actor=admin_user, contract=contract_a, period=MAY)
    asa = contract_a.slas.get(name="ASA")
    url = f"/contracts/{contract_a.pk}/statement/"
    partner = login(world.users["partner_a_lead"])
    form = {"period": "2026-05", "lines": [asa.pk], "reason": "Carrier outage held calls"}
    # a refused file refuses the whole dispute: nothing is recorded
    before = _state()
    response = partner.post(f"{url}dispute/", {**form, "attachments": [_file("setup.pdf", b"MZ" + bytes(60))]})
    assert response.status_code == 302 and _state() == before
    page = partner.get(url, {"period": "2026-05"}).content.decode()
    assert "setup.pdf: not a PDF, PNG, JPEG, Excel (.xlsx) or CSV file." in page
    # two good files
    files = [_file("carrier-report.pdf", PDF), _file("queue.csv", CSV)]
    assert partner.post(f"{url}dispute/", {**form, "attachments": files}).status_code == 302
    stored = {a.name: a for a in DisputeAttachment.objects.all()}
    assert set(stored) == {"carrier-report.pdf", "queue.csv"}
    assert stored["queue.csv"].size == len(CSV) and stored["queue.csv"].uploaded_by_name == "partner_a_lead"
    assert StatementEvent.objects.order_by("pk").last().text.endswith("(2 files attached)")
    # both sides list and download them, as downloads of the sniffed type
    for user in ("partner_a_lead", "client_admin"):
        client = login(world.users[user])
        assert "carrier-report.pdf" in client.get(url, {"period": "2026-05"}).content.decode()
        got = client.get(f"/contracts/disputes/attachments/{stored['carrier-report.pdf'].pk}/")
        assert got.status_code == 200 and got.content == PDF and got["Content-Type"] == "application/pdf"
        assert got["Content-Disposition"].startswith("attachment;") and got["X-Content-Type-Options"] == "nosniff"
    api = login(world.users["partner_a_lead"]).get(f"/api/contracts/{contract_a.pk}/statement/?period=2026-05")
    listed = api.json()["disputes"][0]["attachments"]
    assert [(a["name"], a["size"]) for a in listed] == [("carrier-report.pdf", len(PDF)), ("queue.csv", len(CSV))]
    # another partner sees nothing of it
    other = login(world.users["partner_b_lead"])
    assert other.get(f"/contracts/disputes/attachments/{stored['queue.csv'].pk}/").status_code == 404
    # the printed statement (the PDF's HTML) names the dispute and its evidence
    from concord.contracts import pdf, selectors

    printed = pdf.statement_html(selectors.statement(world.users["partner_a_lead"], contract_a, MAY))
    assert "disputed ASA: Carrier outage held calls (evidence: carrier-report.pdf, queue.csv). Open." in printed
