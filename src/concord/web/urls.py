from django.urls import path

from . import charts, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("assets/vega-bundle.js", charts.vega_bundle, name="vega-bundle"),
]
