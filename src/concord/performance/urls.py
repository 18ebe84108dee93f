from django.urls import path

from . import drift_views, views

app_name = "performance"
urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("me/", views.own_numbers, name="own"),
    path("providers/<int:pk>/", views.provider_scorecard, name="provider"),
    path(
        "providers/<int:pk>/scorecards/<int:scorecard>/chart.svg", views.provider_chart_svg, name="provider-chart-svg"
    ),
    path("scorecards/", views.scorecard_list, name="scorecards"),
    path("scorecards/new/", views.scorecard_create, name="scorecard-create"),
    path("scorecards/<int:pk>/", views.scorecard_detail, name="scorecard-detail"),
    path("scorecards/<int:pk>/edit/", views.scorecard_edit, name="scorecard-edit"),
    path("scorecards/<int:pk>/lines/new/", views.line_create, name="line-create"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line-edit"),
    path("lines/<int:pk>/delete/", views.line_delete, name="line-delete"),
    path("drift/", drift_views.alert_list, name="drift-alerts"),
    path("drift/<int:pk>/", drift_views.alert_detail, name="drift-alert"),
    path("drift/<int:pk>/chart.svg", drift_views.alert_svg, name="drift-alert-svg"),
    path("drift/<int:pk>/action/", drift_views.alert_action, name="drift-alert-action"),
]
