"""Contract API routes, mounted under ``api/contracts/`` by the project's urls."""

from django.urls import path

from . import api, signoff_api

urlpatterns = [
    path("", api.ContractListView.as_view(), name="contract-list"),
    path("<int:pk>/results/", api.SLAResultsView.as_view(), name="contract-sla-results"),
    path("<int:pk>/statement/", api.StatementView.as_view(), name="contract-statement"),
    path("<int:pk>/close/", api.CloseMonthView.as_view(), name="contract-close"),
    path("<int:pk>/statement/accept/", signoff_api.StatementAcceptView.as_view(), name="contract-statement-accept"),
    path("<int:pk>/statement/dispute/", signoff_api.StatementDisputeView.as_view(), name="contract-statement-dispute"),
    path("disputes/<int:pk>/decide/", signoff_api.DisputeDecideView.as_view(), name="contract-dispute-decide"),
]
