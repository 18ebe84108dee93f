"""Contracts with SLAs, service credits and the monthly results they are judged on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from concord import metrics as metric_engine
from concord import reporting
from concord.metrics import conventions
from concord.metrics.sources import DIMENSIONS
from concord.providers.models import Program, Provider

from .credits import at_risk_amount
from .units import share_slip, target_error, target_text


def _metric_choices():
    return [(m.key, m.label) for m in sorted(metric_engine.REGISTRY.values(), key=lambda m: m.key)]


class Contract(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    programs = models.ManyToManyField(Program, blank=True, related_name="contracts")
    name = models.CharField(max_length=120)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR", help_text="ISO 4217 code, e.g. EUR.")
    monthly_fee = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    at_risk_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Share of the monthly fee at risk for missed SLAs.",
    )
    earn_back_periods = models.PositiveSmallIntegerField(
        default=0, help_text="A missed month's credit is returned after this many following months all met; 0: none."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider.code})"

    @property
    def at_risk(self) -> Decimal:
        return at_risk_amount(self.monthly_fee, self.at_risk_percent)

    def clean(self) -> None:
        self.currency = (self.currency or "").upper()
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValidationError({"currency": "Use a three-letter ISO 4217 code such as EUR."})
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The contract ends before it starts."})


class SLA(models.Model):
    class Comparator(models.TextChoices):
        GTE = ">=", "at least"
        GT = ">", "above"
        LTE = "<=", "at most"
        LT = "<", "below"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="slas")
    name = models.CharField(max_length=120)
    metric_key = models.CharField(max_length=64, choices=_metric_choices)
    params = models.JSONField(default=dict, blank=True)
    comparator = models.CharField(max_length=2, choices=Comparator.choices)
    target = models.FloatField()
    measurement_period = models.CharField(max_length=8, default="month", editable=False)
    filters = models.JSONField(
        default=dict, blank=True, help_text='Scope, e.g. {"channel": ["voice"]}; provider and programs are implied.'
    )
    min_volume = models.PositiveIntegerField(default=0, help_text="Below this volume the SLA is not measured.")
    allocation_percent = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(0)], help_text="Pool allocation, % of at risk."
    )
    position = models.PositiveIntegerField(default=0)
    count_by = models.CharField(
        max_length=10,
        choices=conventions.COUNT_BY_CHOICES,
        default="created",
        help_text="The date a contact counts by in the month: created, first answered or resolved.",
    )
    hours = models.CharField(
        max_length=10,
        choices=conventions.HOURS_CHOICES,
        default="calendar",
        help_text="First response and resolution in calendar time, or in the business hours of each site.",
    )

    class Meta:
        ordering = ["contract", "position", "pk"]
        verbose_name = "SLA"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_comparator_display()} {self.target_text})"

    @property
    def unit(self) -> str:
        """The metric's unit, for formatting; empty when the metric is no longer registered."""
        try:
            return metric_engine.get(self.metric_key).unit
        except KeyError:
            return ""

    @property
    def convention_text(self) -> str:
        """Which convention the SLA's number uses (date counted by, hours, channels, variant)."""
        try:
            metric = metric_engine.get(self.metric_key)
        except KeyError:
            return ""
        conv = conventions.Conventions(count_by=self.count_by, hours=self.hours)
        return conventions.describe_line(metric, self.query_params(), conv, self.filters)

    @property
    def target_text(self) -> str:
        """The target as entered, with its unit: ``80%``, ``34.5 s``."""
        return target_text(self.target, self.unit)

    @property
    def params_text(self) -> str:
        """The metric's parameters in words (``threshold seconds 60``), not a Python dict."""
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted((self.params or {}).items()))

    @property
    def scope_text(self) -> str:
        return "; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in sorted((self.filters or {}).items())) or "all"

    def query_params(self) -> dict:
        return {k: tuple(v) if isinstance(v, list) else v for k, v in (self.params or {}).items()}

    def met(self, value: float) -> bool:
        return {
            ">=": value >= self.target,
            ">": value > self.target,
            "<=": value <= self.target,
            "<": value < self.target,
        }[self.comparator]

    def clean(self) -> None:
        try:
            metric = metric_engine.get(self.metric_key)
        except KeyError:
            raise ValidationError({"metric_key": f"Unknown metric {self.metric_key!r}."}) from None
        errors = {}
        problem = target_error(metric.label, metric.key, metric.unit, self.target) or share_slip(
            metric.label, metric.unit, self.comparator, self.target
        )
        if problem:
            errors["target"] = problem
        try:
            metric.resolve_params(self.query_params())
        except (TypeError, ValueError) as exc:
            errors["params"] = str(exc)
        if not isinstance(self.filters, dict) or not all(
            k in DIMENSIONS and isinstance(v, list) for k, v in (self.filters or {}).items()
        ):
            errors["filters"] = f"Give lists of values under dimensions among {', '.join(DIMENSIONS)}."
        elif {"provider", "program"} & set(self.filters):
            errors["filters"] = "Provider and programs come from the contract; do not filter on them."
        if errors:
            raise ValidationError(errors)


