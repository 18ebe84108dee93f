"""Training pages, mounted under ``knowledge/training/`` (names in the ``knowledge`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="training"),
    path("readiness/", views.readiness, name="training-readiness"),
    path("plans/<int:pk>/", views.plan_edit, name="training-plan"),
    path("agents/<int:pk>/", views.agent_page, name="training-agent"),
    path("agents/<int:pk>/shadowing/", views.shadowing, name="training-shadowing"),
    path("agents/<int:pk>/nesting/", views.nesting, name="training-nesting"),
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/<int:pk>/<slug:assessment>/start/", views.assessment_start, name="assessment-start"),
    path("attempts/<int:pk>/", views.attempt_page, name="attempt"),
]
