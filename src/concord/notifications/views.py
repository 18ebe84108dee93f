"""The inbox: one's own notices, newest first; marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services


@login_required
@require_GET
def inbox(request):
    notices = selectors.inbox(request.user)[:200]
    return render(request, "notifications/inbox.html", {"notices": notices})


@login_required
@require_POST
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if str(i).isdigit()] or None
    services.mark_read(user=request.user, ids=ids)
    return redirect("notifications:inbox")