class OutageWindow(models.Model):
    """A declared outage: the contacts created inside [starts_at, ends_at) are left out of the SLA measurement."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="outages")
    sla = models.ForeignKey(
        SLA, null=True, blank=True, on_delete=models.CASCADE, related_name="outages", help_text="Empty: every SLA."
    )
    starts_at = models.DateTimeField(help_text="When the outage began (reporting time zone).")
    ends_at = models.DateTimeField(help_text="When it ended (exclusive).")
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.span_text}: {self.reason}"

    @property
    def span_text(self) -> str:
        return window_text(self.starts_at, self.ends_at)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The outage must end after it starts."})
        if self.sla_id and self.contract_id and self.sla.contract_id != self.contract_id:
            raise ValidationError({"sla": "That SLA belongs to another contract."})


class SLAResult(models.Model):
    class Status(models.TextChoices):
        MET = "met", "Met"
        MISSED = "missed", "Missed"
        NOT_MEASURED = "not_measured", "Not measured (too little volume)"
        ERROR = "error", "Could not be computed"

    sla = models.ForeignKey(SLA, on_delete=models.CASCADE, related_name="results")
    period = models.DateField(help_text="First day of the month measured.")
    status = models.CharField(max_length=14, choices=Status.choices)
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    volume = models.PositiveIntegerField(default=0)
    lake_table = models.CharField(max_length=40)
    lake_version = models.IntegerField(null=True, blank=True, help_text="Version of the lake table read.")
    excluded_windows = models.JSONField(
        default=list, blank=True, help_text="Outage windows left out, as ISO start/end pairs (UTC)."
    )
    measured_from = models.DateField(null=True, blank=True, help_text="First day measured (contract in force).")
    measured_to = models.DateField(null=True, blank=True, help_text="Last day measured (inclusive).")
    note = models.CharField(max_length=300, blank=True)
    credit = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    earned_back = models.BooleanField(default=False)
    computed_at = models.DateTimeField(auto_now=True)
    terms_hash = models.CharField(
        max_length=64, blank=True, help_text="Hash of the contract terms the result was computed with (terms.py)."
    )
    provisional = models.BooleanField(
        default=False, help_text="Its look-ahead has not passed or the lake lacks data: it may still change."
    )
    final_from = models.DateTimeField(null=True, blank=True, help_text="When the result becomes final (UTC).")
    earn_back_of = models.DateField(
        null=True,
        blank=True,
        help_text="A closed earlier month whose credit this month's run of met months earns back.",
    )
    earn_back_credit = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text="That closed month's billed credit, returned in this month's statement (its figures stay frozen).",
    )

    class Meta:
        ordering = ["period", "sla__position", "sla_id"]
        constraints = [models.UniqueConstraint(fields=["sla", "period"], name="one_result_per_sla_and_month")]

    def __str__(self) -> str:
        return f"{self.sla.name} {self.period:%Y-%m}: {self.get_status_display()}"

    @property
    def net_credit(self) -> Decimal:
        """This month's credit, less what it earns back of a closed earlier month (may be negative)."""
        return (Decimal("0.00") if self.earned_back else self.credit) - self.earn_back_credit

    @property
    def final_from_text(self) -> str:
        return local_text(self.final_from)

    @property
    def excluded_windows_display(self) -> list[str]:
        """The outage windows left out, on the reporting time zone's clock."""
        return [
            window_text(dt.datetime.fromisoformat(s), dt.datetime.fromisoformat(e))
            for s, e in self.excluded_windows or []
        ]


def local_text(instant: dt.datetime | None) -> str:
    """An instant on the reporting zone's clock, with the zone: ``8 Nov 2026 00:00 CET``."""
    if instant is None:
        return ""
    local = instant.astimezone(reporting.zone())
    return f"{local.day} {local:%b %Y %H:%M %Z}"


def window_text(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """A window on the reporting zone's clock; with each end's zone abbreviation when the offset
    changes inside it or a time is ambiguous, so "01:30 CEST to 02:30 CET" is not read as one hour."""
    tz = reporting.zone()
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)

    def ambiguous(local: dt.datetime) -> bool:
        return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()

    fmt = "%d %b %Y %H:%M"
    if start.utcoffset() != end.utcoffset() or ambiguous(start) or ambiguous(end):
        fmt += " %Z"
    return f"{start:{fmt}} to {end:{fmt}}"


from .statement_models import Dispute, DisputeAttachment, Restatement, Statement, StatementEvent  # noqa: E402,F401  (one app, models split by aggregate)
