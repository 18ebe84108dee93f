"""Hostile strings are data (#9.2): refused at input, stripped before rendering, and a renderer that dies
costs one error response, never the server."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from django import forms
from django.urls import reverse
from rest_framework import serializers

import concord
from concord.providers.forms import SiteForm
from concord.providers.models import Site
from concord.web import api as api_base
from concord.web import charts
from concord.web import forms as web_forms
from concord.web.validators import refuse_control_characters

HOSTILE = "Mani\u001dla"  # U+001D, the group separator: the character of the reported crash


def _concord_modules(suffixes):
    for info in pkgutil.walk_packages(concord.__path__, "concord."):
        if info.name.rsplit(".", 1)[-1] in suffixes:
            yield importlib.import_module(info.name)


def _classes(base, suffixes):
    seen = {}
    for module in _concord_modules(suffixes):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, base) and cls.__module__ == module.__name__:
                seen[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return seen


def test_every_form_with_a_text_field_refuses_control_characters():
    forms_found = _classes(forms.BaseForm, {"forms", "allocation_forms"})
    assert len(forms_found) >= 20  # the walk found the forms, so the check below means something
    unguarded = [
        name
        for name, cls in forms_found.items()
        if any(isinstance(f, forms.CharField) for f in cls.base_fields.values())
        and not issubclass(cls, web_forms.RefuseControlCharacters)
    ]
    assert unguarded == []


def test_every_serializer_text_field_refuses_control_characters():
    found = _classes(serializers.BaseSerializer, {"api"})
    assert len(found) >= 15
    unguarded = []
    for name, cls in found.items():
        if name.startswith("concord.web.api."):
            continue
        for field_name, field in cls().fields.items():
            text = isinstance(field, serializers.CharField) and not field.read_only
            if text and refuse_control_characters not in field.validators:
                unguarded.append(f"{name}.{field_name}")
        assert issubclass(cls, api_base.RefuseControlCharacters), name
    assert unguarded == []


def test_form_says_which_character_to_remove(world):
    form = SiteForm(
        data={"code": "PA-S9", "name": HOSTILE, "city": "Manila", "country": "PH", "timezone": "Asia/Manila",
              "languages": "en", "seats": 10},
    )
    assert not form.is_valid()
    assert "U+001D" in form.errors["name"][0]


def test_api_refuses_a_control_character_in_a_site_name_and_changes_nothing(world, login):
    client = login(world.users["partner_a_lead"])
    response = client.patch(
        f"/api/sites/{world.site_a.pk}/", {"name": HOSTILE}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "U+001D" in str(response.json())
    world.site_a.refresh_from_db()
    assert world.site_a.name == "Partner A site"


def test_a_name_stored_before_the_check_still_draws(world, login):
    # data written before input was checked (or by a migration, or the shell) must not crash the renderer
    Site.objects.filter(pk=world.site_a.pk).update(name=HOSTILE)
    response = login(world.users["client_admin"]).get(reverse("providers:headcount-svg", args=[world.partner_a.pk]))
    assert response.status_code == 200
    svg = response.content.decode()
    assert "<svg" in svg and "Manila" in svg and "\u001d" not in svg


def test_the_page_spec_is_stripped_too(world, login):
    Site.objects.filter(pk=world.site_a.pk).update(name=HOSTILE)
    page = login(world.users["client_admin"]).get(reverse("providers:detail", args=[world.partner_a.pk]))
    assert page.status_code == 200
    assert "Manila" in page.content.decode() and "\\u001d" not in page.content.decode()


def test_a_dying_renderer_is_an_error_response_and_the_server_carries_on(world, login, monkeypatch):
    # Bypass the stripping so the renderer really meets U+001D and aborts (SIGABRT) as it did in the web server.
    Site.objects.filter(pk=world.site_a.pk).update(name=HOSTILE)
    monkeypatch.setattr(charts, "strip_control_deep", lambda spec: spec)
    client = login(world.users["client_admin"])
    url = reverse("providers:headcount-svg", args=[world.partner_a.pk])
    response = client.get(url)
    assert response.status_code == 500
    assert "could not be drawn" in response.content.decode()
    # this process (the "server") is alive, and the next chart is drawn by a fresh renderer
    monkeypatch.undo()
    assert client.get(url).status_code == 200
