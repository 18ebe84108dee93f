from django.urls import path

from . import views, webhook_views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="read"),
    path("webhooks/", webhook_views.webhook_list, name="webhooks"),
    path("webhooks/new/", webhook_views.webhook_create, name="webhook-create"),
    path("webhooks/<int:pk>/", webhook_views.webhook_edit, name="webhook-edit"),
    path("webhooks/<int:pk>/delete/", webhook_views.webhook_delete, name="webhook-delete"),
    path("webhooks/<int:pk>/test/", webhook_views.webhook_test, name="webhook-test"),
    path("webhooks/<int:pk>/secret/", webhook_views.webhook_secret, name="webhook-secret"),
]
