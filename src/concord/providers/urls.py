from django.urls import path

from . import views

app_name = "providers"
urlpatterns = [
    path("", views.provider_list, name="list"),
    path("new/", views.provider_create, name="create"),
    path("<int:pk>/", views.provider_detail, name="detail"),
    path("<int:pk>/edit/", views.provider_edit, name="edit"),
    path("<int:pk>/headcount.svg", views.provider_headcount_svg, name="headcount-svg"),
    path("<int:pk>/sites/new/", views.site_create, name="site-create"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site-edit"),
    path("<int:pk>/teams/new/", views.team_create, name="team-create"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team-edit"),
    path("<int:pk>/agents/new/", views.agent_create, name="agent-create"),
    path("roster/", views.agent_list, name="agents"),
    path("roster/<int:pk>/", views.agent_detail, name="agent-detail"),
    path("roster/<int:pk>/edit/", views.agent_edit, name="agent-edit"),
    path("roster/<int:pk>/external-ids/", views.agent_external_id, name="agent-external-id"),
    path("programs/", views.program_list, name="programs"),
    path("programs/new/", views.program_create, name="program-create"),
    path("programs/<int:pk>/", views.program_detail, name="program-detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program-edit"),
    path("programs/<int:pk>/contact-types/new/", views.contact_type_create, name="contact-type-create"),
    path("contact-types/<int:pk>/edit/", views.contact_type_edit, name="contact-type-edit"),
]
