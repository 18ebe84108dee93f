"""Decision tree pages: the list, one tree with its branch usage, editing as data, walking step by step."""

from __future__ import annotations

import yaml
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.web.forms import Form

from . import tree_selectors, tree_services, trees


@login_required
@require_GET
def tree_list(request):
    rows = [(t, t.current) for t in tree_selectors.trees(request.user)]
    return render(
        request, "knowledge/trees.html", {"rows": rows, "can_edit": access.can(request.user, Cap.EDIT_KNOWLEDGE)}
    )


@login_required
@require_GET
def tree_detail(request, pk):
    tree = tree_selectors.tree(request.user, pk)
    version = tree.current
    usage = tree_selectors.usage(request.user, tree) if access.can(request.user, Cap.VIEW_ADOPTION) else None
    nodes = []
    for node_id, node in version.spec["nodes"].items():
        row = {"id": node_id, "node": node, "outcome": trees.is_outcome(node)}
        if usage is not None:
            row["visits"] = usage.visits[node_id]
            row["stuck"] = usage.stuck[node_id]
            row["ended"] = usage.outcomes[node_id]
            row["answers"] = [
                {"label": a["label"], "next": a["next"], "taken": usage.choices[(node_id, a["next"])]}
                for a in node.get("answers", [])
            ]
        nodes.append(row)
    return render(request, "knowledge/tree.html", {
        "tree": tree, "version": version, "nodes": nodes, "usage": usage,
        "can_edit": access.can(request.user, Cap.EDIT_KNOWLEDGE),
    })  # fmt: skip


class TreeForm(Form):
    slug = forms.SlugField(max_length=120)
    title = forms.CharField(max_length=200)
    spec = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 24}), help_text="YAML: start, then nodes (see the example)."
    )
    note = forms.CharField(required=False, max_length=300, help_text="What changed and why.")

    def __init__(self, *args, programs=None, tree=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tree is None:
            self.fields["program"] = forms.ModelChoiceField(queryset=programs, to_field_name="code")
        else:
            self.fields["slug"].disabled = True
            self.initial["slug"] = tree.slug

    def clean_spec(self):
        try:
            return yaml.safe_load(self.cleaned_data["spec"])
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark else ""
            raise forms.ValidationError(f"The tree is not valid YAML{where}.") from None


EXAMPLE = """start: reason
nodes:
  reason:
    question: Why did the payment fail?
    answers:
      - {label: Card expired, next: update}
      - {label: Not enough funds, next: retry}
  update:
    action: Send the secure link to update the card.
    article: update-payment-method
  retry:
    action: Explain the retry schedule (day 1, 3 and 7).
    say: We will try again on the next date.
"""


@login_required
@require_http_methods(["GET", "POST"])
def tree_edit(request, pk=None):
    tree = tree_selectors.tree(request.user, pk) if pk else None  # someone else's: 404 before 403
    access.require(request.user, Cap.EDIT_KNOWLEDGE)
    programs = tree_selectors.visible_programs(request.user)
    if request.method == "POST":
        form = TreeForm(request.POST, programs=programs, tree=tree)
        if form.is_valid():
            program = tree.program if tree else form.cleaned_data["program"]
            try:
                version, created = tree_services.publish_tree(
                    user=request.user, program=program, slug=form.cleaned_data["slug"],
                    title=form.cleaned_data["title"], spec=form.cleaned_data["spec"], note=form.cleaned_data["note"],
                )  # fmt: skip
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Published version {version.number}." if created else "Nothing changed.")
                return redirect("knowledge:tree", pk=version.tree_id)
    else:
        initial = {"spec": EXAMPLE}
        if tree:
            v = tree.current
            initial = {
                "slug": tree.slug,
                "title": v.title,
                "spec": yaml.safe_dump(v.spec, sort_keys=False, allow_unicode=True),
            }
        form = TreeForm(initial=initial, programs=programs, tree=tree)
    return render(request, "knowledge/tree_edit.html", {"form": form, "tree": tree})


@login_required
@require_POST
def tree_start(request, pk):
    tree = tree_selectors.tree(request.user, pk)
    walk = tree_services.start_walk(user=request.user, version=tree.current)
    return redirect("knowledge:walk", pk=walk.pk)


@login_required
@require_GET
def walk_page(request, pk):
    walk = tree_selectors.walk(request.user, pk)
    spec = walk.version.spec
    steps = []
    for here, there in zip(walk.path, walk.path[1:], strict=False):
        label = next(a["label"] for a in spec["nodes"][here]["answers"] if a["next"] == there)
        steps.append({"question": spec["nodes"][here]["question"], "answer": label})
    node = spec["nodes"][walk.node_id]
    article = None
    if node.get("article"):
        from .models import Article

        article = Article.objects.filter(program=walk.version.tree.program, slug=node["article"]).first()
    return render(request, "knowledge/walk.html", {
        "walk": walk, "node": node, "steps": steps, "outcome": trees.is_outcome(node), "article": article,
        "mine": walk.user_id == request.user.pk,
    })  # fmt: skip


@login_required
@require_POST
def walk_answer(request, pk):
    walk = tree_selectors.walk(request.user, pk)
    try:
        choice = int(request.POST.get("choice", ""))
    except ValueError:
        choice = -1
    try:
        tree_services.answer(user=request.user, walk=walk, at_node=request.POST.get("at", ""), choice=choice)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("knowledge:walk", pk=walk.pk)


@login_required
@require_POST
def walk_back(request, pk):
    walk = tree_selectors.walk(request.user, pk)
    tree_services.back(user=request.user, walk=walk)
    return redirect("knowledge:walk", pk=walk.pk)
