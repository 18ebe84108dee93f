"""Every change to the knowledge base: keyword-only, the acting user, one transaction, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from concord.accounts import access, audit
from concord.accounts.roles import Cap
from concord.providers.models import Agent, ContactType, Program

from . import attachment_services, markdown, search
from . import audience as audiences
from .models import Acknowledgement, Article, ArticleVersion
from .search import text

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")


@dataclass(frozen=True)
class ArticleInput:
    """One input schema for publishing, shared by the page, the API and ``concord knowledge import``."""

    slug: str
    title: str
    body: str
    contact_type: str = ""  # a contact type code of the program, or empty
    note: str = ""
    requires_ack: bool = False
    audience: dict | None = None
    ack_due_days: int = 7
    review_by: dt.date | None = None

    def checked(self) -> ArticleInput:
        errors: dict[str, str] = {}
        if not _SLUG.match(self.slug or ""):
            errors["slug"] = "Slug must be lower-case letters, digits and hyphens (e.g. refund-a-damaged-item)."
        if not (self.title or "").strip():
            errors["title"] = "Give the article a title."
        elif len(self.title) > 200:
            errors["title"] = "Title must be at most 200 characters."
        if not (self.body or "").strip():
            errors["body"] = "The article has no text."
        if not 1 <= int(self.ack_due_days) <= 90:
            errors["ack_due_days"] = "Acknowledgement due must be between 1 and 90 days."
        try:
            cleaned = audiences.clean(self.audience)
        except audiences.AudienceError as exc:
            errors["audience"] = str(exc)
            cleaned = {}
        if errors:
            raise ValidationError(errors)
        return ArticleInput(**{**self.__dict__, "title": self.title.strip(), "audience": cleaned})

    def digest(self) -> str:
        payload = [self.title, self.body, self.contact_type, self.requires_ack, self.audience or {}, self.ack_due_days]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Published:
    version: ArticleVersion
    created: bool  # False: the same content was already the current version


def publish(*, user, program: Program, data: ArticleInput) -> Published:
    """Create the article or give it a new version; publishing the same content again changes nothing."""
    access.require(user, Cap.EDIT_KNOWLEDGE)
    data = data.checked()
    contact_type = None
    if data.contact_type:
        contact_type = ContactType.objects.filter(program=program, code=data.contact_type).first()
        if contact_type is None:
            raise ValidationError(
                {"contact_type": f"Program {program.code} has no contact type {data.contact_type!r}."}
            )
    digest = data.digest()
    with transaction.atomic():
        article, created_article = Article.objects.select_for_update().get_or_create(
            program=program, slug=data.slug, defaults={"owner": user if user.pk else None}
        )
        current = article.current
        if current is not None and current.digest == digest:
            return Published(current, created=False)
        if created_article:
            audit.record(actor=user, action="create", instance=article, before=None, after=audit.snapshot(article))
        heading_lines = "\n".join(text.headings(data.body))
        version = ArticleVersion.objects.create(
            article=article,
            number=(current.number + 1) if current else 1,
            title=data.title,
            body=data.body,
            html=markdown.render(data.body),
            headings=heading_lines,
            terms=text.term_counts(title=data.title, headings_text=heading_lines, body=data.body),
            length=len(text.words(data.body)),
            digest=digest,
            note=data.note[:300],
            requires_ack=data.requires_ack,
            audience=data.audience or {},
            ack_due_days=data.ack_due_days,
            created_by=user if user.pk else None,
        )
        article.contact_type = contact_type
        if data.review_by:
            article.review_by = data.review_by
        elif article.review_by is None:
            article.review_by = timezone.localdate() + dt.timedelta(days=180)
        article.save(update_fields=["contact_type", "review_by"])
        search.engine.index_version(version)
        attachment_services.carry_over(previous=current, version=version)
        audit.record(
            actor=user,
            action="create",
            instance=version,
            before=None,
            after=audit.snapshot(version) | {"terms": None, "html": None},
        )
        return Published(version, created=True)


def acknowledge(
    *,
    user,
    version: ArticleVersion,
    agent: Agent | None = None,
    via: str = Acknowledgement.Via.PAGE,
    at: dt.datetime | None = None,
) -> Acknowledgement:
    """The agent has read this version. Without ``agent``, the logged-in agent themself.

    A partner's lead or trainer (or its LMS, through the API) records it for their own agents only.
    Acknowledging twice keeps the first time.
    """
    if agent is None:
        agent = access.own_agent(user)
    else:
        access.require_for_provider(user, Cap.RECORD_ACKNOWLEDGEMENTS, agent.provider_id)
    if not version.requires_ack:
        raise ValidationError("This version does not ask for an acknowledgement.")
    if version.article.current.pk != version.pk:
        raise ValidationError("A newer version of this article exists: read and acknowledge that one.")
    if not version.article.program.providers.filter(pk=agent.provider_id).exists():
        raise PermissionDenied("This article is for a program your team does not serve.")
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5) or at < version.created_at:
        raise ValidationError({"acknowledged_at": "An acknowledgement time must lie between publication and now."})
    existing = Acknowledgement.objects.filter(version=version, agent=agent).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(
                version=version,
                agent=agent,
                provider_id=agent.provider_id,
                acknowledged_at=at,
                hours_to_acknowledge=(at - version.created_at).total_seconds() / 3600,
                recorded_by=user if user.pk else None,
                via=via,
            )
            audit.record(actor=user, action="create", instance=ack, before=None, after=audit.snapshot(ack))
    except IntegrityError:  # a concurrent click: the first one stands
        return Acknowledgement.objects.get(version=version, agent=agent)
    return ack
