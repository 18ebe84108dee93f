"""Decision trees: refused when an agent could get lost, walked one step at a time, every walk counted."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.knowledge import tree_selectors, tree_services, trees
from concord.knowledge.demo_trees import build_trees

BILLING = {
    "start": "reason",
    "nodes": {
        "reason": {"question": "Why did the payment fail?", "answers": [
            {"label": "Card expired", "next": "update"}, {"label": "Not enough funds", "next": "retry"}]},
        "update": {"action": "Send the secure link.", "article": "update-payment-method"},
        "retry": {"action": "Explain the retry schedule (day 1, 3 and 7).", "say": "We will try again."},
    },
}  # fmt: skip


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"start": "x", "nodes": {"a": {"action": "do"}}}, "The start node 'x' is not one of the nodes."),
        ({"start": "a", "nodes": {"a": {"question": "q", "answers": [{"label": "only", "next": "b"}]},
                                  "b": {"action": "do"}}}, "Question 'a' needs at least two answers."),
        ({"start": "a", "nodes": {"a": {"question": "q", "answers": [{"label": "x", "next": "b"},
                                                                      {"label": "y", "next": "nowhere"}]},
                                  "b": {"action": "do"}}},
         "Answer 'y' of 'a' leads to 'nowhere', which is not a node."),
        ({"start": "a", "nodes": {"a": {"question": "q", "answers": [{"label": "x", "next": "b"},
                                                                      {"label": "y", "next": "c"}]},
                                  "b": {"question": "q2", "answers": [{"label": "x", "next": "a"},
                                                                       {"label": "y", "next": "c"}]},
                                  "c": {"action": "do"}}}, "The tree loops: a -> b -> a. A walk must always end."),
        ({"start": "a", "nodes": {"a": {"question": "q", "answers": [{"label": "x", "next": "b"},
                                                                      {"label": "y", "next": "b"}]},
                                  "b": {"action": "do"}, "orphan": {"action": "never"}}},
         "No answer leads to 'orphan': remove it or link to it."),
        ({"start": "a", "nodes": {"a": {"text": "?"}}},
         "Node 'a' is neither a question (question + answers) nor an outcome (action)."),
    ],
)  # fmt: skip
def test_a_tree_an_agent_could_get_lost_in_is_refused_in_words(spec, message):
    with pytest.raises(trees.TreeError) as error:
        trees.check(spec)
    assert str(error.value) == message


def test_walks_are_recorded_and_usage_counts_them(world, client_admin):
    version, created = tree_services.publish_tree(
        user=client_admin, program=world.program_shared, slug="failed-payment", title="Failed payment", spec=BILLING
    )
    assert created
    again, created_again = tree_services.publish_tree(
        user=client_admin, program=world.program_shared, slug="failed-payment", title="Failed payment", spec=BILLING
    )
    assert again.pk == version.pk and not created_again
    agent = world.users["partner_a_agent"]
    lead_b = world.users["partner_b_lead"]
    done = tree_services.start_walk(user=agent, version=version)
    done = tree_services.answer(user=agent, walk=done, at_node="reason", choice=1)
    assert done.completed and done.path == ["reason", "retry"]
    # a second click on the same question changes nothing
    assert tree_services.answer(user=agent, walk=done, at_node="reason", choice=0).path == ["reason", "retry"]
    tree_services.start_walk(user=agent, version=version)  # stopped at the first question
    other = tree_services.start_walk(user=lead_b, version=version)
    tree_services.answer(user=lead_b, walk=other, at_node="reason", choice=0)
    with pytest.raises(PermissionDenied):
        tree_services.answer(user=agent, walk=other, at_node="update", choice=0)
    with pytest.raises(ValidationError):
        tree_services.answer(
            user=agent, walk=tree_services.start_walk(user=agent, version=version), at_node="reason", choice=5
        )
    everyone = tree_selectors.usage(client_admin, version.tree)
    assert (everyone.walks, everyone.completed) == (4, 2)
    assert everyone.stuck == {"reason": 2} and everyone.outcomes == {"retry": 1, "update": 1}
    assert everyone.choices[("reason", "retry")] == 1
    # partner A's lead sees only partner A's walks
    own = tree_selectors.usage(world.users["partner_a_lead"], version.tree)
    assert (own.walks, own.completed, own.outcomes) == (3, 1, {"retry": 1})


def test_the_walk_page_is_usable_with_the_keyboard(world, client_admin, login):
    version, _ = tree_services.publish_tree(
        user=client_admin, program=world.program_shared, slug="failed-payment", title="Failed payment", spec=BILLING
    )
    client = login(world.users["partner_a_agent"])
    response = client.post(f"/knowledge/trees/{version.tree_id}/start/")
    walk_url = response["Location"]
    page = client.get(walk_url).content.decode()
    assert "Why did the payment fail?" in page
    assert '<button type="submit" name="choice" value="0" autofocus>Card expired</button>' in page
    client.post(walk_url + "answer/", {"at": "reason", "choice": "1"})
    page = client.get(walk_url).content.decode()
    assert "Explain the retry schedule" in page and "We will try again." in page
    # someone else's walk is not found
    other = login(world.users["partner_b_lead"])
    assert other.get(walk_url).status_code == 404
    assert other.post(walk_url + "answer/", {"at": "reason", "choice": "0"}).status_code == 404


DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.mark.skipif(not (DATA / "abcd_kb.json").exists(), reason="../shared/data is not beside this checkout")
def test_demo_trees_follow_the_abcd_action_sequences(world, client_admin):
    import json

    class Ctx:
        actor = client_admin
        made = {"programs": {"RETAIL": world.program_shared, "TECH": world.program_b_only}}

        @staticmethod
        def progress(message):
            pass

    assert build_trees(Ctx, DATA) == 10
    kb = json.loads((DATA / "abcd_kb.json").read_text())
    tree = tree_selectors.trees(client_admin).get(slug="account-access")
    spec = tree.current.spec
    assert [a["next"] for a in spec["nodes"]["need"]["answers"]] == [
        "recover_username",
        "recover_password",
        "reset_2fa",
    ]
    assert (
        spec["nodes"]["reset_2fa"]["action"]
        == "Take these steps in order: " + "; then ".join(a.replace("-", " ") for a in kb["reset_2fa"]) + "."
    )
