from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.index, name="index"),
    path("staffing/", views.staffing, name="staffing"),
    path("staffing/<str:chart>.svg", views.staffing_svg, name="staffing-svg"),
]
