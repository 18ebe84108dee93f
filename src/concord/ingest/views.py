"""Ingest pages: runs, upload, a run's live progress, the quarantine download and saved profiles."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.jobs import lifecycle
from concord.lake import blobs
from concord.web.forms import form_page

from . import profile_services, selectors, services
from .engine.profiles import canonical_columns, describe, template_csv
from .forms import SavedProfileForm, UploadForm, WizardForm


@login_required
@require_GET
def run_list(request):
    access.require(request.user, Cap.INGEST)
    services.fail_stale_runs()
    page = Paginator(selectors.runs(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "ingest/run_list.html", {
        "page": page, "runs": page.object_list, "no_worker": lifecycle.waiting_for_worker(), "zone": _zone(),
    })


def _zone() -> str:
    """The zone the pages show times in (Django's current time zone), named on every time."""
    return timezone.get_current_timezone_name()


def _upload_form(request):
    client_side = request.user.provider_id is None
    return UploadForm(
        request.POST or None,
        request.FILES or None,
        profiles=profile_services.profile_names(),
        providers=selectors.upload_providers(request.user) if client_side else None,
        programs=selectors.upload_programs(request.user),
        default_zone=None if client_side else profile_services.default_timezone(request.user.provider),
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    access.require(request.user, Cap.INGEST)
    form = _upload_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.start_upload(
                actor=request.user,
                uploaded_file=data["file"],
                profile_name=data["profile"],
                provider=data.get("provider"),
                dry_run=data["dry_run"],
                options=form.options(),
            )
        except services.IngestRefused as exc:
            form.add_error(exc.field, str(exc))
        else:
            waiting = " It waits until a background worker runs." if lifecycle.waiting_for_worker() else ""
            messages.success(request, f"Received {run.file_name}; it is being ingested.{waiting}")
            return redirect("ingest:run", pk=run.pk)
    status = 400 if request.method == "POST" else 200
    tables = [(name, profile, canonical_columns(name)) for name, profile in TEMPLATES.items()]
    context = {
        "form": form,
        "own_provider": request.user.provider,
        "no_worker": lifecycle.waiting_for_worker(),
        "tables": tables,
    }
    return render(request, "ingest/upload.html", context, status=status)


#: fact tables with a built-in profile that reads Concord's own column names, and that profile
TEMPLATES = {"interactions": "canonical-csv"}


@login_required
@require_GET
def template(request, table: str):
    """A CSV holding the canonical header of ``table``: fill it in and upload it with the canonical-csv profile."""
    access.require(request.user, Cap.INGEST)
    if table not in TEMPLATES:
        raise Http404("No template for that table.")
    response = HttpResponse(template_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="concord-{table}-template.csv"'
    return response


def _run_context(request, run):
    return {
        "run": run,
        "same_file": selectors.same_file_runs(request.user, run)[:5],
        "can_retry": run.status == run.Status.FAILED and bool(run.file_path) and run.via == run.Via.UPLOAD,
        "no_worker": run.status == run.Status.QUEUED and lifecycle.waiting_for_worker(),
        "zone": _zone(),
        "read_as": describe(run.profile_definition or {}),
    }


@login_required
@require_GET
def run_detail(request, pk: int):
    services.fail_stale_runs()
    run = selectors.run(request.user, pk)
    return render(request, "ingest/run_detail.html", _run_context(request, run))


@login_required
@require_GET
def run_status(request, pk: int):
    """The live part of the run page; htmx polls it every second while the run is queued or running."""
    run = selectors.run(request.user, pk)
    return render(request, "ingest/_run_status.html", _run_context(request, run))


@login_required
@require_GET
def quarantine(request, pk: int):
    run = selectors.run(request.user, pk)
    path = run.quarantine_path
    if not path or not blobs.exists(path):
        raise Http404("This run has no rejected rows.")
    stem = Path(run.file_name).stem or f"run-{run.pk}"
    # on this host's disk, or in the lake's store (an upload run by a worker elsewhere)
    source = open(path, "rb") if blobs.is_local(path) else io.BytesIO(blobs.read_bytes(path))  # noqa: SIM115
    return FileResponse(
        source, as_attachment=True, filename=f"{stem}.run-{run.pk}.quarantine.csv", content_type="text/csv"
    )


@login_required
@require_POST
def run_retry(request, pk: int):
    run = selectors.run(request.user, pk)
    try:
        services.retry(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Queued again.")
    return redirect("ingest:run", pk=run.pk)


@login_required
@require_GET
def profile_list(request):
    from .engine.profiles import builtin_profiles

    return render(
        request,
        "ingest/profile_list.html",
        {
            "saved": selectors.saved_profiles(request.user),
            "builtin": sorted(builtin_profiles().values(), key=lambda p: p.name),
            "can_edit": selectors.can_edit_profiles(request.user),
        },
    )


def _require_profile_editor(user) -> None:
    access.require(user, Cap.INGEST)
    if not selectors.can_edit_profiles(user):
        raise PermissionDenied("Saved profiles are defined by the client's people; a partner may use them.")


@login_required
@require_http_methods(["GET", "POST"])
def profile_create(request):
    _require_profile_editor(request.user)
    initial = profile_services.builtin_profile_text(request.GET.get("from", "")) if request.method == "GET" else None
    return form_page(
        request,
        SavedProfileForm(request.POST or None, initial={"definition": initial} if initial else None),
        lambda data: profile_services.saved_profile_create(actor=request.user, **data),
        title="New saved profile",
        cancel_url=reverse("ingest:profiles"),
        success=lambda p: reverse("ingest:profiles"),
        success_message="Saved profile {obj}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, pk: int):
    profile = selectors.saved_profile(request.user, pk)
    _require_profile_editor(request.user)
    return form_page(
        request,
        SavedProfileForm(request.POST or None, instance=profile),
        lambda data: profile_services.saved_profile_update(actor=request.user, profile=profile, **data),
        title=f"Edit profile {profile.name}",
        cancel_url=reverse("ingest:profiles"),
        success=lambda p: reverse("ingest:profiles"),
        success_message="Saved profile {obj}.",
    )


#: the canonical columns a preview shows, when the mapping fills them
PREVIEW_COLUMNS = (
    "external_id", "program", "channel", "created_at", "answered_at", "resolved_at", "interval_start", "queue",
    "offered", "answered", "csat", "customer_key",
)  # fmt: skip


def _yaml(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@login_required
@require_http_methods(["GET", "POST"])
def profile_wizard(request):
    """Map a sample file's columns onto Concord's, see its first rows as they would land, then save the profile."""
    _require_profile_editor(request.user)
    form = WizardForm(
        request.POST or None,
        request.FILES or None,
        providers=selectors.upload_providers(request.user),
        programs=selectors.upload_programs(request.user),
    )
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sample = _wizard_sample(request, data.get("file"))
        if sample is None:
            form.add_error("file", "Upload a sample file.")
        else:
            try:
                definition, preview = profile_services.wizard_preview(
                    actor=request.user, sample=sample, table=data["table"], options=form.options(),
                    provider=data.get("provider"), columns=data.get("columns"),
                )
            except services.IngestRefused as exc:
                form.add_error(None, str(exc))
            else:
                shown = [c for c in PREVIEW_COLUMNS if any(c in row for row in preview.rows)]
                context.update(
                    preview=preview,
                    shown=shown,
                    rows=[[row.get(c) for c in shown] for row in preview.rows],
                    columns_yaml=_yaml({"columns": definition["columns"]}),
                    definition_yaml=_yaml(definition),
                )
    return render(request, "ingest/profile_wizard.html", context, status=400 if form.errors else 200)


def _wizard_sample(request, uploaded) -> Path | None:
    """The sample being mapped: a new upload, kept for this person's next tries, or the one kept before."""
    folder = Path(settings.INGEST_DIR) / "wizard"
    if uploaded is not None:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{request.user.pk}-{secrets.token_hex(8)}.csv"
        with target.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        request.session["wizard_sample"] = target.name
        return target
    name = request.session.get("wizard_sample")
    kept = folder / name if name else None
    return kept if kept is not None and kept.is_file() else None
