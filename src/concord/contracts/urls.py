from django.urls import path

from . import statement_views, views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/", views.contract_create, name="create"),
    path("<int:pk>/edit/", views.contract_edit, name="edit"),
    path("<int:pk>/slas/new/", views.sla_create, name="sla-create"),
    path("slas/<int:pk>/edit/", views.sla_edit, name="sla-edit"),
    path("slas/<int:pk>/delete/", views.sla_delete, name="sla-delete"),
    path("slas/<int:pk>/history.svg", views.sla_history_svg, name="sla-history-svg"),
    path("<int:pk>/outages/new/", views.outage_create, name="outage-create"),
    path("outages/<int:pk>/edit/", views.outage_edit, name="outage-edit"),
    path("outages/<int:pk>/delete/", views.outage_delete, name="outage-delete"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/report/", views.sla_report, name="report"),
    path("<int:pk>/compute/", views.compute, name="compute"),
    path("<int:pk>/statement/", statement_views.statement_page, name="statement"),
    path("<int:pk>/close/", statement_views.close, name="close"),
    path("<int:pk>/restate/", statement_views.restate, name="restate"),
    path("<int:pk>/statement/accept/", statement_views.accept, name="statement-accept"),
    path("<int:pk>/statement/dispute/", statement_views.dispute, name="statement-dispute"),
    path("disputes/<int:pk>/decide/", statement_views.decide, name="dispute-decide"),
    path("disputes/attachments/<int:pk>/", statement_views.attachment, name="dispute-attachment"),
]
