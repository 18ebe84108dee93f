"""Decision trees: publishing a version, and walking one step at a time (each walk recorded)."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from concord.accounts import access, audit
from concord.accounts.roles import Cap

from . import trees
from .models import DecisionTree, TreeVersion, TreeWalk


def publish_tree(*, user, program, slug: str, title: str, spec: object, note: str = "") -> tuple[TreeVersion, bool]:
    """A new tree or a new version of one; the same spec and title again changes nothing."""
    access.require(user, Cap.EDIT_KNOWLEDGE)
    errors = {}
    if not slug or len(slug) > 120 or not all(c.isalnum() or c == "-" for c in slug) or slug != slug.lower():
        errors["slug"] = "Slug must be lower-case letters, digits and hyphens."
    if not (title or "").strip() or len(title) > 200:
        errors["title"] = "Give the tree a title of at most 200 characters."
    try:
        cleaned = trees.check(spec)
    except trees.TreeError as exc:
        errors["spec"] = str(exc)
    if errors:
        raise ValidationError(errors)
    digest = hashlib.sha256(json.dumps([title.strip(), cleaned], sort_keys=True).encode()).hexdigest()
    with transaction.atomic():
        tree, _ = DecisionTree.objects.select_for_update().get_or_create(program=program, slug=slug)
        current = tree.current
        if current is not None and current.digest == digest:
            return current, False
        version = TreeVersion.objects.create(
            tree=tree, number=(current.number + 1) if current else 1, title=title.strip(), spec=cleaned,
            digest=digest, note=note[:300], created_by=user if user.pk else None,
        )  # fmt: skip
        audit.record(actor=user, action="create", instance=version, before=None, after=audit.snapshot(version))
    return version, True


def start_walk(*, user, version: TreeVersion) -> TreeWalk:
    access.require(user, Cap.VIEW_KNOWLEDGE)
    if version.tree.current.pk != version.pk:
        raise ValidationError("A newer version of this tree exists: start from that one.")
    return TreeWalk.objects.create(
        version=version, user=user, provider_id=user.provider_id, path=[version.spec["start"]]
    )


def answer(*, user, walk: TreeWalk, at_node: str, choice: int) -> TreeWalk:
    """Follow answer number ``choice`` (0-based) of question ``at_node``, the walk's current node.

    A repeated click (the page sent ``at_node`` again after the walk moved on) changes nothing.
    """
    if walk.user_id != user.pk:
        raise PermissionDenied("Only the person walking this tree can answer it.")
    with transaction.atomic():
        walk = TreeWalk.objects.select_for_update().get(pk=walk.pk)
        if walk.node_id != at_node or walk.completed:  # a second click: the walk already moved on
            return walk
        answers = walk.version.spec["nodes"][walk.node_id].get("answers", [])
        if not 0 <= choice < len(answers):
            raise ValidationError("Choose one of the answers shown.")
        walk.path = [*walk.path, answers[choice]["next"]]
        if trees.is_outcome(walk.version.spec["nodes"][walk.node_id]):
            walk.completed, walk.finished_at = True, timezone.now()
        walk.save(update_fields=["path", "completed", "finished_at"])
    return walk


def back(*, user, walk: TreeWalk) -> TreeWalk:
    """One step back (a mis-click); the walk keeps going from there."""
    if walk.user_id != user.pk:
        raise PermissionDenied("Only the person walking this tree can change it.")
    if len(walk.path) > 1:
        walk.path = walk.path[:-1]
        walk.completed, walk.finished_at = False, None
        walk.save(update_fields=["path", "completed", "finished_at"])
    return walk
