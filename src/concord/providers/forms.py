from django import forms

from concord.web.forms import Form, ServiceModelForm

from .models import Agent, ContactType, Program, Provider, Site, Team
from .services import EDITABLE_FIELDS


class ProviderForm(ServiceModelForm, forms.ModelForm):
    class Meta:
        model = Provider
        fields = EDITABLE_FIELDS[Provider]


class SiteForm(ServiceModelForm, forms.ModelForm):
    class Meta:
        model = Site
        fields = EDITABLE_FIELDS[Site]


class TeamForm(ServiceModelForm, forms.ModelForm):
    class Meta:
        model = Team
        fields = EDITABLE_FIELDS[Team]

    def __init__(self, *args, provider: Provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(provider=provider)


class AgentForm(ServiceModelForm, forms.ModelForm):
    class Meta:
        model = Agent
        fields = EDITABLE_FIELDS[Agent]
        widgets = {
            "hire_date": forms.DateInput(attrs={"type": "date"}),
            "exit_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, provider: Provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(provider=provider)
        self.fields["team"].queryset = Team.objects.filter(provider=provider)


class ProgramForm(ServiceModelForm, forms.ModelForm):
    providers = forms.ModelMultipleChoiceField(
        queryset=Provider.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Which providers serve this program.",
    )

    class Meta:
        model = Program
        fields = (*EDITABLE_FIELDS[Program], "providers")


class ContactTypeForm(ServiceModelForm, forms.ModelForm):
    class Meta:
        model = ContactType
        fields = EDITABLE_FIELDS[ContactType]


class ExternalIdForm(Form):
    source = forms.CharField(max_length=40, help_text="The system, e.g. zendesk, genesys, roster.")
    external_id = forms.CharField(max_length=120, label="Id in that system")
