from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("", views.index, name="index"),
    path("pick/", views.pick, name="pick"),
    path("forms/<int:pk>/", views.form_detail, name="form-detail"),
    path("agents/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("evaluations/<int:pk>/", views.evaluation, name="evaluation"),
    path("evaluations/<int:pk>/save/", views.evaluation_save, name="evaluation-save"),
]
