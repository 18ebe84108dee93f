from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.index, name="index"),
    path("staffing/", views.staffing, name="staffing"),
    path("staffing/<str:chart>.svg", views.staffing_svg, name="staffing-svg"),
    path("forecasts/", views.forecast_list, name="forecasts"),
    path("forecasts/new/", views.forecast_create, name="forecast-create"),
    path("forecasts/<int:pk>/", views.forecast_detail, name="forecast-detail"),
    path("forecasts/<int:pk>/status/", views.forecast_status, name="forecast-status"),
    path("forecasts/<int:pk>/retry/", views.forecast_retry, name="forecast-retry"),
    path("forecasts/<int:pk>/override/", views.forecast_override, name="forecast-override"),
    path("forecasts/<int:pk>/assign/", views.forecast_assign, name="forecast-assign"),
    path("assigned/", views.assigned_list, name="assigned"),
    path("assigned/<int:pk>/", views.assignment_detail, name="assignment-detail"),
    path("assigned/<int:pk>/commit/", views.assignment_commit, name="assignment-commit"),
    path("allocation/", views.allocation, name="allocation"),
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/delete/", views.event_delete, name="event-delete"),
]
