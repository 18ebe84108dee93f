"""Attachments on article versions: checked by their bytes, stored once per content, audited.

The type comes from the file's first bytes (``filetype``'s magic numbers), so a renamed executable
is refused whatever its name says; text and CSV have no magic number, so they are accepted only when
the name says so and the bytes are UTF-8 text without control characters.
"""

from __future__ import annotations

import hashlib
import os
import re

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from concord.accounts import access, audit
from concord.accounts.roles import Cap

from .models import Article, ArticleVersion, Attachment

#: sniffed MIME type -> what the page calls it
ALLOWED = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.ms-excel": "Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook",
    "application/vnd.ms-powerpoint": "PowerPoint deck",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint deck",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "text/plain": "plain text",
    "text/csv": "CSV",
}
_TEXT_EXTENSIONS = {".txt": "text/plain", ".csv": "text/csv"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+")


def max_bytes() -> int:
    return int(getattr(settings, "KNOWLEDGE_ATTACHMENT_MAX_MB", 10)) * 1024 * 1024


def sniff(name: str, head: bytes) -> str | None:
    """The allowed MIME type of a file from its first bytes (and, for text only, its name); None: refused."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime if kind.mime in ALLOWED else None
    text_type = _TEXT_EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if text_type is None:
        return None
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # a multibyte character cut at the end of the sample is fine
            return None
        decoded = head[: exc.start].decode("utf-8")
    return None if _CONTROL.search(decoded) else text_type


def clean_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    return _UNSAFE_NAME.sub("_", base)[:200] or "attachment"


def attach(*, user, article: Article, upload) -> Attachment:
    """Attach an uploaded file (anything with ``name``, ``size`` and ``chunks()``) to the article's current
    version. The same bytes twice give the one attachment already there."""
    access.require(user, Cap.EDIT_KNOWLEDGE)
    name = clean_name(getattr(upload, "name", ""))
    limit = max_bytes()
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationError({"file": f"{name}: the file is empty."})
    if size > limit:
        raise ValidationError(
            {"file": f"{name}: {size / 1024 / 1024:.1f} MB is over the {limit // 1024 // 1024} MB limit."}
        )
    digest, data = hashlib.sha256(), bytearray()
    for chunk in upload.chunks():
        digest.update(chunk)
        data += chunk
    content_type = sniff(name, bytes(data[:8192]))
    if content_type is None:
        allowed = "PDF, PNG, JPEG, GIF, plain text, CSV or Office documents"
        raise ValidationError({"file": f"{name}: this type of file is not accepted (allowed: {allowed})."})
    sha = digest.hexdigest()
    with transaction.atomic():
        version = ArticleVersion.objects.select_for_update().filter(article=article).order_by("-number").first()
        if version is None:
            raise ValidationError({"file": "The article has no version to attach to."})
        existing = version.attachments.filter(sha256=sha).first()
        if existing is not None:
            return existing
        attachment = Attachment(version=version, name=name, content_type=content_type, size=size, sha256=sha)
        attachment.created_by = user if user.pk else None
        stored = attachment.file.field.generate_filename(attachment, name)
        if attachment.file.storage.exists(stored):  # these bytes are stored already (another version)
            attachment.file.name = stored
        else:
            attachment.file.save(name, ContentFile(bytes(data)), save=False)
        attachment.save()
        audit.record(actor=user, action="create", instance=attachment, before=None, after=_snapshot(attachment))
    return attachment


def remove(*, user, attachment: Attachment) -> None:
    """Take an attachment off the current version; older versions keep theirs (and the stored file)."""
    access.require(user, Cap.EDIT_KNOWLEDGE)
    if attachment.version.article.current.pk != attachment.version_id:
        raise ValidationError(
            "Only the current version's attachments can be removed; older versions stay as published."
        )
    with transaction.atomic():
        audit.record(actor=user, action="delete", instance=attachment, before=_snapshot(attachment), after=None)
        attachment.delete()


def _snapshot(attachment: Attachment) -> dict:
    return audit.snapshot(attachment) | {"file": attachment.file.name}  # the stored path, not the file object


def carry_over(*, previous: ArticleVersion | None, version: ArticleVersion) -> None:
    """A new version starts with the previous version's attachments (the same stored files)."""
    if previous is None:
        return
    Attachment.objects.bulk_create([
        Attachment(version=version, name=a.name, content_type=a.content_type, size=a.size, sha256=a.sha256,
                   file=a.file.name, created_by=a.created_by)
        for a in previous.attachments.all()
    ])  # fmt: skip
