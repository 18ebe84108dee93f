"""Planning API routes, mounted under ``api/planning/`` by the project's urls."""

from django.urls import path

from . import api

urlpatterns = [
    path("erlang-c/", api.ErlangCView.as_view(), name="planning-erlang-c"),
    path("erlang-a/", api.ErlangAView.as_view(), name="planning-erlang-a"),
    path("forecasts/", api.ForecastListView.as_view(), name="planning-forecast-list"),
    path("forecasts/<int:pk>/", api.ForecastDetailView.as_view(), name="planning-forecast-detail"),
    path("allocation/", api.AllocationView.as_view(), name="planning-allocation"),
    path("assignments/", api.AssignmentListView.as_view(), name="planning-assignment-list"),
    path("assignments/<int:pk>/commitments/", api.CommitmentCreateView.as_view(), name="planning-assignment-commit"),
]
