"""A training plan for the shared program: one article, one tree, an assessment bank, a certification and a
gate for contact type ORD, as the client admin saved it."""

from __future__ import annotations

import copy

import pytest

from concord.knowledge import tree_services
from concord.knowledge.training import services

BANK = [
    {"key": "q-refund", "kind": "single", "text": "Refund window?", "choices": ["14 days", "30 days", "90 days"],
     "correct": [1]},
    {"key": "q-photos", "kind": "multiple", "text": "What do you ask for?", "choices": ["Photo", "Receipt", "Name"],
     "correct": [0, 1]},
    {"key": "q-label", "kind": "true_false", "text": "The label must be printed.", "correct": False},
    {"key": "q-case", "kind": "single", "text": "Where is the case number logged?", "choices": ["Notes", "Email"],
     "correct": [0]},
]  # fmt: skip

TREE = {
    "start": "q",
    "nodes": {
        "q": {"question": "Which?", "answers": [{"label": "A", "next": "a"}, {"label": "B", "next": "b"}]},
        "a": {"action": "Do A."},
        "b": {"action": "Do B."},
    },
}


def document(**gate):
    return copy.deepcopy({
        "assessments": [{"key": "returns", "title": "Returns basics", "questions_per_attempt": 3, "pass_percent": 80,
                         "max_attempts": 2, "cooldown_hours": 24, "questions": BANK}],
        "certifications": [{"key": "returns-cert", "title": "Returns desk", "assessment": "returns",
                            "valid_months": 12, "recertify_within_days": 30}],
        "curricula": [{"contact_type": "ORD", "title": "Orders desk", "modules": [
            {"key": "read-refunds", "kind": "article", "article": "refunds", "version": 2},
            {"key": "walk-payment", "kind": "tree", "tree": "payment"},
            {"key": "pass-returns", "kind": "assessment", "assessment": "returns"},
            {"key": "shadow", "kind": "shadowing", "title": "Shadow a senior agent", "hours": 8},
        ]}],
        "gates": [{"contact_type": "ORD", "modules": "all", "certification": "returns-cert", "nesting_days": 14,
                   "nesting_from": "hire", **gate}],
    })  # fmt: skip


@pytest.fixture
def trained(world, publish):
    """The shared program with an article (v1, then v2 asking for acknowledgement), a tree and the plan."""
    publish("refunds", "Refunds", "# Refunds\n\nFirst.")
    publish("refunds", "Refunds", "# Refunds\n\nSecond: log the case number.", requires_ack=True)
    tree_services.publish_tree(
        user=world.users["client_admin"], program=world.program_shared, slug="payment", title="Payment", spec=TREE
    )
    plan, _ = services.save_plan(user=world.users["client_admin"], program=world.program_shared, document=document())
    return plan
