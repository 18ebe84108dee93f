"""Training and certification records (imported by ``knowledge.models``).

What a program's training *is* (curricula and their modules, assessments with their question banks,
certifications, readiness gates) is one versioned document per program, edited as data like a
decision tree (``knowledge.training.spec`` checks it). What *happened* (attempts, certifications
awarded, shadowing hours, nesting starts) are rows per roster agent, naming the definition they
refer to by its key, so a new version of the document never rewrites an agent's history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TrainingPlan(models.Model):
    """One version of a program's training document; the highest number is the one in force."""

    program = models.ForeignKey("providers.Program", on_delete=models.PROTECT, related_name="training_plans")
    number = models.PositiveIntegerField()
    spec = models.JSONField(help_text="curricula, assessments, certifications, gates; see knowledge.training.spec")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the checked spec: same spec, no new version.")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["program_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["program", "number"], name="training_plan_number_unique")]

    def __str__(self) -> str:
        return f"training plan {self.program_id} v{self.number}"


class Attempt(models.Model):
    """One try at an assessment: the questions drawn (by a stored seed) are copied in, so the attempt
    can be re-marked and shown exactly as taken even after the bank changes."""

    class Via(models.TextChoices):
        PAGE = "page", "Page"
        LMS = "lms", "Partner LMS (API)"

    program = models.ForeignKey("providers.Program", on_delete=models.PROTECT, related_name="+")
    assessment = models.SlugField(max_length=80, help_text="The assessment's key in the program's plan.")
    agent = models.ForeignKey("providers.Agent", on_delete=models.CASCADE, related_name="attempts")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    seed = models.BigIntegerField(default=0)
    questions = models.JSONField(default=list, help_text="The drawn questions as shown, with their keys.")
    answers = models.JSONField(default=dict, blank=True, help_text="question key -> chosen choice indexes")
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    pass_percent = models.DecimalField(max_digits=5, decimal_places=2, help_text="The pass mark when taken.")
    passed = models.BooleanField(null=True)
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    via = models.CharField(max_length=8, choices=Via.choices, default=Via.PAGE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["agent", "program", "assessment"], name="training_attempt_agent")]

    def __str__(self) -> str:
        return f"{self.assessment} attempt {self.pk}"


class AgentCertification(models.Model):
    """A certification held from ``certified_on`` to ``expires_on`` (exclusive); a renewal is a new row."""

    program = models.ForeignKey("providers.Program", on_delete=models.PROTECT, related_name="+")
    certification = models.SlugField(max_length=80, help_text="The certification's key in the program's plan.")
    agent = models.ForeignKey("providers.Agent", on_delete=models.CASCADE, related_name="certifications")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    certified_on = models.DateField()
    expires_on = models.DateField()
    attempt = models.ForeignKey(Attempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agent_id", "certification", "-expires_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "program", "certification", "expires_on"], name="one_award_per_expiry"
            )
        ]
        indexes = [models.Index(fields=["program", "provider", "certified_on"], name="training_cert_lookup")]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.certification} until {self.expires_on}"


class ShadowingRecord(models.Model):
    """Hours a trainer or lead saw an agent shadow or nest on a module; a module is done at its hours."""

    program = models.ForeignKey("providers.Program", on_delete=models.PROTECT, related_name="+")
    module = models.SlugField(max_length=80, help_text="The module's key in the program's plan.")
    agent = models.ForeignKey("providers.Agent", on_delete=models.CASCADE, related_name="shadowing")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "program", "module", "on"], name="one_shadowing_row_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.module} {self.hours}h on {self.on}"


class NestingStart(models.Model):
    """When an agent started nesting (taking live contacts with close support) on a program."""

    program = models.ForeignKey("providers.Program", on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey("providers.Agent", on_delete=models.CASCADE, related_name="nesting_starts")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agent", "program"], name="one_nesting_start_per_program")]

    def __str__(self) -> str:
        return f"{self.agent_id} nesting from {self.started_on}"
