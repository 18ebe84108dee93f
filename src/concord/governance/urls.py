from django.urls import path

from . import views

app_name = "governance"
urlpatterns = [
    path("", views.index, name="index"),
    path("cadences/new/", views.cadence_create, name="cadence-create"),
    path("cadences/<int:pk>/", views.cadence_detail, name="cadence"),
    path("cadences/<int:pk>/schedule/", views.cadence_schedule, name="cadence-schedule"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/notes/", views.meeting_note, name="meeting-note"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda, name="meeting-agenda"),
    path("meetings/<int:pk>/decisions/", views.meeting_decision, name="meeting-decision"),
    path("meetings/<int:pk>/close/", views.meeting_close, name="meeting-close"),
    path("meetings/<int:pk>/pack/", views.meeting_pack_page, name="meeting-pack"),
    path("packs/<int:pk>/", views.pack_page, name="pack"),
    path("packs/<int:pk>/pdf/", views.pack_pdf, name="pack-pdf"),
    path("actions/", views.action_list, name="actions"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/status/", views.action_status, name="action-status"),
    path("providers/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("raci/", views.raci, name="raci"),
    path("escalations/", views.escalation_list, name="escalations"),
    path("escalations/<int:pk>/", views.escalation_detail, name="escalation"),
    path("escalations/<int:pk>/acknowledge/", views.escalation_ack, name="escalation-ack"),
    path("escalations/<int:pk>/updates/", views.escalation_update, name="escalation-update"),
    path("providers/<int:pk>/escalations/new/", views.escalation_create, name="escalation-create"),
]
