from django.urls import path

from . import views

app_name = "ramp"
urlpatterns = [path("", views.index, name="index")]
