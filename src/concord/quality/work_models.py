"""What follows an evaluation: disputes of it, coaching on it, and the sampling plans that choose what to evaluate.

Imported by ``models`` so Django registers them with the app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Dispute(models.Model):
    """An agent (or their lead) disputes one criterion of a completed evaluation; a reviewer decides.

    The evaluation's score changes only through the outcome: accepting or partly accepting sets the
    criterion's new rating, which rescores the evaluation (a new revision, in the lake again).
    """

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        PARTLY = "partly_accepted", "Partly accepted"
        REJECTED = "rejected", "Rejected"

    evaluation = models.ForeignKey("quality.Evaluation", on_delete=models.CASCADE, related_name="disputes")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey("quality.Criterion", on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    # what the criterion said when disputed, and what the disputer asks for (empty: not said)
    original_value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    original_na = models.BooleanField(default=False)
    proposed_value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    proposed_na = models.BooleanField(default=False)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.OPEN)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    new_value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    new_na = models.BooleanField(default=False)
    score_before = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    score_after = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"],
                condition=models.Q(outcome="open"),
                name="one_open_dispute_per_criterion",
            )
        ]

    def __str__(self) -> str:
        return f"Dispute {self.pk} of evaluation {self.evaluation_id} ({self.get_outcome_display()})"

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN


class CoachingSession(models.Model):
    """A coach's session with one agent, on evaluations and/or metrics, with commitments and a follow-up."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey("providers.Agent", on_delete=models.PROTECT, related_name="coaching_sessions")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(help_text="The day of the session (reporting time zone).")
    topic = models.CharField(max_length=200)
    evaluations = models.ManyToManyField("quality.Evaluation", blank=True, related_name="coaching_sessions")
    metrics = models.JSONField(default=list, blank=True, help_text="Metric keys the session is about.")
    notes = models.TextField(blank=True)
    commitments = models.TextField(blank=True, help_text="What the agent commits to, one per line.")
    follow_up_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Coaching of {self.agent} on {self.held_on}"

    @property
    def commitment_list(self) -> list[str]:
        return [line.strip() for line in self.commitments.splitlines() if line.strip()]


class SamplingPlan(models.Model):
    """N interactions per agent for one week of one provider, drawn from the lake reproducibly."""

    name = models.CharField(max_length=160)
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    week_start = models.DateField(help_text="Monday of the week sampled (reporting time zone).")
    per_agent = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(50)])
    stratify = models.BooleanField(default=True, help_text="Spread each agent's sample over contact type x channel.")
    risk_low_csat = models.PositiveSmallIntegerField(default=0, help_text="Extra weight for CSAT 1-2.")
    risk_long_handle = models.PositiveSmallIntegerField(default=0, help_text="Extra weight for handle time above p90.")
    risk_repeat = models.PositiveSmallIntegerField(default=0, help_text="Extra weight when the customer came back.")
    seed = models.BigIntegerField()
    lake_version = models.BigIntegerField(null=True, blank=True, help_text="Interactions table version drawn from.")
    due_on = models.DateField()
    evaluators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="sampling_plans")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week_start", "-pk"]

    def __str__(self) -> str:
        return self.name


class SampleAssignment(models.Model):
    """One drawn interaction, assigned to one evaluator, due by the plan's date."""

    plan = models.ForeignKey(SamplingPlan, on_delete=models.CASCADE, related_name="assignments")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey("providers.Agent", on_delete=models.PROTECT, related_name="+")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    interaction_source = models.CharField(max_length=40)
    interaction_id = models.CharField(max_length=128)
    interaction_at = models.DateTimeField()
    contact_type = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    weight = models.FloatField(default=1.0)
    due_on = models.DateField()

    class Meta:
        ordering = ["plan", "agent", "interaction_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "interaction_source", "interaction_id"], name="sample_interaction_once_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.interaction_id} for {self.evaluator}"
