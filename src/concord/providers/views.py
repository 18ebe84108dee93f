"""Pages for providers, sites, teams, the roster and programs. Thin: selectors read, services write."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.web.charts import CHART_CSP, svg_response
from concord.web.forms import form_page

from . import charts, selectors, services
from .forms import AgentForm, ContactTypeForm, ExternalIdForm, ProgramForm, ProviderForm, SiteForm, TeamForm
from .models import Agent, Site, Team


@login_required
@require_GET
def provider_list(request):
    return render(
        request,
        "providers/provider_list.html",
        {
            "providers": selectors.providers(request.user),
            "can_create": access.can(request.user, Cap.EDIT_PROVIDERS),
        },
    )


@login_required
@require_GET
@csp_update(CHART_CSP)
def provider_detail(request, pk: int):
    provider = selectors.provider(request.user, pk)
    can_roster = access.can(request.user, Cap.VIEW_ROSTER)
    context = {
        "provider": provider,
        "sites": selectors.sites(request.user, provider),
        "teams": selectors.teams(request.user, provider),
        "can_edit": access.can(request.user, Cap.EDIT_PROVIDERS),
        "can_edit_sites": access.can(request.user, Cap.EDIT_SITES_TEAMS),
        "can_roster": can_roster,
    }
    if can_roster:
        context["headcount_spec"] = charts.headcount_chart(selectors.headcount_by_site(request.user, provider))
        context["attrition"] = selectors.attrition_summary(request.user, provider)
    return render(request, "providers/provider_detail.html", context)


@login_required
@require_GET
def provider_headcount_svg(request, pk: int):
    access.require(request.user, Cap.VIEW_ROSTER)
    provider = selectors.provider(request.user, pk)
    spec = charts.headcount_chart(selectors.headcount_by_site(request.user, provider))
    return svg_response(spec, f"headcount-{provider.code}")


@login_required
@require_http_methods(["GET", "POST"])
def provider_create(request):
    access.require(request.user, Cap.EDIT_PROVIDERS)
    return form_page(
        request,
        ProviderForm(request.POST or None),
        lambda data: services.provider_create(actor=request.user, **data),
        title="New provider",
        cancel_url=reverse("providers:list"),
        success=lambda p: reverse("providers:detail", args=[p.pk]),
        success_message="Created {obj}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request, pk: int):
    provider = selectors.provider(request.user, pk)
    access.require_for_provider(request.user, Cap.EDIT_PROVIDERS, provider.pk)
    return form_page(
        request,
        ProviderForm(request.POST or None, instance=provider),
        lambda data: services.provider_update(actor=request.user, provider=provider, **data),
        title=f"Edit {provider}",
        cancel_url=reverse("providers:detail", args=[pk]),
        success=lambda p: reverse("providers:detail", args=[p.pk]),
        success_message="Saved {obj}.",
    )


def _child_create(request, pk: int, model, form_class, label: str, cap: Cap, **form_kwargs):
    provider = selectors.provider(request.user, pk)
    access.require_for_provider(request.user, cap, provider.pk)
    extra = {"provider": provider} if form_class in (TeamForm, AgentForm) else {}
    return form_page(
        request,
        form_class(request.POST or None, **extra),
        lambda data: services.create_for_provider(actor=request.user, model=model, provider=provider, **data),
        title=f"New {label} for {provider}",
        cancel_url=reverse("providers:detail", args=[pk]),
        success=lambda obj: reverse("providers:detail", args=[pk]),
        success_message="Created {obj}.",
    )


def _child_edit(request, obj, form_class, cap: Cap, success_url: str):
    access.require_for_provider(request.user, cap, obj.provider_id)
    extra = {"provider": obj.provider} if form_class in (TeamForm, AgentForm) else {}
    return form_page(
        request,
        form_class(request.POST or None, instance=obj, **extra),
        lambda data: services.update_for_provider(actor=request.user, instance=obj, **data),
        title=f"Edit {obj}",
        cancel_url=success_url,
        success=lambda _: success_url,
        success_message="Saved {obj}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_create(request, pk: int):
    return _child_create(request, pk, Site, SiteForm, "site", Cap.EDIT_SITES_TEAMS)


@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request, pk: int):
    site = selectors.site(request.user, pk)
    return _child_edit(
        request, site, SiteForm, Cap.EDIT_SITES_TEAMS, reverse("providers:detail", args=[site.provider_id])
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request, pk: int):
    return _child_create(request, pk, Team, TeamForm, "team", Cap.EDIT_SITES_TEAMS)


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, pk: int):
    team = selectors.team(request.user, pk)
    return _child_edit(
        request, team, TeamForm, Cap.EDIT_SITES_TEAMS, reverse("providers:detail", args=[team.provider_id])
    )


@login_required
@require_GET
def agent_list(request):
    agents = selectors.agents(request.user)
    q = request.GET.get("q", "").strip()
    provider_id = request.GET.get("provider", "")
    status = request.GET.get("status", "")
    if q:
        agents = agents.filter(display_name__icontains=q) | agents.filter(employee_id__icontains=q)
    if provider_id.isdigit():
        agents = agents.filter(provider_id=int(provider_id))
    if status in Agent.Status.values:
        agents = agents.filter(status=status)
    page = Paginator(agents.order_by("provider__name", "display_name"), 50).get_page(request.GET.get("page"))
    template = "providers/_agent_rows.html" if request.htmx else "providers/agent_list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "q": q,
            "status": status,
            "provider_id": provider_id,
            "providers": selectors.providers(request.user),
            "statuses": Agent.Status.choices,
        },
    )


@login_required
@require_GET
def agent_detail(request, pk: int):
    agent = selectors.agent(request.user, pk)
    return render(
        request,
        "providers/agent_detail.html",
        {
            "agent": agent,
            "can_edit": access.can(request.user, Cap.EDIT_ROSTER),
            "external_id_form": ExternalIdForm(),
        },
    )


@login_required
@require_http_methods(["POST"])
def agent_external_id(request, pk: int):
    """Record how this agent is named in one source system (replacing that system's previous id)."""
    agent = selectors.agent(request.user, pk)
    access.require_for_provider(request.user, Cap.EDIT_ROSTER, agent.provider_id)
    form = ExternalIdForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give both the system and the id in it.")
    else:
        try:
            services.agent_set_external_id(actor=request.user, agent=agent, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Saved the id.")
    return redirect("providers:agent-detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def agent_create(request, pk: int):
    return _child_create(request, pk, Agent, AgentForm, "agent", Cap.EDIT_ROSTER)


@login_required
@require_http_methods(["GET", "POST"])
def agent_edit(request, pk: int):
    agent = selectors.agent(request.user, pk)
    return _child_edit(request, agent, AgentForm, Cap.EDIT_ROSTER, reverse("providers:agent-detail", args=[pk]))


@login_required
@require_GET
def program_list(request):
    return render(
        request,
        "providers/program_list.html",
        {
            "programs": selectors.programs(request.user).prefetch_related("providers", "contact_types"),
            "can_edit": access.can(request.user, Cap.EDIT_PROGRAMS),
        },
    )


@login_required
@require_GET
def program_detail(request, pk: int):
    program = selectors.program(request.user, pk)
    return render(
        request,
        "providers/program_detail.html",
        {
            "program": program,
            "contact_types": selectors.contact_types(request.user, program),
            "providers": access.scope(request.user, program.providers.all(), "pk"),
            "can_edit": access.can(request.user, Cap.EDIT_PROGRAMS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request):
    access.require(request.user, Cap.EDIT_PROGRAMS)
    return form_page(
        request,
        ProgramForm(request.POST or None),
        lambda data: services.program_create(actor=request.user, **data),
        title="New program",
        cancel_url=reverse("providers:programs"),
        success=lambda p: reverse("providers:program-detail", args=[p.pk]),
        success_message="Created {obj}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request, pk: int):
    program = selectors.program(request.user, pk)
    access.require(request.user, Cap.EDIT_PROGRAMS)
    return form_page(
        request,
        ProgramForm(request.POST or None, instance=program, initial={"providers": list(program.providers.all())}),
        lambda data: services.program_update(actor=request.user, program=program, **data),
        title=f"Edit {program}",
        cancel_url=reverse("providers:program-detail", args=[pk]),
        success=lambda p: reverse("providers:program-detail", args=[p.pk]),
        success_message="Saved {obj}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_type_create(request, pk: int):
    program = selectors.program(request.user, pk)
    access.require(request.user, Cap.EDIT_PROGRAMS)
    return form_page(
        request,
        ContactTypeForm(request.POST or None),
        lambda data: services.contact_type_create(actor=request.user, program=program, **data),
        title=f"New contact type for {program}",
        cancel_url=reverse("providers:program-detail", args=[pk]),
        success=lambda ct: reverse("providers:program-detail", args=[pk]),
        success_message="Created {obj}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_type_edit(request, pk: int):
    contact_type = selectors.contact_type(request.user, pk)
    access.require(request.user, Cap.EDIT_PROGRAMS)
    back = reverse("providers:program-detail", args=[contact_type.program_id])
    return form_page(
        request,
        ContactTypeForm(request.POST or None, instance=contact_type),
        lambda data: services.contact_type_update(actor=request.user, contact_type=contact_type, **data),
        title=f"Edit {contact_type}",
        cancel_url=back,
        success=lambda _: back,
        success_message="Saved {obj}.",
    )
