"""Contract, SLA and outage forms: field checks here, the model's rules through the services."""

from __future__ import annotations

import datetime as dt

from django import forms

from concord import metrics as metric_engine
from concord import reporting
from concord.performance.forms import ConventionFields
from concord.providers.models import Program, Provider
from concord.web.forms import ServiceModelForm

from . import localtime
from .models import SLA, Contract, OutageWindow
from .services import CONTRACT_FIELDS, OUTAGE_FIELDS, SLA_FIELDS
from .units import unit_words

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _default_text(default) -> str:
    """A parameter's default as a person reads it: 'voice, chat', not "('voice', 'chat')"; 'none' when empty."""
    if default is None or default == "" or default == ():
        return "none"
    if isinstance(default, (tuple, list, frozenset, set)):
        return ", ".join(str(v) for v in default)
    return f"{default:g}" if isinstance(default, float) else str(default)


def _params_help() -> str:
    parts = []
    for m in sorted(metric_engine.REGISTRY.values(), key=lambda m: m.key):
        if m.params:
            parts.append(f"{m.key}: " + ", ".join(f"{p.name} (default {_default_text(p.default)})" for p in m.params))
    return 'JSON, e.g. {"threshold_seconds": 20}; empty for the defaults. Parameters: ' + "; ".join(parts) + "."


def _target_help() -> str:
    """Which unit a target is typed in, metric by metric, so nobody types 0.8 for 80 %."""
    by_unit: dict[str, list[str]] = {}
    for m in sorted(metric_engine.REGISTRY.values(), key=lambda m: m.label):
        by_unit.setdefault(unit_words(m.unit), []).append(m.label)
    return (
        "In the metric's unit. " + "; ".join(f"{unit}: {', '.join(labels)}" for unit, labels in by_unit.items()) + "."
    )


class ContractForm(ServiceModelForm, forms.ModelForm):
    programs = forms.ModelMultipleChoiceField(
        queryset=Program.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Programs covered; none: everything the provider does. Each must be served by the provider.",
    )

    class Meta:
        model = Contract
        fields = (*CONTRACT_FIELDS, "programs")
        widgets = {"start_date": _DATE, "end_date": _DATE}
        labels = {"at_risk_percent": "At risk (% of the monthly fee)", "earn_back_periods": "Earn-back months"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.order_by("name")

    def clean(self):
        data = super().clean()
        provider, programs = data.get("provider"), data.get("programs") or []
        if provider is not None:
            foreign = [p.code for p in programs if not p.providers.filter(pk=provider.pk).exists()]
            if foreign:
                self.add_error("programs", f"{provider.code} does not serve {', '.join(foreign)}.")
        return data


class SLAForm(ConventionFields, ServiceModelForm, forms.ModelForm):
    class Meta:
        model = SLA
        fields = SLA_FIELDS
        widgets = {"params": forms.Textarea(attrs={"rows": 2}), "filters": forms.Textarea(attrs={"rows": 2})}
        labels = {"metric_key": "Metric", "allocation_percent": "Pool allocation (% of at risk)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["params"].help_text = _params_help()
        self.fields["target"].help_text = _target_help()
        self.optional_conventions()
        if self.instance.pk:
            self.fields["target"].label = f"Target, in {unit_words(self.instance.unit)}"

    def clean_params(self):
        params = self.cleaned_data.get("params") or {}
        if not isinstance(params, dict):
            raise forms.ValidationError('Give a JSON object, e.g. {"threshold_seconds": 20}.')
        return params

    def clean_filters(self):
        filters = self.cleaned_data.get("filters") or {}
        if not isinstance(filters, dict):
            raise forms.ValidationError('Give a JSON object, e.g. {"channel": ["voice"]}.')
        return filters


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time kept naive: the form, not Django, decides which instant it names
    (Django refuses a repeated or skipped time with one vague message)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        text = str(value).strip()
        for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
            try:
                return dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
        raise forms.ValidationError("Give a date and time such as 2026-10-25 02:30.", code="invalid")


class OutageForm(ServiceModelForm, forms.ModelForm):
    starts_at = LocalDateTimeField(
        label="Starts", widget=_LOCAL, help_text="Reporting time zone; contacts created from then on are left out."
    )
    starts_fold = forms.ChoiceField(
        label="If the start happens twice",
        choices=localtime.FOLD_CHOICES,
        required=False,
        help_text="Only on the night the clocks go back, when an hour repeats.",
    )
    ends_at = LocalDateTimeField(
        label="Ends", widget=_LOCAL, help_text="Exclusive: contacts created from then on count again."
    )
    ends_fold = forms.ChoiceField(
        label="If the end happens twice",
        choices=localtime.FOLD_CHOICES,
        required=False,
        help_text="Only on the night the clocks go back, when an hour repeats.",
    )

    class Meta:
        model = OutageWindow
        fields = OUTAGE_FIELDS
        labels = {"sla": "Only for SLA"}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sla"].queryset = contract.slas.all()
        self.fields["sla"].empty_label = "every SLA"
        self.order_fields(["sla", "starts_at", "starts_fold", "ends_at", "ends_fold", "reason"])
        tz = reporting.zone()
        if self.instance.pk:
            # the stored instants on the reporting clock, with which of a repeated hour they are
            for name in ("starts_at", "ends_at"):
                value = getattr(self.instance, name)
                self.initial[name] = value.astimezone(tz).replace(tzinfo=None)
                self.initial[name.replace("_at", "_fold")] = localtime.fold_of(value, tz)

    def clean(self):
        data = super().clean()
        tz = reporting.zone()
        for name in ("starts_at", "ends_at"):
            fold_name = name.replace("_at", "_fold")
            fold = data.pop(fold_name, "")
            if data.get(name) is None:
                continue
            resolved = localtime.resolve(data[name], tz, fold)
            if resolved.problem:
                self.add_error(name, resolved.problem)
                data.pop(name, None)
            else:
                data[name] = resolved.instant
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "The outage must end after it starts.")
        return data
