"""QA API routes, mounted under ``api/quality/`` by the project's urls."""

from django.urls import path

from . import api

urlpatterns = [
    path("forms/", api.FormListView.as_view(), name="quality-form-list"),
    path("forms/<int:pk>/", api.FormDetailView.as_view(), name="quality-form-detail"),
    path("evaluations/", api.EvaluationListView.as_view(), name="quality-evaluation-list"),
    path("evaluations/<int:pk>/", api.EvaluationDetailView.as_view(), name="quality-evaluation-detail"),
]
