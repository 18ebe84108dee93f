from django.urls import path

from . import charts, health, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("assets/vega-bundle.js", charts.vega_bundle, name="vega-bundle"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
