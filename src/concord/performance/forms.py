from django import forms

from concord.providers.models import Program
from concord.web.forms import ServiceModelForm

from .models import Scorecard, ScorecardMetric
from .services import LINE_FIELDS, SCORECARD_FIELDS


class ScorecardForm(ServiceModelForm, forms.ModelForm):
    class Meta:
        model = Scorecard
        fields = SCORECARD_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.order_by("name")


class LineForm(ServiceModelForm, forms.ModelForm):
    class Meta:
        model = ScorecardMetric
        fields = LINE_FIELDS
        widgets = {"params": forms.Textarea(attrs={"rows": 2})}

    def clean_params(self):
        return self.cleaned_data.get("params") or {}
