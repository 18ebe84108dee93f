"""Reads of attachments: only through the article, so the article's audience rule decides who gets a file."""

from __future__ import annotations

from django.http import Http404

from . import selectors
from .models import Article, Attachment


def of_version(*, user, article: Article, number: int | None = None) -> list[Attachment]:
    """The attachments of one version of an article the user may read (the current one by default)."""
    found = selectors.article(user, article.pk)  # 404 for an article outside the user's audience
    version = found.current if number is None else selectors.version(user, article=found, number=number)
    return list(version.attachments.all())


def attachment(*, user, pk: int) -> Attachment:
    """One attachment, or 404 when it does not exist or its article is one the user may not read."""
    found = Attachment.objects.select_related("version__article").filter(pk=pk).first()
    if found is None:
        raise Http404("No such attachment.")
    selectors.article(user, found.version.article_id)
    return found
