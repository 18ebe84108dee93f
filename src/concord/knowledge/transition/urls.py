"""Transition plan pages, under ``knowledge/transitions/`` in the knowledge namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.plan_list, name="transitions"),
    path("new/", views.plan_edit, name="transition-new"),
    path("<int:pk>/", views.plan_detail, name="transition"),
    path("<int:pk>/edit/", views.plan_edit, name="transition-edit"),
    path("<int:pk>/timeline.svg", views.plan_svg, name="transition-svg"),
    path("<int:pk>/comment/", views.plan_comment, name="transition-comment"),
    path("milestones/<int:pk>/decision/", views.milestone_decision, name="transition-decision"),
    path("milestones/<int:pk>/due/", views.milestone_due, name="transition-due"),
]
