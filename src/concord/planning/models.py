"""Planning records: versioned volume forecasts, planner events and manual overrides.

The numbers come from the engine (``concord.planning.engine``); these tables keep what
was forecast, from which lake version, with which model and why, and who changed what.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from concord.jobs.models import Job
from concord.providers.models import CHANNELS, ContactType, Program, Provider


class Grain(models.TextChoices):
    MIN15 = "15min", "15 minutes"
    MIN30 = "30min", "30 minutes"
    MIN60 = "60min", "1 hour"
    DAY = "D", "Day"


class Forecast(Job):
    """One version of a program's volume forecast (contacts offered per interval).

    A page or API request stores the row queued (its version taken) and a background task
    fills it in (running -> succeeded or failed); the CLI computes first and stores it done.
    """

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="forecasts")
    contact_type = models.ForeignKey(ContactType, on_delete=models.PROTECT, null=True, blank=True)
    channel = models.CharField(max_length=12, choices=CHANNELS, blank=True)
    grain = models.CharField(max_length=8, choices=Grain.choices)
    horizon_days = models.PositiveIntegerField()
    version = models.PositiveIntegerField(help_text="1, 2, 3 ... per program")
    options = models.JSONField(default=dict, blank=True, help_text="Engine options: {folds, models, include_arima}")
    model = models.CharField(max_length=40, blank=True, help_text="The model the backtest chose.")
    explanation = models.TextField(blank=True)
    backtest = models.JSONField(default=list, blank=True, help_text="[{model, wape, mase, folds}] per candidate model")
    events_applied = models.JSONField(default=list, blank=True, help_text="The planner events applied: [{id, name}]")
    lake_version = models.IntegerField(null=True, blank=True, help_text="Version of the interactions table read")
    history_start = models.DateTimeField(null=True, blank=True)
    history_end = models.DateTimeField(null=True, blank=True, help_text="End (exclusive) of the history used")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program__name", "-version"]
        constraints = [models.UniqueConstraint(fields=["program", "version"], name="forecast_version_per_program")]

    def __str__(self) -> str:
        return f"{self.program.code} forecast v{self.version}"

    @property
    def ready(self) -> bool:
        return self.status == self.Status.SUCCEEDED

    @property
    def scope_label(self) -> str:
        parts = [self.program.code]
        if self.contact_type_id:
            parts.append(self.contact_type.code)
        if self.channel:
            parts.append(self.channel)
        return " / ".join(parts)


class ForecastPoint(models.Model):
    """One interval of a forecast: the model's number and the number after planner events."""

    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="points")
    period_start = models.DateTimeField()
    base = models.FloatField(help_text="The model's forecast")
    value = models.FloatField(help_text="After planner events")

    class Meta:
        ordering = ["period_start"]
        constraints = [models.UniqueConstraint(fields=["forecast", "period_start"], name="one_point_per_period")]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m-%d %H:%M} {self.value:g}"


class PlanningEvent(models.Model):
    """Something a planner knows the history does not: a marketing send, a peak, an outage."""

    class Kind(models.TextChoices):
        MULTIPLICATIVE = "multiplicative", "Multiply volume by"
        ADDITIVE = "additive", "Add contacts per interval"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="planning_events")
    name = models.CharField(max_length=120)
    start = models.DateTimeField()
    end = models.DateTimeField(help_text="Exclusive")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MULTIPLICATIVE)
    value = models.FloatField(help_text="Factor (e.g. 1.3) or contacts added per interval (e.g. 40, or -20)")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The end must be after the start."})
        if self.kind == self.Kind.MULTIPLICATIVE and self.value is not None and self.value < 0:
            raise ValidationError({"value": "A factor cannot be negative."})


class ForecastOverride(models.Model):
    """A planner's manual value for one interval of one forecast version, with the reason."""

    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="overrides")
    period_start = models.DateTimeField()
    value = models.FloatField()
    previous_value = models.FloatField()
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.forecast} {self.period_start:%Y-%m-%d %H:%M} -> {self.value:g}"

    def clean(self):
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": "Volume cannot be negative."})
        if not (self.reason or "").strip():
            raise ValidationError({"reason": "Say why."})


class VolumeAssignment(models.Model):
    """The share of one forecast version's volume the client assigns to one provider to staff.

    The provider's people see this row and the volume it implies, never another provider's."""

    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="assignments")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="volume_assignments")
    share = models.FloatField(help_text="Percent of the forecast's volume (40 means 40%)")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-forecast__created_at", "provider__name"]
        constraints = [models.UniqueConstraint(fields=["forecast", "provider"], name="one_assignment_per_provider")]

    def __str__(self) -> str:
        return f"{self.share:g}% of {self.forecast} to {self.provider.code}"

    def clean(self):
        if self.share is not None and not 0 < self.share <= 100:
            raise ValidationError({"share": "The share must be more than 0 and at most 100%."})


class CapacityCommitment(models.Model):
    """A provider's answer to its assigned volume: the FTE it commits to staff, and a note. The latest counts."""

    assignment = models.ForeignKey(VolumeAssignment, on_delete=models.CASCADE, related_name="commitments")
    fte = models.FloatField(help_text="FTE the provider commits to staff for the assigned volume")
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.fte:g} FTE for {self.assignment}"

    def clean(self):
        if self.fte is not None and not (self.fte >= 0 and self.fte < 1e6):
            raise ValidationError({"fte": "Committed FTE must be a number of 0 or more."})
