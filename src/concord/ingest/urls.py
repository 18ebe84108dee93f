from django.urls import path

from . import views

app_name = "ingest"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("upload/", views.upload, name="upload"),
    path("templates/<str:table>.csv", views.template, name="template"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/status/", views.run_status, name="run-status"),
    path("runs/<int:pk>/quarantine.csv", views.quarantine, name="quarantine"),
    path("runs/<int:pk>/retry/", views.run_retry, name="run-retry"),
    path("profiles/", views.profile_list, name="profiles"),
    path("profiles/new/", views.profile_create, name="profile-create"),
    path("profiles/wizard/", views.profile_wizard, name="profile-wizard"),
    path("profiles/<int:pk>/edit/", views.profile_edit, name="profile-edit"),
]
