from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/report/", views.sla_report, name="report"),
    path("<int:pk>/compute/", views.compute, name="compute"),
]
