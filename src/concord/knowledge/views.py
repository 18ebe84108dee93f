"""Knowledge pages: the list, search, an article with its history and diffs, acknowledging, adoption."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.web.charts import CHART_CSP

from . import adoption_detail, attachment_services, markdown, selectors, services
from .adoption import GROUPINGS, adoption
from .adoption_charts import adoption_chart
from .forms import ArticleForm


@login_required
@require_GET
def index(request):
    program = request.GET.get("program") or None
    query = (request.GET.get("q") or "").strip()[:200]
    programs = selectors.visible_programs(request.user)
    if query:
        hits = selectors.find(request.user, query, program=program, limit=30)
        rows = []
    else:
        hits = None
        pending = {r["version"].pk for r in selectors.to_acknowledge(request.user)}
        rows = [
            {"article": a, "version": v, "stale": selectors.is_stale(a), "pending": v.pk in pending}
            for a, v in selectors.articles(request.user, program=program)
        ]
    return render(
        request,
        "knowledge/index.html",
        {
            "rows": rows,
            "hits": hits,
            "q": query,
            "program": program or "",
            "programs": programs,
            "can_edit": access.can(request.user, Cap.EDIT_KNOWLEDGE),
            "can_adoption": access.can(request.user, Cap.VIEW_ADOPTION),
            # an agent reads "acknowledged" where everyone else reads that the version asks for it
            "reads_as_agent": access.can(request.user, Cap.VIEW_OWN_NUMBERS)
            and not access.can(request.user, Cap.VIEW_ROSTER),
        },
    )


@login_required
@require_GET
def article(request, pk):
    found = selectors.article(request.user, pk)
    current = found.current
    acknowledged = selectors.own_acknowledgement(request.user, found)
    return render(
        request,
        "knowledge/article.html",
        {
            "article": found,
            "version": current,
            "versions": found.versions.select_related("created_by").order_by("-number"),
            "acknowledged": acknowledged,
            "changes": selectors.changes_since(found, acknowledged.version if acknowledged else None),
            "stale": selectors.is_stale(found),
            "can_ack": current.requires_ack
            and access.can(request.user, Cap.VIEW_OWN_NUMBERS)
            and (acknowledged is None or acknowledged.version_id != current.pk),
            "can_edit": access.can(request.user, Cap.EDIT_KNOWLEDGE),
        },
    )


@login_required
@require_GET
def diff(request, pk):
    """Two versions side by side; by default the current one against the one before."""
    found = selectors.article(request.user, pk)
    current = found.current.number
    try:
        b = int(request.GET.get("to") or current)
        a = int(request.GET.get("from") or max(b - 1, 1))
    except ValueError:
        raise Http404("Choose two versions to compare.") from None
    before = selectors.version(request.user, article=found, number=a)
    after = selectors.version(request.user, article=found, number=b)
    table = markdown.diff_html(before.body, after.body, before_label=f"v{a}", after_label=f"v{b}")
    context = {"article": found, "before": before, "after": after, "table": table, "same": a == b}
    return render(request, "knowledge/diff.html", context)


@login_required
@require_POST
def acknowledge(request, pk):
    found = selectors.article(request.user, pk)
    try:
        services.acknowledge(user=request.user, version=found.current)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Acknowledged version {found.current.number}.")
    return redirect("knowledge:article", pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk=None):
    """A new article (``new/``) or a new version of one (``articles/<pk>/edit/``)."""
    existing = selectors.article(request.user, pk) if pk else None  # someone else's: 404 before 403, like reads
    access.require(request.user, Cap.EDIT_KNOWLEDGE)
    programs = selectors.visible_programs(request.user)
    if request.method == "POST":
        form = ArticleForm(request.POST, programs=programs, article=existing)
        if form.is_valid():
            program = existing.program if existing else form.cleaned_data["program"]
            try:
                published = services.publish(user=request.user, program=program, data=form.to_input())
            except ValidationError as exc:
                _attach(form, exc)
            else:
                if published.created:
                    messages.success(request, f"Published version {published.version.number}.")
                else:
                    messages.info(request, "Nothing changed: the current version already says this.")
                return redirect("knowledge:article", pk=published.version.article_id)
    else:
        initial = {"ack_due_days": 7}
        if existing:
            v = existing.current
            initial = {
                "slug": existing.slug,
                "title": v.title,
                "body": v.body,
                "requires_ack": v.requires_ack,
                "contact_type": existing.contact_type.code if existing.contact_type else "",
                "ack_due_days": v.ack_due_days,
                "audience": _yaml(v.audience),
                "review_by": existing.review_by,
            }
        form = ArticleForm(initial=initial, programs=programs, article=existing)
    context = {"form": form, "article": existing, "attachment_max_mb": attachment_services.max_bytes() // 2**20}
    return render(request, "knowledge/edit.html", context)


def _yaml(audience: dict) -> str:
    import yaml

    return yaml.safe_dump(audience, default_flow_style=True).strip() if audience else ""


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_GET
@csp_update(CHART_CSP)
def adoption_page(request):
    by = request.GET.get("by") if request.GET.get("by") in GROUPINGS else "provider"
    rows = adoption(request.user, by=by)
    late, late_total = adoption_detail.overdue(request.user)
    articles = adoption_detail.by_article(request.user)
    providers = sorted({(r.provider, r.provider_name) for r in rows})
    context = {
        "rows": rows, "by": by, "groupings": GROUPINGS, "chart": adoption_chart(adoption_detail.curve(request.user)),
        "curve_days": adoption_detail.CURVE_DAYS, "articles": articles, "providers": providers,
        "late": late, "late_total": late_total,
    }  # fmt: skip
    return render(request, "knowledge/adoption.html", context)
