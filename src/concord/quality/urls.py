from django.urls import path

from . import calibration_views, views

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
]
