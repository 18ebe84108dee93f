"""Cadences, meetings and their minutes, packs, decisions, actions and RACI (escalations: ``escalation_models``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from .escalation_models import Escalation, EscalationEvent, EscalationLadder, EscalationLevel, Severity

__all__ = [
    "Action",
    "AgendaItem",
    "Cadence",
    "Decision",
    "Escalation",
    "EscalationEvent",
    "EscalationLadder",
    "EscalationLevel",
    "Meeting",
    "MinuteNote",
    "Pack",
    "RaciActivity",
    "RaciAssignment",
    "Severity",
]

USER = settings.AUTH_USER_MODEL


class Cadence(models.Model):
    """A recurring review with one provider (optionally one program)."""

    class Kind(models.TextChoices):
        OPERATIONAL = "operational", "Operational review"
        TACTICAL = "tactical", "Tactical review"
        STRATEGIC = "strategic", "Strategic review (QBR)"

    class Frequency(models.TextChoices):
        DAILY = "daily", "Every working day"
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="cadences")
    program = models.ForeignKey("providers.Program", null=True, blank=True, on_delete=models.PROTECT)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    weekday = models.PositiveSmallIntegerField(default=1, help_text="0 = Monday … 6 = Sunday (weekly and later).")
    local_time = models.TimeField(default=dt.time(10, 0), help_text="Start, in the reporting time zone.")
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    attendees = models.ManyToManyField(USER, blank=True, related_name="cadences")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["provider__code", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def grain(self) -> str:
        """The period a pack of this cadence reviews."""
        return {"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter"}[self.frequency]


class AgendaTemplateItem(models.Model):
    """A standing agenda item of a cadence: copied into each meeting it schedules."""

    cadence = models.ForeignKey(Cadence, on_delete=models.CASCADE, related_name="agenda_template")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    client_only = models.BooleanField(default=False, help_text="Shown only to the client's people.")

    class Meta:
        ordering = ["cadence", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CLOSED = "closed", "Closed"

    cadence = models.ForeignKey(Cadence, on_delete=models.PROTECT, related_name="meetings")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(help_text="UTC.")
    period_start = models.DateField(help_text="First day of the period the pack reviews.")
    grain = models.CharField(max_length=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["cadence", "starts_at"], name="one_meeting_per_cadence_slot")]

    def __str__(self) -> str:
        return f"{self.cadence.name} {self.starts_at:%Y-%m-%d}"

    @property
    def closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def period_label(self) -> str:
        from concord import periods

        return periods.label(self.period_start, self.grain)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    client_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class MinuteNote(models.Model):
    """A line of the minutes; client-only notes never reach a partner (page, API or PDF)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    client_only = models.BooleanField(default=False)
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Pack(models.Model):
    """A review pack: its sections' figures and charts as built, and the lake versions read.
    ``frozen_at`` set: it never changes again (a meeting's pack freezes when the meeting closes)."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="packs")
    program = models.ForeignKey("providers.Program", null=True, blank=True, on_delete=models.PROTECT)
    meeting = models.OneToOneField(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="pack")
    cadence_kind = models.CharField(max_length=12, choices=Cadence.Kind.choices)
    grain = models.CharField(max_length=8)
    period_start = models.DateField()
    sections = models.JSONField(default=dict, help_text="Section key -> its data (figures, rows, chart specs).")
    charts = models.JSONField(default=dict, help_text="Chart id -> Vega-Lite spec (the page draws it live).")
    svgs = models.JSONField(default=dict, help_text="Chart id -> SVG text, drawn from the same spec when frozen.")
    lake_versions = models.JSONField(default=dict)
    built_at = models.DateTimeField(null=True, blank=True)
    built_by_name = models.CharField(max_length=150, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_cadence_kind_display()} pack {self.provider.code} {self.period_start}"

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None


class RaciActivity(models.Model):
    """A row of a program's RACI: an activity or a decision, and who is R, A, C, I for it."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", "Activity"
        DECISION = "decision", "Decision"

    program = models.ForeignKey("providers.Program", on_delete=models.CASCADE, related_name="raci")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DECISION)
    partner_may_decide = models.BooleanField(
        default=False,
        help_text="A partner may take this decision on its own (else it needs the client's consultation).",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="one_raci_row_per_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def accountable(self):
        return next((a for a in self.assignments.all() if a.letter == "A"), None)


class RaciAssignment(models.Model):
    class Letter(models.TextChoices):
        R = "R", "Responsible"
        A = "A", "Accountable"
        C = "C", "Consulted"
        I = "I", "Informed"  # noqa: E741

    class Side(models.TextChoices):
        CLIENT = "client", "Client"
        PARTNER = "partner", "Partner"

    activity = models.ForeignKey(RaciActivity, on_delete=models.CASCADE, related_name="assignments")
    side = models.CharField(max_length=8, choices=Side.choices)
    role = models.CharField(max_length=32, help_text="A Concord role (e.g. manager, provider_lead).")
    letter = models.CharField(max_length=1, choices=Letter.choices)

    class Meta:
        ordering = ["activity", "letter", "side", "role"]
        constraints = [
            models.UniqueConstraint(fields=["activity"], condition=Q(letter="A"), name="at_most_one_accountable"),
            models.UniqueConstraint(fields=["activity", "side", "role"], name="one_letter_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.letter}: {self.side} {self.role}"


class Decision(models.Model):
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")
    raci_activity = models.ForeignKey(RaciActivity, null=True, blank=True, on_delete=models.PROTECT)
    what = models.CharField(max_length=300)
    why = models.TextField(blank=True)
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by_name = models.CharField(max_length=150)
    decided_at = models.DateTimeField()
    flagged = models.BooleanField(default=False)
    flag_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return self.what[:80]


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="governance_actions")
    due = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    #: what caused it, generically: a metric, an SLA result, a drift alert, an evaluation, an escalation
    cause_kind = models.CharField(max_length=40, blank=True)
    cause_id = models.CharField(max_length=64, blank=True)
    cause_url = models.CharField(max_length=300, blank=True)
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

    @property
    def owner_side(self) -> str:
        return "client" if self.owner.provider_id is None else "partner"

    def overdue_on(self, day: dt.date) -> bool:
        return self.is_open and self.due < day
