"""QA API routes, mounted under ``api/quality/`` by the project's urls."""

from django.urls import path

from . import api, calibration_api, coaching_api, dispute_api, sampling_api, trend_views

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
    path("disputes/", dispute_api.DisputeListView.as_view(), name="quality-dispute-list"),
    path("disputes/rates/", dispute_api.DisputeRatesView.as_view(), name="quality-dispute-rates"),
    path("disputes/<int:pk>/", dispute_api.DisputeDetailView.as_view(), name="quality-dispute-detail"),
    path("disputes/<int:pk>/decision/", dispute_api.DisputeDecisionView.as_view(), name="quality-dispute-decision"),
    path("coaching/", coaching_api.CoachingListView.as_view(), name="quality-coaching-list"),
    path("coaching/<int:pk>/", coaching_api.CoachingDetailView.as_view(), name="quality-coaching-detail"),
    path("sampling/", sampling_api.PlanListView.as_view(), name="quality-sampling-list"),
    path("sampling/<int:pk>/", sampling_api.PlanDetailView.as_view(), name="quality-sampling-detail"),
    path("calibrations/health/", trend_views.CalibrationTrendsView.as_view(), name="quality-calibration-trends"),
]
