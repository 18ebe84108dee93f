"""Attachments on article versions: type by content, size limit, audience-checked download, carried over."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concord.accounts.models import AuditEntry
from concord.knowledge import attachment_services
from concord.knowledge.models import Attachment

# The PNG signature and IHDR chunk of a 1x1 image (PNG spec, section 5.2/11.2.2), the PDF header line
# (ISO 32000-1, 7.5.2) and the DOS "MZ" header every Windows executable starts with.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 16
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _file(name, data):
    return SimpleUploadedFile(name, data)


@pytest.fixture
def article(publish):
    return publish("refunds", "Refunds", "# Steps\n\nRefund the order.", requires_ack=True).article


def test_upload_on_the_edit_page_then_download_as_an_attachment_that_is_never_sniffed(world, login, article):
    page = login(world.users["client_admin"]).get(reverse("knowledge:edit", kwargs={"pk": article.pk}))
    assert b'enctype="multipart/form-data"' in page.content
    response = login(world.users["client_admin"]).post(
        reverse("knowledge:attachment-upload", kwargs={"pk": article.pk}), {"file": _file("card.png", PNG)}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.content_type, attachment.size) == ("card.png", "image/png", len(PNG))
    assert attachment.sha256 == hashlib.sha256(PNG).hexdigest()
    assert AuditEntry.objects.filter(object_type="knowledge.attachment", action="create").count() == 1

    agent = login(world.users["partner_a_agent"])
    assert b"card.png" in agent.get(reverse("knowledge:article", kwargs={"pk": article.pk})).content
    got = agent.get(reverse("knowledge:attachment", kwargs={"pk": attachment.pk}))
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PNG
    assert got["Content-Type"] == "image/png"
    assert got["Content-Disposition"].startswith("attachment;") and "card.png" in got["Content-Disposition"]
    assert got["X-Content-Type-Options"] == "nosniff"


def test_a_partner_outside_the_audience_gets_404_for_the_file_and_its_list(world, login, publish, client):
    article = publish("b-only", "For B", "Text.", audience={"providers": ["PB"]}).article
    attachment = attachment_services.attach(
        user=world.users["client_admin"], article=article, upload=_file("a.pdf", PDF)
    )
    url = reverse("knowledge:attachment", kwargs={"pk": attachment.pk})
    api = reverse("knowledge-attachment-list", kwargs={"pk": article.pk})
    for persona in ("partner_a_lead", "partner_a_agent"):
        login(world.users[persona])
        assert client.get(url).status_code == 404, persona
        assert client.get(api).status_code == 404, persona
    login(world.users["partner_b_lead"])
    assert client.get(url).status_code == 200
    assert [row["name"] for row in client.get(api).json()] == ["a.pdf"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.pdf", b"", "the file is empty"),
        ("setup.pdf", EXE, "not accepted"),  # an executable renamed to .pdf: the bytes decide
        ("notes.txt", b"line one\x00\x01binary", "not accepted"),  # control bytes are not plain text
        ("page.html", b"<html><script>alert(1)</script></html>", "not accepted"),
        ("big.pdf", PDF + b"0" * (1024 * 1024), "over the 1 MB limit"),
    ],
)
def test_bad_files_are_refused_naming_the_file_and_reason_and_nothing_is_stored(
    world, login, article, settings, name, data, reason
):
    settings.KNOWLEDGE_ATTACHMENT_MAX_MB = 1
    client = login(world.users["client_admin"])
    api = reverse("knowledge-attachment-list", kwargs={"pk": article.pk})
    response = client.post(api, {"file": _file(name, data)})
    assert response.status_code == 400
    assert name in response.content.decode() and reason in response.content.decode()
    page = client.post(reverse("knowledge:attachment-upload", kwargs={"pk": article.pk}), {"file": _file(name, data)},
                       follow=True)  # fmt: skip
    assert f"{name}: " in page.content.decode() and reason in page.content.decode()
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "knowledge").exists()


def test_api_upload_needs_a_file_field(world, login, article):
    response = login(world.users["client_admin"]).post(reverse("knowledge-attachment-list", kwargs={"pk": article.pk}))
    assert response.status_code == 400 and "'file'" in response.content.decode()


def test_text_and_csv_are_accepted_by_name_only_when_the_bytes_are_text(world, article):
    admin = world.users["client_admin"]
    csv = attachment_services.attach(
        user=admin, article=article, upload=_file("codes.csv", b"code,meaning\nR1,refund\n")
    )
    txt = attachment_services.attach(user=admin, article=article, upload=_file("script.txt", "Say: “sorry”".encode()))
    renamed = attachment_services.attach(user=admin, article=article, upload=_file("image.txt", PNG))
    assert (csv.content_type, txt.content_type, renamed.content_type) == ("text/csv", "text/plain", "image/png")


def test_the_same_file_twice_is_one_attachment_and_the_api_says_so(world, login, article):
    client = login(world.users["client_admin"])
    url = reverse("knowledge-attachment-list", kwargs={"pk": article.pk})
    first = client.post(url, {"file": _file("guide.pdf", PDF)})
    again = client.post(url, {"file": _file("guide-copy.pdf", PDF)})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Attachment.objects.count() == 1


def test_a_new_version_carries_attachments_unless_removed_and_old_versions_keep_theirs(world, publish, article):
    admin = world.users["client_admin"]
    pdf = attachment_services.attach(user=admin, article=article, upload=_file("guide.pdf", PDF))
    attachment_services.attach(user=admin, article=article, upload=_file("card.png", PNG))
    v2 = publish("refunds", "Refunds", "# Steps\n\nRefund the order within 14 days.", requires_ack=True)
    assert sorted(a.name for a in v2.attachments.all()) == ["card.png", "guide.pdf"]
    assert v2.attachments.get(name="guide.pdf").file.name == pdf.file.name  # the bytes are stored once
    with pytest.raises(Exception, match="current version"):
        attachment_services.remove(user=admin, attachment=pdf)  # v1's: history stays as published
    attachment_services.remove(user=admin, attachment=v2.attachments.get(name="guide.pdf"))
    v3 = publish("refunds", "Refunds", "# Steps\n\nRefund within 14 days; tell the customer.", requires_ack=True)
    assert [a.name for a in v3.attachments.all()] == ["card.png"]
    assert sorted(a.name for a in pdf.version.attachments.all()) == ["card.png", "guide.pdf"]
    assert pdf.file.storage.exists(pdf.file.name)


def test_only_knowledge_editors_upload_and_another_partners_article_is_404(world, login, publish, client):
    shared = publish("shared", "Shared", "Text.").article
    b_only = publish("b-steps", "B", "Text.", program=world.program_b_only).article
    for persona, article, expected in (
        ("partner_a_lead", shared, 403),
        ("client_viewer", shared, 403),
        ("partner_a_lead", b_only, 404),
    ):
        login(world.users[persona])
        for url in (
            reverse("knowledge:attachment-upload", kwargs={"pk": article.pk}),
            reverse("knowledge-attachment-list", kwargs={"pk": article.pk}),
        ):
            assert client.post(url, {"file": _file("a.pdf", PDF)}).status_code == expected, (persona, url)
    assert not Attachment.objects.exists()
