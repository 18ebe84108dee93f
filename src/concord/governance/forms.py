"""Forms of the governance pages: field checks here, the rules in the services."""

from __future__ import annotations

from django import forms

from concord.accounts.models import User
from concord.providers.models import Program, Provider
from concord.web.forms import Form, ServiceModelForm

from .models import Action, Cadence, RaciActivity, Severity
from .services import CADENCE_FIELDS

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people(provider) -> forms.ModelChoiceField:
    """Who may own an action of ``provider``: the client's people and that provider's."""
    qs = User.objects.filter(is_active=True).filter(provider__isnull=True) | User.objects.filter(
        is_active=True, provider=provider
    )
    return forms.ModelChoiceField(queryset=qs.order_by("username"), help_text="On either side.")


class CadenceForm(ServiceModelForm, forms.ModelForm):
    attendees = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        help_text="From the client and from this provider.",
    )
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One standing agenda item a line; start a line with [client] to keep it client-only.",
    )

    class Meta:
        model = Cadence
        fields = CADENCE_FIELDS
        widgets = {"local_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        labels = {
            "local_time": "Start (reporting time zone)",
            "duration_minutes": "Duration (minutes)",
            "weekday": "Weekday (0 = Monday)",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.order_by("name")
        self.fields["program"].queryset = Program.objects.order_by("name")

    def clean_agenda(self):
        items = []
        for line in self.cleaned_data["agenda"].splitlines():
            line = line.strip()
            if line.lower().startswith("[client]"):
                items.append((line[8:].strip()[:200], True))
            elif line:
                items.append((line[:200], False))
        return items


class NoteForm(Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    client_only = forms.BooleanField(required=False, help_text="Only the client's people see it (page and PDF).")


class AgendaItemForm(Form):
    title = forms.CharField(max_length=200)
    client_only = forms.BooleanField(required=False)


class DecisionForm(Form):
    what = forms.CharField(max_length=300, label="What was decided")
    why = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Why")
    raci_activity = forms.ModelChoiceField(
        queryset=RaciActivity.objects.none(), required=False, label="RACI row that allows it"
    )

    def __init__(self, *args, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        if provider is not None:
            self.fields["raci_activity"].queryset = RaciActivity.objects.filter(program__providers=provider).distinct()


class ActionForm(Form):
    title = forms.CharField(max_length=200)
    owner = forms.ModelChoiceField(queryset=User.objects.none())
    due = forms.DateField(widget=_DATE)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    cause_kind = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    cause_id = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    cause_url = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = people(provider)

    def clean_cause_url(self):
        url = self.cleaned_data["cause_url"]
        if url and not url.startswith("/"):
            raise forms.ValidationError("A cause link is a path inside Concord, starting with /.")
        return url


class ActionStatusForm(Form):
    status = forms.ChoiceField(choices=Action.Status.choices)


class EscalationForm(Form):
    severity = forms.ModelChoiceField(queryset=Severity.objects.none())
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].queryset = Severity.objects.filter(ladder__provider=provider)


class EscalationUpdateForm(Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    resolve = forms.BooleanField(required=False, help_text="This update resolves the escalation.")
