"""One way to run a create/edit form page: validate, call the service, report."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render

from .validators import refuse_control_characters


def form_page(
    request,
    form,
    save: Callable[[dict], object],
    *,
    title: str,
    cancel_url: str,
    success: Callable[[object], str],
    success_message: str,
):
    """Render ``form``; on a valid POST call ``save(cleaned_data)`` (a service) and redirect.

    A ValidationError from the service's full_clean lands on the form's fields,
    so a person sees what to fix next to the field instead of an error page.
    """
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        except IntegrityError:
            form.add_error(None, "That code is already used; choose another one.")
        else:
            messages.success(request, success_message.format(obj=obj))
            return redirect(success(obj))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "web/form_page.html", {"form": form, "title": title, "cancel_url": cancel_url}, status=status
    )


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class RefuseControlCharacters:
    """Mixin for every form: each text field refuses control characters, with a message next to the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and refuse_control_characters not in field.validators:
                field.validators.append(refuse_control_characters)


class Form(RefuseControlCharacters, forms.Form):
    """The base of every plain (non-model) form."""


class ServiceModelForm(RefuseControlCharacters):
    """Mixin for ModelForms whose saving is done by a service.

    Django's ModelForm copies cleaned data onto its instance while validating;
    the service must see the instance as it was to audit before and after, and
    it runs the model's full_clean itself. So the form only validates fields.
    """

    def _post_clean(self):
        pass
