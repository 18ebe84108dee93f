"""QA API routes, mounted under ``api/quality/`` by the project's urls."""

from django.urls import path

from . import api, calibration_api

urlpatterns = [
    path("forms/", api.FormListView.as_view(), name="quality-form-list"),
    path("forms/<int:pk>/", api.FormDetailView.as_view(), name="quality-form-detail"),
    path("evaluations/", api.EvaluationListView.as_view(), name="quality-evaluation-list"),
    path("evaluations/<int:pk>/", api.EvaluationDetailView.as_view(), name="quality-evaluation-detail"),
    path("calibrations/", calibration_api.CalibrationListView.as_view(), name="quality-calibration-list"),
    path("calibrations/<int:pk>/", calibration_api.CalibrationDetailView.as_view(), name="quality-calibration-detail"),
    path(
        "calibrations/<int:pk>/results/",
        calibration_api.CalibrationResultsView.as_view(),
        name="quality-calibration-results",
    ),
    path(
        "calibrations/<int:pk>/scores/",
        calibration_api.CalibrationScoresView.as_view(),
        name="quality-calibration-scores",
    ),
    path(
        "calibrations/<int:pk>/submit/",
        calibration_api.CalibrationSubmitView.as_view(),
        name="quality-calibration-submit",
    ),
]
