"""A client admin's webhook pages: list with recent deliveries, add (the secret shown once), edit,
disable, delete, test-send, new secret. Each write goes through ``webhooks`` (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord.web.forms import form_page

from . import webhooks
from .forms import WebhookForm
from .models import Webhook, WebhookDelivery


def _hook(request, pk: int) -> Webhook:
    webhooks.require_admin(request.user)
    return get_object_or_404(Webhook.objects.select_related("provider"), pk=pk)


def _secret_page(request, hook: Webhook, secret: str):
    """The one page that shows the secret: it is not stored anywhere a later page could read it."""
    response = render(request, "notifications/webhook_secret.html", {"hook": hook, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def webhook_list(request):
    webhooks.require_admin(request.user)
    hooks = Webhook.objects.select_related("provider").order_by("name", "pk")
    recent = WebhookDelivery.objects.select_related("webhook")[:20]
    return render(request, "notifications/webhooks.html", {"hooks": hooks, "recent": recent})


@login_required
@require_http_methods(["GET", "POST"])
def webhook_create(request):
    webhooks.require_admin(request.user)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hook, secret = webhooks.webhook_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("url", exc.messages)
        else:
            return _secret_page(request, hook, secret)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": "New webhook", "cancel_url": reverse("notifications:webhooks")}
    return render(request, "web/form_page.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_edit(request, pk: int):
    hook = _hook(request, pk)
    initial = {
        "name": hook.name,
        "url": hook.url,
        "provider": hook.provider,
        "kinds": hook.kinds,
        "active": hook.active,
    }
    return form_page(
        request,
        WebhookForm(request.POST or None, initial=initial),
        lambda d: webhooks.webhook_update(actor=request.user, webhook=hook, **d),
        title=f"Edit webhook {hook.name}",
        cancel_url=reverse("notifications:webhooks"),
        success=lambda h: reverse("notifications:webhooks"),
        success_message="Saved {obj}.",
    )


@login_required
@require_POST
def webhook_delete(request, pk: int):
    hook = _hook(request, pk)
    webhooks.webhook_delete(actor=request.user, webhook=hook)
    messages.success(request, f"Deleted {hook.name}.")
    return redirect("notifications:webhooks")


@login_required
@require_POST
def webhook_test(request, pk: int):
    hook = _hook(request, pk)
    try:
        webhooks.webhook_test(actor=request.user, webhook=hook)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"A signed test post to {hook.name} is queued; its status shows below.")
    return redirect("notifications:webhooks")


@login_required
@require_POST
def webhook_secret(request, pk: int):
    hook = _hook(request, pk)
    return _secret_page(request, hook, webhooks.webhook_new_secret(actor=request.user, webhook=hook))
