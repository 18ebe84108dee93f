from django.urls import path

from . import calibration_views, coaching_views, dispute_views, sampling_views, setup_views, trend_views, views

app_name = "quality"
urlpatterns = [
    path("", views.index, name="index"),
    path("pick/", views.pick, name="pick"),
    path("forms/<int:pk>/", views.form_detail, name="form-detail"),
    path("agents/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("evaluations/<int:pk>/", views.evaluation, name="evaluation"),
    path("evaluations/<int:pk>/save/", views.evaluation_save, name="evaluation-save"),
    path("calibration/", calibration_views.calibrations, name="calibrations"),
    path("calibration/<int:pk>/", calibration_views.calibration, name="calibration"),
    path("calibration/<int:pk>/score/", calibration_views.calibration_score, name="calibration-score"),
    path("calibration/<int:pk>/submit/", calibration_views.calibration_submit, name="calibration-submit"),
    path("calibration/<int:pk>/close/", calibration_views.calibration_close, name="calibration-close"),
    path("disputes/", dispute_views.disputes, name="disputes"),
    path("evaluations/<int:pk>/dispute/", dispute_views.dispute_raise, name="dispute-raise"),
    path("disputes/<int:pk>/decide/", dispute_views.dispute_decide, name="dispute-decide"),
    path("coaching/", coaching_views.sessions, name="coaching"),
    path("coaching/<int:pk>/", coaching_views.detail, name="coaching-detail"),
    path("agents/<int:pk>/coach/", coaching_views.record, name="coaching-new"),
    path("sampling/", sampling_views.plans, name="sampling"),
    path("sampling/new/", sampling_views.plan_new, name="sampling-new"),
    path("sampling/<int:pk>/", sampling_views.plan_detail, name="sampling-plan"),
    path("calibration/health/", trend_views.calibration_trends, name="calibration-trends"),
    path("forms/<int:pk>/edit/", setup_views.form_edit, name="form-edit"),
    path("calibration/new/", setup_views.calibration_new, name="calibration-new"),
]
