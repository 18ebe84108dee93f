"""QA forms (versioned), the people they evaluate, and evaluations.

A form's content lives in its versions: changing a form makes a new version, and an
evaluation keeps the version it was made on, so its score never changes under it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from .scoring import SCALES, Rule, rule_of


class QaForm(models.Model):
    """One QA form, the same for every team, internal and partner."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "QA form"

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> FormVersion:
        return self.versions.order_by("-number").first()


class FormVersion(models.Model):
    """The form's content at one point; never edited once made."""

    form = models.ForeignKey(QaForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True, help_text="What changed from the version before.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["form__name", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="form_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.form.name} v{self.number}"

    def criteria_in_order(self) -> list[Criterion]:
        return list(self.criteria.select_related("section").order_by("section__position", "position"))

    def rules(self) -> list[Rule]:
        return [c.rule for c in self.criteria_in_order()]


class Section(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """One question of the form. ``code`` stays the same across versions of the form."""

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="criteria")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, help_text="What a grader looks for; shown beside the question.")
    scale = models.CharField(max_length=12, choices=list(SCALES.items()))
    max_points = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Points scale only.")
    weight = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(0.01)])
    na_allowed = models.BooleanField(default=False)
    critical = models.BooleanField(default=False, help_text="Failing it scores the whole evaluation 0.")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "section__position", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="criterion_code_unique_per_version")]

    def __str__(self) -> str:
        return self.label

    @property
    def rule(self) -> Rule:
        return rule_of(self)


class Evaluation(models.Model):
    """One grader's evaluation of one interaction handled by one agent."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"

    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="evaluations")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="evaluations")
    agent = models.ForeignKey("providers.Agent", on_delete=models.PROTECT, related_name="evaluations")
    # the interaction in the lake (its key there), and what the lake said about it when chosen
    interaction_source = models.CharField(max_length=40)
    interaction_id = models.CharField(max_length=128)
    interaction_at = models.DateTimeField(help_text="When the contact was created (UTC).")
    program = models.CharField(max_length=40, blank=True)
    contact_type = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations_given")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Percent, 0-100; empty when all N/A."
    )
    critical_failed = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=0, help_text="Counts completions and changes; the lake keeps each.")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-interaction_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "interaction_source", "interaction_id", "form_version"],
                name="one_evaluation_per_grader_interaction_form",
            )
        ]
        indexes = [models.Index(fields=["provider", "agent", "interaction_at"])]

    def __str__(self) -> str:
        return f"Evaluation {self.pk} of {self.agent.display_name}"

    @property
    def evaluator_side(self) -> str:
        return "client" if self.evaluator.provider_id is None else "partner"


class Answer(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="answers")
    value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["evaluation", "criterion__section__position", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_answer_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {'N/A' if self.not_applicable else self.value}"


class CalibrationSession(models.Model):
    """Graders of the client and of one partner score the same interactions, blind."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=160)
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="calibration_sessions",
        help_text="The partner (or internal team) whose interactions are calibrated.",
    )  # fmt: skip
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="calibration_sessions")
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="calibration_sessions")
    key_grader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The expert whose scores are the key; empty: graders are compared with the group median.",
    )  # fmt: skip
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class CalibrationItem(models.Model):
    session = models.ForeignKey(CalibrationSession, on_delete=models.CASCADE, related_name="items")
    agent = models.ForeignKey("providers.Agent", on_delete=models.PROTECT, related_name="+")
    interaction_source = models.CharField(max_length=40)
    interaction_id = models.CharField(max_length=128)
    interaction_at = models.DateTimeField()
    channel = models.CharField(max_length=20, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "interaction_source", "interaction_id"], name="calibration_item_once"
            )
        ]

    def __str__(self) -> str:
        return f"Item {self.position + 1} of {self.session}"


class CalibrationScore(models.Model):
    """One grader's answer to one criterion of one item. Hidden from the others until they submit."""

    item = models.ForeignKey(CalibrationItem, on_delete=models.CASCADE, related_name="scores")
    grader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "grader", "criterion"], name="calibration_score_once")]

    def __str__(self) -> str:
        return f"{self.grader} on {self.item}: {'N/A' if self.not_applicable else self.value}"


class CalibrationSubmission(models.Model):
    """A grader has handed in their scores: from then on they see everyone's, and cannot change theirs."""

    session = models.ForeignKey(CalibrationSession, on_delete=models.CASCADE, related_name="submissions")
    grader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "grader"], name="calibration_submitted_once")]

    def __str__(self) -> str:
        return f"{self.grader} submitted {self.session}"


from .work_models import CoachingSession, Dispute, SampleAssignment, SamplingPlan  # noqa: E402  registers them

__all__ = [
    "Answer", "CalibrationItem", "CalibrationScore", "CalibrationSession", "CalibrationSubmission", "CoachingSession",
    "Criterion", "Dispute", "Evaluation", "FormVersion", "QaForm", "SampleAssignment", "SamplingPlan", "Section",
]  # fmt: skip
