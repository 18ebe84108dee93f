"""Training API routes, mounted under ``api/knowledge/training/`` by the knowledge API's urls."""

from django.urls import path

from . import api

urlpatterns = [
    path("plans/", api.PlanListView.as_view(), name="training-plan-list"),
    path("results/", api.ResultView.as_view(), name="training-results"),
    path("shadowing/", api.ShadowingView.as_view(), name="training-shadowing"),
    path("certifications/", api.CertificationView.as_view(), name="training-certifications"),
    path("readiness/", api.ReadinessView.as_view(), name="training-readiness"),
]
