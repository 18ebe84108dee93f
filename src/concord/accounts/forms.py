from django import forms
from django.core.exceptions import ValidationError

from concord.providers.models import Provider
from concord.web.forms import Form, ServiceModelForm

from .models import User
from .roles import CLIENT_ROLES


class UserForm(ServiceModelForm, forms.ModelForm):
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.all(),
        required=False,
        empty_label="— Client (our own people) —",
        help_text="Leave empty for the client's own people; pick a provider for a partner's user.",
    )

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "provider", "role")

    def clean(self):
        data = super().clean()
        provider, role = data.get("provider"), data.get("role")
        if role and (provider is None) != (role in CLIENT_ROLES):
            raise ValidationError("Client users take a client role; a provider's users take a provider role.")
        return data


class UserEditForm(UserForm):
    class Meta(UserForm.Meta):
        fields = ("first_name", "last_name", "email", "provider", "role", "is_active")


class TokenForm(Form):
    name = forms.CharField(max_length=100, help_text="What uses it, e.g. 'nightly Zendesk feed'.")


class AuditFilterForm(Form):
    actor = forms.CharField(required=False, label="Who")
    object_type = forms.ChoiceField(required=False, label="What")
    action = forms.ChoiceField(
        required=False,
        choices=[("", "Any change"), ("create", "Created"), ("update", "Updated"), ("delete", "Deleted")],
    )
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="Until", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Anything")] + [(t, t) for t in object_types]
