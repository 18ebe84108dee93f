"""Set-up pages: editing the shared form (a change makes a new version) and setting up a calibration session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from concord.accounts import access
from concord.accounts.models import User
from concord.accounts.roles import ROLE_CAPABILITIES, Cap
from concord.providers.models import Provider

from . import calibration_services, lake_reads, selectors, services
from .inputs import _number
from .scoring import SCALES
from .services import CriterionSpec, SectionSpec

BLANK_ROWS = 3


def _rows_of(version) -> list[dict]:
    return [
        {
            "section": c.section.title,
            "code": c.code,
            "label": c.label,
            "guidance": c.guidance,
            "scale": c.scale,
            "max_points": "" if c.max_points is None else str(c.max_points),
            "weight": f"{c.weight.normalize():f}",
            "na_allowed": c.na_allowed,
            "critical": c.critical,
            "remove": False,
        }
        for c in version.criteria_in_order()
    ]


def _posted_rows(post) -> list[dict]:
    rows = []
    for i in range(int(post.get("rows", "0") or 0) if str(post.get("rows", "0")).isdigit() else 0):
        get = lambda f, i=i: (post.get(f"c-{i}-{f}") or "").strip()  # noqa: E731
        rows.append(
            {
                "section": get("section"),
                "code": get("code"),
                "label": get("label"),
                "guidance": get("guidance"),
                "scale": get("scale"),
                "max_points": get("max_points"),
                "weight": get("weight"),
                "na_allowed": get("na_allowed") == "on",
                "critical": get("critical") == "on",
                "remove": get("remove") == "on",
            }
        )
    return rows


def sections_from_rows(rows: list[dict]) -> list[SectionSpec]:
    """The edit page's rows, in order, grouped by section title; blank and removed rows left out."""
    grouped: dict[str, list[CriterionSpec]] = {}
    for number, row in enumerate(rows, start=1):
        if row["remove"] or not (row["code"] or row["label"]):
            continue
        where = f"Row {number} ({row['label'] or row['code']})"
        if not row["section"]:
            raise ValidationError(f"{where}: name its section.")
        max_points = int(_number(row["max_points"], f"{where}, max points")) if row["max_points"] else None
        grouped.setdefault(row["section"], []).append(
            CriterionSpec(
                code=row["code"],
                label=row["label"],
                scale=row["scale"],
                weight=_number(row["weight"] or "1", f"{where}, weight"),
                guidance=row["guidance"],
                na_allowed=row["na_allowed"],
                critical=row["critical"],
                max_points=max_points,
            )
        )
    return [SectionSpec(title, tuple(criteria)) for title, criteria in grouped.items()]


@login_required
@require_http_methods(["GET", "POST"])
def form_edit(request, pk: int):
    form = selectors.form(request.user, pk)
    services.require_form_editor(request.user)
    rows, note, status = _rows_of(form.current), "", 200
    if request.method == "POST":
        rows, note = _posted_rows(request.POST), request.POST.get("note", "")
        try:
            before = form.current.number
            version = services.form_revise(actor=request.user, form=form, sections=sections_from_rows(rows), note=note)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
        else:
            if version.number == before:
                messages.info(request, f"Nothing changed: still version {version.number}.")
            else:
                messages.success(request, f"Saved as version {version.number}; evaluations made before keep theirs.")
            return redirect(f"{reverse('quality:form-detail', args=[form.pk])}?version={version.number}")
    blanks = [{"section": rows[-1]["section"] if rows else "", "code": "", "label": "", "guidance": "",
               "scale": "yes_no", "max_points": "", "weight": "1", "na_allowed": False, "critical": False,
               "remove": False} for _ in range(BLANK_ROWS)]  # fmt: skip
    if request.method == "GET" or not any(not (r["code"] or r["label"]) for r in rows):
        rows = rows + blanks
    return render(
        request,
        "quality/form_edit.html",
        {"form": form, "rows": rows, "note": note, "scales": SCALES.items(), "count": len(rows)},
        status=status,
    )


def _graders_for(provider) -> list:
    roles = [role.value for role, caps in ROLE_CAPABILITIES.items() if Cap.EVALUATE in caps]
    return list(
        User.objects.filter(is_active=True, role__in=roles, provider_id__in=[provider.pk])
        .union(User.objects.filter(is_active=True, role__in=roles, provider_id__isnull=True))
        .order_by("username")
    )


@login_required
@require_http_methods(["GET", "POST"])
def calibration_new(request):
    """Choose the provider (GET ?provider=), then its graders, the key and the interactions."""
    access.require(request.user, Cap.EVALUATE)
    providers = access.scope(request.user, Provider.objects.all(), "pk").order_by("name")
    raw = request.POST.get("provider") or request.GET.get("provider") or ""
    provider = None
    if raw.isdigit():
        provider = access.get_visible_or_404(request.user, Provider.objects.all(), "pk", pk=int(raw))
    context = {"providers": providers, "provider": provider, "posted": request.POST}
    status = 200
    if provider is not None:
        people = _graders_for(provider)
        context.update(people=people, interactions=lake_reads.recent_for_provider(selectors.lake(), provider.code))
        if request.method == "POST":
            chosen = {str(p) for p in request.POST.getlist("participants")}
            participants = [u for u in people if str(u.pk) in chosen]
            key = next((u for u in participants if str(u.pk) == request.POST.get("key_grader")), None)
            found = []
            for ref in request.POST.getlist("interactions"):
                source, _, external_id = ref.partition("|")
                row = lake_reads.interaction(selectors.lake(), source, external_id)
                if row is None or row.provider != provider.code:
                    raise Http404("No such interaction of this provider.")
                found.append(row)
            form = selectors.forms(request.user).first()
            try:
                if form is None:
                    raise ValidationError("There is no QA form yet.")
                session = calibration_services.session_create(
                    actor=request.user, title=request.POST.get("title", ""), provider=provider,
                    form_version=form.current, participants=participants, key_grader=key, interactions=found,
                )  # fmt: skip
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                status = 400
            else:
                messages.success(request, "Session set up: each grader scores blind until they submit.")
                return redirect("quality:calibration", pk=session.pk)
    return render(request, "quality/calibration_new.html", context, status=status)
