"""Articles, their versions, and who acknowledged which version.

An article's content lives in its versions: an edit makes a new version, never changes an old
one, so "who acknowledged what" keeps meaning what it said. Acknowledgements are by roster agent
(the person doing the work), recorded by whoever clicked or by a partner's LMS through the API.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Article(models.Model):
    program = models.ForeignKey("providers.Program", on_delete=models.PROTECT, related_name="articles")
    contact_type = models.ForeignKey(
        "providers.ContactType", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    slug = models.SlugField(max_length=120)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_by = models.DateField(null=True, blank=True, help_text="Date by which the owner re-reads the article.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program__name", "slug"]
        constraints = [models.UniqueConstraint(fields=["program", "slug"], name="article_slug_unique_per_program")]

    def __str__(self) -> str:
        current = self.current
        return current.title if current else self.slug

    @property
    def current(self) -> ArticleVersion | None:
        return self.versions.order_by("-number").first()


class ArticleVersion(models.Model):
    """The article as published at one point; never edited once made."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    html = models.TextField(help_text="The body rendered and sanitised once, at publication.")
    headings = models.TextField(blank=True, help_text="The body's headings, one per line: they weigh more in search.")
    #: stem -> count per field ("t" title, "h" headings, "b" body): what ranking reads
    terms = models.JSONField(default=dict)
    length = models.PositiveIntegerField(default=0, help_text="Words in the body, for length normalisation.")
    digest = models.CharField(
        max_length=64, help_text="SHA-256 of title, body and settings: same content, no new version."
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why it changed.")
    requires_ack = models.BooleanField(default=False)
    #: who must acknowledge: {"providers": [codes], "sites": [codes], "teams": [codes], "roles": [...],
    #: "languages": [...]}; an empty list or missing key means "everyone" for that dimension
    audience = models.JSONField(default=dict, blank=True)
    ack_due_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days after publication an acknowledgement is due."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["article_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="article_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class Acknowledgement(models.Model):
    class Via(models.TextChoices):
        PAGE = "page", "Page"
        API = "api", "API"

    version = models.ForeignKey(ArticleVersion, on_delete=models.CASCADE, related_name="acknowledgements")
    agent = models.ForeignKey("providers.Agent", on_delete=models.CASCADE, related_name="acknowledgements")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField()
    #: hours from publication to acknowledgement, kept so adoption never parses a million timestamps
    hours_to_acknowledge = models.FloatField(default=0.0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    via = models.CharField(max_length=8, choices=Via.choices, default=Via.PAGE)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["version", "agent"], name="one_ack_per_agent_and_version")]

    def __str__(self) -> str:
        return f"{self.agent_id} acknowledged {self.version}"


class Posting(models.Model):
    """One stem of one article's current version, with its counts per field: what ranking reads.

    A search reads a stem's rows once per index generation (``search.postings``): they say which
    articles hold it and give the ranking function only the numbers it needs, without whole versions.
    """

    article_id = models.BigIntegerField()
    version_id = models.BigIntegerField()
    program_id = models.BigIntegerField()
    stem = models.CharField(max_length=64)
    title_count = models.PositiveSmallIntegerField(default=0)
    heading_count = models.PositiveSmallIntegerField(default=0)
    body_count = models.PositiveIntegerField(default=0)
    body_length = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # every column a search reads, in the order it reads them: a stem's postings come from the index
            # alone, in order, instead of one table lookup per article (a common stem is in most articles)
            models.Index(
                fields=[
                    "stem",
                    "version_id",
                    "program_id",
                    "title_count",
                    "heading_count",
                    "body_count",
                    "body_length",
                ],
                name="knowledge_posting_covering",
            ),
            # re-indexing an article replaces its rows: without this each publish scanned every posting
            models.Index(fields=["article_id"], name="knowledge_posting_article"),
        ]

    def __str__(self) -> str:
        return f"{self.stem} in {self.version_id}"


class DecisionTree(models.Model):
    """Questions and answers for an exception, ending in an action or an article; versioned like articles."""

    program = models.ForeignKey("providers.Program", on_delete=models.PROTECT, related_name="decision_trees")
    slug = models.SlugField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program__name", "slug"]
        constraints = [models.UniqueConstraint(fields=["program", "slug"], name="tree_slug_unique_per_program")]

    def __str__(self) -> str:
        current = self.current
        return current.title if current else self.slug

    @property
    def current(self) -> TreeVersion | None:
        return self.versions.order_by("-number").first()


class TreeVersion(models.Model):
    tree = models.ForeignKey(DecisionTree, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    spec = models.JSONField(help_text="start + nodes, checked by knowledge.trees.check")
    digest = models.CharField(max_length=64)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["tree_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["tree", "number"], name="tree_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class TreeWalk(models.Model):
    """One person's way through a tree version: every node visited, and where it ended (or stopped)."""

    version = models.ForeignKey(TreeVersion, on_delete=models.PROTECT, related_name="walks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.JSONField(default=list, help_text="Node ids in the order visited, the start first.")
    completed = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"walk {self.pk} of {self.version}"

    @property
    def node_id(self) -> str:
        return self.path[-1]


def _attachment_path(instance: Attachment, filename: str) -> str:
    # Content-addressed: the same bytes are stored once however many versions carry them
    return f"knowledge/attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """A file attached to one article version; a new version carries the previous version's rows (same
    stored file). The type is the one sniffed from the bytes, never the one the uploader's name claims."""

    version = models.ForeignKey(ArticleVersion, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200, help_text="The uploaded file's name, shown and offered on download.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "sha256"], name="one_attachment_per_file_and_version")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def program(self):
        return self.version.article.program


from .models_training import (  # noqa: E402,F401  training lives in knowledge (DESIGN.md), in its own module
    AgentCertification,
    Attempt,
    NestingStart,
    ShadowingRecord,
    TrainingPlan,
)
from .models_transition import Milestone, PlanComment, TransitionPlan  # noqa: E402,F401  (one app, split by aggregate)
