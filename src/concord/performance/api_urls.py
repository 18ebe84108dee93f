"""Scorecard API routes, mounted under ``api/scorecards/`` by the project's urls."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.ScorecardListView.as_view(), name="scorecard-list"),
    path("query/", api.ScorecardQueryView.as_view(), name="scorecard-query"),
]
