"""Attachments for the access matrix: one on the article partner A's people read, one on partner B's only."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from .knowledge_objects import _knowledge_articles

_PDF = b"%PDF-1.4\n%%EOF\n"


def _knowledge_attachments(w):
    from concord.knowledge import attachment_services

    own, other = _knowledge_articles(w)
    admin = w.users["client_admin"]
    return tuple(
        attachment_services.attach(user=admin, article=a, upload=SimpleUploadedFile("guide.pdf", _PDF))
        for a in (own, other)
    )  # attaching the same bytes again returns the one already there


def _attachment_upload_post(w, obj=None):
    return {"file": SimpleUploadedFile("job-aid.txt", b"Check the order number first.\n")}
