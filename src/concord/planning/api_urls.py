"""Planning API routes, mounted under ``api/planning/`` by the project's urls."""

from django.urls import path

from . import api

urlpatterns = [
    path("erlang-c/", api.ErlangCView.as_view(), name="planning-erlang-c"),
    path("erlang-a/", api.ErlangAView.as_view(), name="planning-erlang-a"),
]
