"""Ramp API routes, mounted under ``api/ramp/`` by the project's urls."""

from django.urls import path

from . import api

urlpatterns = [path("", api.RampView.as_view(), name="ramp-curves")]
