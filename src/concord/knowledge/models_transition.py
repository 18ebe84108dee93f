"""Transition plans: a process moving to a partner (or from one partner to another), its phases and milestones.

A plan's phases are dates computed from its start, length and split (``transition.schedule``); its
milestones' progress is read from the data (acknowledgements, certifications, the scorecard) by
``transition.progress``, except a decision such as go-live, which a person records with a note.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TransitionPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    program = models.ForeignKey("providers.Program", on_delete=models.PROTECT, related_name="transition_plans")
    contact_types = models.ManyToManyField("providers.ContactType", blank=True, related_name="+")
    #: the partner the work moves to: the plan is its business (it sees the plan and comments on it)
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="transition_plans")
    #: the partner (or internal team) the work leaves; empty when the work was not done before
    from_provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(help_text="First day of preparation, in the reporting time zone.")
    months = models.PositiveSmallIntegerField(
        help_text="Length of the whole plan in months (3-6 for a simple process)."
    )
    preparation_percent = models.DecimalField(max_digits=5, decimal_places=2, default=30)
    transition_percent = models.DecimalField(max_digits=5, decimal_places=2, default=20)
    stabilisation_percent = models.DecimalField(max_digits=5, decimal_places=2, default=50)
    scorecard = models.ForeignKey(
        "performance.Scorecard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The card whose weekly numbers say when the parallel run started and stabilisation ended.",
    )  # fmt: skip
    client_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    partner_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    class Kind(models.TextChoices):
        ARTICLES_ACKNOWLEDGED = "articles_acknowledged", "Knowledge articles published and acknowledged"
        CURRICULUM_DELIVERED = "curriculum_delivered", "Curriculum delivered"
        COHORT_CERTIFIED = "cohort_certified", "First cohort certified"
        PARALLEL_RUN = "parallel_run", "Parallel run"
        GO_LIVE = "go_live", "Go-live"
        STABILISATION_EXIT = "stabilisation_exit", "Stabilisation exit criteria met"

    class Phase(models.TextChoices):
        PREPARATION = "preparation", "Preparation"
        TRANSITION = "transition", "Transition"
        STABILISATION = "stabilisation", "Stabilisation"

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    phase = models.CharField(max_length=16, choices=Phase.choices)
    due = models.DateField(help_text="Planned date, inside the milestone's phase.")
    #: what "met" means for this kind, e.g. {"target_percent": 90}, {"count": 12}, {"line": 4, "weeks": 4}
    params = models.JSONField(default=dict, blank=True)
    #: a decision's date and note (go-live); data-driven milestones leave these empty
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="one_milestone_of_a_kind_per_plan")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.plan})"

    @property
    def provider_id(self) -> int:
        """Whose business the milestone is: its plan's partner (the access matrix reads this)."""
        return self.plan.provider_id


class PlanComment(models.Model):
    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.plan}"
