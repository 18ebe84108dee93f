from django import forms

from concord.providers.models import Program
from concord.web.forms import ServiceModelForm

from .models import Scorecard, ScorecardMetric
from .services import LINE_FIELDS, SCORECARD_FIELDS


class ConventionFields:
    """The date counted by and the hours may be left out of a submission: they keep the object's value
    (the default for a new one), so forms and scripts written before the conventions existed still work."""

    def optional_conventions(self) -> None:
        for name in ("count_by", "hours"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_count_by(self):
        return self.cleaned_data.get("count_by") or self.instance.count_by

    def clean_hours(self):
        return self.cleaned_data.get("hours") or self.instance.hours


class ScorecardForm(ConventionFields, ServiceModelForm, forms.ModelForm):
    class Meta:
        model = Scorecard
        fields = SCORECARD_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.order_by("name")
        self.optional_conventions()


class LineForm(ServiceModelForm, forms.ModelForm):
    class Meta:
        model = ScorecardMetric
        fields = LINE_FIELDS
        widgets = {"params": forms.Textarea(attrs={"rows": 2})}

    def clean_params(self):
        return self.cleaned_data.get("params") or {}
