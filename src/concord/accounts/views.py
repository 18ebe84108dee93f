"""Pages for signing in, API tokens, users and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord.web.forms import form_page

from . import access, selectors, services
from .forms import AuditFilterForm, TokenForm, UserEditForm, UserForm
from .roles import Cap


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def locked_out(request, response=None, credentials=None):
    """django-axes' lockout page: says when this person may try again, in minutes and as a clock time."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    retry_at = timezone.localtime(timezone.now() + cool_off, timezone.get_fixed_timezone(0))
    context = {"minutes": minutes, "retry_at": retry_at}
    return render(request, "accounts/locked_out.html", context, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


@login_required
@require_GET
def audit_log(request):
    form = AuditFilterForm(request.GET or None, object_types=selectors.audit_object_types(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(entries.select_related("actor"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    access.require(request.user, Cap.USE_API)
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        token, new_key = services.token_create(actor=request.user, name=form.cleaned_data["name"])
        messages.success(request, f"Created the token “{token.name}”. Copy it now: it is not shown again.")
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": selectors.tokens_of(request.user),
            "new_key": new_key,
        },
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(selectors.tokens_of(request.user), pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, f"Revoked the token “{token.name}”; programs using it are refused from now on.")
    return redirect("accounts:tokens")


@login_required
@require_GET
def user_list(request):
    return render(request, "accounts/user_list.html", {"users": selectors.users_visible_to(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    selectors.users_visible_to(request.user)  # refuses those who may not manage users
    return form_page(
        request,
        UserForm(request.POST or None),
        lambda data: services.user_create(actor=request.user, **data),
        title="New user",
        cancel_url=reverse("accounts:users"),
        success=lambda _: reverse("accounts:users"),
        success_message="Created {obj}. They set a password through “Forgot your password?” on the login page.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    user = get_object_or_404(selectors.users_visible_to(request.user), pk=pk)
    return form_page(
        request,
        UserEditForm(request.POST or None, instance=user),
        lambda data: services.user_update(actor=request.user, user=user, **data),
        title=f"Edit {user.username}",
        cancel_url=reverse("accounts:users"),
        success=lambda _: reverse("accounts:users"),
        success_message="Saved {obj}.",
    )
