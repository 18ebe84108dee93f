"""Attachment pages: download (audience-checked, never rendered inline), upload and removal from the edit page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from concord.accounts import access
from concord.accounts.roles import Cap

from . import attachment_selectors, attachment_services, selectors


@login_required
@require_GET
def download(request, pk):
    found = attachment_selectors.attachment(user=request.user, pk=pk)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404("The stored file is missing.") from None
    # attachment + nosniff: an uploaded file is never rendered (or guessed at) by the browser as a page
    response = FileResponse(handle, as_attachment=True, filename=found.name, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def upload(request, pk):
    article = selectors.article(request.user, pk)
    access.require(request.user, Cap.EDIT_KNOWLEDGE)
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, "Choose a file to attach.")
    for upload_file in files:
        try:
            attachment_services.attach(user=request.user, article=article, upload=upload_file)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Attached {attachment_services.clean_name(upload_file.name)}.")
    return redirect("knowledge:edit", pk=article.pk)


@login_required
@require_POST
def remove(request, pk):
    found = attachment_selectors.attachment(user=request.user, pk=pk)
    access.require(request.user, Cap.EDIT_KNOWLEDGE)
    try:
        attachment_services.remove(user=request.user, attachment=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Removed {found.name} from the current version.")
    return redirect("knowledge:edit", pk=found.version.article_id)
