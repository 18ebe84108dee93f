from django.contrib import admin

from .models import Notification, Webhook, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "provider", "kinds", "active")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("webhook", "status", "attempts", "created_at", "delivered_at", "last_error")
    readonly_fields = ("payload",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "subject", "kind", "created_at", "read_at")
