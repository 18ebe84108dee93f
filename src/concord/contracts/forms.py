"""Contract, SLA and outage forms: field checks here, the model's rules through the services."""

from __future__ import annotations

from django import forms

from concord import metrics as metric_engine
from concord.providers.models import Program, Provider
from concord.web.forms import ServiceModelForm

from .models import SLA, Contract, OutageWindow
from .services import CONTRACT_FIELDS, OUTAGE_FIELDS, SLA_FIELDS
from .units import unit_words

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _params_help() -> str:
    parts = []
    for m in sorted(metric_engine.REGISTRY.values(), key=lambda m: m.key):
        if m.params:
            parts.append(f"{m.key}: " + ", ".join(f"{p.name} (default {p.default})" for p in m.params))
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


class SLAForm(ServiceModelForm, forms.ModelForm):
    class Meta:
        model = SLA
        fields = SLA_FIELDS
        widgets = {"params": forms.Textarea(attrs={"rows": 2}), "filters": forms.Textarea(attrs={"rows": 2})}
        labels = {"metric_key": "Metric", "allocation_percent": "Pool allocation (% of at risk)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["params"].help_text = _params_help()
        self.fields["target"].help_text = _target_help()
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


class OutageForm(ServiceModelForm, forms.ModelForm):
    class Meta:
        model = OutageWindow
        fields = OUTAGE_FIELDS
        widgets = {"starts_at": _LOCAL, "ends_at": _LOCAL}
        labels = {"sla": "Only for SLA", "starts_at": "Starts", "ends_at": "Ends"}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sla"].queryset = contract.slas.all()
        self.fields["sla"].empty_label = "every SLA"
        self.fields["starts_at"].help_text = "Reporting time zone; contacts created from then on are left out."
        self.fields["ends_at"].help_text = "Exclusive: contacts created from then on count again."

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "The outage must end after it starts.")
        return data
