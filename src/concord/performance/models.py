"""Balanced scorecards: per program, metrics from the registry with targets and weights."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from concord import metrics as metric_engine
from concord.metrics import conventions
from concord.providers.models import Program


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, f"{m.label} ({m.category})") for m in sorted(metric_engine.REGISTRY.values(), key=lambda m: m.key)]


class Scorecard(models.Model):
    """One program's card: every provider serving the program is measured on it."""

    class Grain(models.TextChoices):
        WEEK = "week", "Week"
        MONTH = "month", "Month"
        QUARTER = "quarter", "Quarter"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="scorecards")
    name = models.CharField(max_length=120)
    grain = models.CharField(max_length=8, choices=Grain.choices, default=Grain.MONTH)
    description = models.TextField(blank=True)
    count_by = models.CharField(
        max_length=10,
        choices=conventions.COUNT_BY_CHOICES,
        default="created",
        help_text="The date a contact counts by in a period: created, first answered or resolved.",
    )
    hours = models.CharField(
        max_length=10,
        choices=conventions.HOURS_CHOICES,
        default="calendar",
        help_text="First response and resolution in calendar time, or in the business hours of each site.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program__name", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="scorecard_name_unique_per_program")]

    def __str__(self) -> str:
        return f"{self.name} ({self.program.code})"

    @property
    def conventions(self) -> conventions.Conventions:
        """The card's conventions without calendars (the query adds the sites' opening hours)."""
        return conventions.Conventions(count_by=self.count_by, hours=self.hours)

    @property
    def conventions_text(self) -> str:
        return conventions.Conventions(count_by=self.count_by, hours=self.hours).describe()


class ScorecardMetric(models.Model):
    """One line of a card: a registered metric, its params, target, weight and optional band."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="lines")
    metric_key = models.CharField(max_length=64, choices=metric_choices)
    params = models.JSONField(default=dict, blank=True, help_text='Metric parameters, e.g. {"threshold_seconds": 30}.')
    target = models.FloatField(null=True, blank=True, help_text="Required unless a band is given.")
    weight = models.FloatField(default=1.0)
    band_low = models.FloatField(null=True, blank=True)
    band_high = models.FloatField(null=True, blank=True)
    min_volume = models.PositiveIntegerField(
        null=True, blank=True, help_text="Below this volume the line is left out of the index; empty: the metric's own."
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["scorecard", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.label} on {self.scorecard.name}"

    @property
    def metric(self) -> metric_engine.Metric:
        return metric_engine.get(self.metric_key)

    @property
    def label(self) -> str:
        try:
            return self.metric.label
        except KeyError:
            return self.metric_key

    @property
    def category(self) -> str:
        return self.metric.category

    @property
    def unit(self) -> str:
        """The metric's unit, for formatting; empty when the metric is no longer registered."""
        try:
            return self.metric.unit
        except KeyError:
            return ""

    @property
    def convention_text(self) -> str:
        """Which convention this line's number uses (date counted by, hours, channels, variant)."""
        try:
            return conventions.describe_line(self.metric, self.query_params(), self.scorecard.conventions)
        except KeyError:
            return ""

    @property
    def alias(self) -> str:
        """How this line is named in a metric query (two lines may use one metric)."""
        return f"line{self.pk}"

    def query_params(self) -> dict:
        """Params as the metric engine takes them (JSON lists become tuples)."""
        return {k: tuple(v) if isinstance(v, list) else v for k, v in (self.params or {}).items()}

    @property
    def kind(self) -> str:
        """Direction used for attainment: a band on the line wins, then the metric's own."""
        if self.band_low is not None and self.band_high is not None:
            return "band"
        return self.metric.direction.kind

    def band(self) -> tuple[float | None, float | None]:
        if self.band_low is not None and self.band_high is not None:
            return self.band_low, self.band_high
        direction = self.metric.direction
        return direction.low, direction.high

    def clean(self) -> None:
        errors = {}
        try:
            metric = metric_engine.get(self.metric_key)
        except KeyError:
            raise ValidationError({"metric_key": f"Unknown metric {self.metric_key!r}."}) from None
        if not isinstance(self.params, dict):
            errors["params"] = "Parameters must be a JSON object."
        else:
            try:
                metric.resolve_params(self.query_params())
            except (ValueError, TypeError) as exc:
                errors["params"] = str(exc)
        if (self.band_low is None) != (self.band_high is None):
            errors["band_high"] = "Give both ends of the band, or neither."
        elif self.band_low is not None and self.band_low > self.band_high:
            errors["band_high"] = "The band's high end is below its low end."
        has_band = self.band_low is not None or metric.direction.kind == "band"
        if not has_band and (self.target is None or self.target <= 0):
            errors["target"] = "Give a target above zero."
        if self.weight is None or self.weight <= 0:
            errors["weight"] = "A weight must be above zero."
        if errors:
            raise ValidationError(errors)


from .drift_models import DriftAlert, DriftScan  # noqa: E402,F401  (one app, models split by aggregate)
