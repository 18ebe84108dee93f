"""Governance API routes, mounted under ``api/governance/``."""

from django.urls import path

from . import api

urlpatterns = [
    path("meetings/", api.MeetingListView.as_view(), name="governance-meeting-list"),
    path("meetings/<int:pk>/", api.MeetingDetailView.as_view(), name="governance-meeting-detail"),
    path("meetings/<int:pk>/pack/", api.MeetingPackView.as_view(), name="governance-meeting-pack"),
    path("meetings/<int:pk>/close/", api.MeetingCloseView.as_view(), name="governance-meeting-close"),
    path("actions/", api.ActionListView.as_view(), name="governance-action-list"),
    path("actions/<int:pk>/", api.ActionDetailView.as_view(), name="governance-action-detail"),
    path("escalations/", api.EscalationListView.as_view(), name="governance-escalation-list"),
    path("escalations/<int:pk>/acknowledge/", api.EscalationAckView.as_view(), name="governance-escalation-ack"),
]
