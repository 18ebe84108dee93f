"""Reads of decision trees and walks, for one user: trees of the programs they serve, their own walks,
and branch usage over the walks in their scope (the client: everyone's; a partner: its own)."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

from django.http import Http404

from concord.accounts import access
from concord.accounts.roles import Cap

from .models import DecisionTree, TreeWalk
from .selectors import visible_programs


def trees(user):
    return DecisionTree.objects.filter(program__in=visible_programs(user)).select_related("program")


def tree(user, pk: int) -> DecisionTree:
    found = trees(user).filter(pk=pk).first()
    if found is None or found.current is None:
        raise Http404("No such decision tree.")
    return found


def walk(user, pk: int) -> TreeWalk:
    """One's own walk, or one in the user's scope for those who see adoption (a lead coaching an agent);
    only its walker answers it."""
    walks = TreeWalk.objects.filter(pk=pk).select_related("version__tree__program")
    if access.can(user, Cap.VIEW_ADOPTION):
        found = access.scope(user, walks).first()
    else:
        found = walks.filter(user=user).first()
    if found is None:
        raise Http404("No such walk.")
    return found


@dataclass
class Usage:
    walks: int = 0
    completed: int = 0
    visits: Counter = field(default_factory=Counter)  # node id -> walks that reached it
    choices: Counter = field(default_factory=Counter)  # (node id, next node id) -> walks that took it
    stuck: Counter = field(default_factory=Counter)  # node id -> unfinished walks that stopped there
    outcomes: Counter = field(default_factory=Counter)  # outcome node id -> walks that ended there


def usage(user, tree_: DecisionTree) -> Usage:
    """Which branches are used and where people stop, over every version's walks in the user's scope."""
    access.require(user, Cap.VIEW_ADOPTION)
    walks = access.scope(user, TreeWalk.objects.filter(version__tree=tree_))
    result = Usage()
    for path, completed in walks.values_list("path", "completed"):
        result.walks += 1
        result.visits.update(set(path))
        result.choices.update(itertools.pairwise(path))
        if completed:
            result.completed += 1
            result.outcomes[path[-1]] += 1
        else:
            result.stuck[path[-1]] += 1
    return result
