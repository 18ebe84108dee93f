"""Decision trees for exceptions, as data: questions and answers that end in an action or an article.

A tree's spec (YAML or JSON) is::

    start: reason
    nodes:
      reason:
        question: Why is the customer calling?
        answers:
          - {label: The payment failed, next: retry}
          - {label: They were charged twice, next: double}
      retry:
        action: Explain the retry schedule (day 1, 3 and 7).
        say: We will retry on the next date; update your card before then.
        article: failed-payment        # optional: the article to open
      ...

A node is a question (with two or more answers) or an outcome (``action``, optional ``say`` and
``article``). ``check`` refuses, in the author's words, a spec that an agent could get lost in: a
missing start, an answer leading nowhere, a loop, a node no path reaches (no Django).
"""

from __future__ import annotations

from collections.abc import Mapping

NODE_ID_MAX = 64


class TreeError(ValueError):
    pass


def check(spec: object) -> dict:
    """The spec as stored, or ``TreeError`` naming the node and what is wrong."""
    if not isinstance(spec, Mapping) or not isinstance(spec.get("nodes"), Mapping) or not spec.get("nodes"):
        raise TreeError("A tree needs 'start' and 'nodes' (a mapping of node id to question or outcome).")
    nodes: Mapping = spec["nodes"]
    start = spec.get("start")
    if start not in nodes:
        raise TreeError(f"The start node {start!r} is not one of the nodes.")
    cleaned: dict[str, dict] = {}
    for node_id, node in nodes.items():
        if not isinstance(node_id, str) or not node_id or len(node_id) > NODE_ID_MAX:
            raise TreeError(f"Node id {node_id!r} must be a short text.")
        if not isinstance(node, Mapping):
            raise TreeError(f"Node {node_id!r} must be a question or an outcome.")
        cleaned[node_id] = _node(node_id, node, nodes)
    _acyclic_and_reachable(start, cleaned)
    return {"start": start, "nodes": cleaned}


def _node(node_id: str, node: Mapping, nodes: Mapping) -> dict:
    if "question" in node:
        answers = node.get("answers")
        if not isinstance(answers, list) or len(answers) < 2:
            raise TreeError(f"Question {node_id!r} needs at least two answers.")
        out = []
        for n, answer in enumerate(answers, 1):
            if not isinstance(answer, Mapping) or not str(answer.get("label", "")).strip():
                raise TreeError(f"Answer {n} of {node_id!r} needs a label.")
            if answer.get("next") not in nodes:
                raise TreeError(f"Answer {answer['label']!r} of {node_id!r} leads to {answer.get('next')!r}, "
                                "which is not a node.")  # fmt: skip
            out.append({"label": str(answer["label"]).strip(), "next": answer["next"]})
        return {"question": str(node["question"]).strip(), "answers": out}
    if "action" in node:
        outcome = {"action": str(node["action"]).strip()}
        for key in ("say", "article"):
            if node.get(key):
                outcome[key] = str(node[key]).strip()
        return outcome
    raise TreeError(f"Node {node_id!r} is neither a question (question + answers) nor an outcome (action).")


def _acyclic_and_reachable(start: str, nodes: dict[str, dict]) -> None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node_id: str, path: list[str]) -> None:
        if state.get(node_id) == 1:
            loop = " -> ".join([*path[path.index(node_id) :], node_id])
            raise TreeError(f"The tree loops: {loop}. A walk must always end.")
        if state.get(node_id) == 2:
            return
        state[node_id] = 1
        for answer in nodes[node_id].get("answers", []):
            visit(answer["next"], [*path, node_id])
        state[node_id] = 2

    visit(start, [])
    unreachable = sorted(set(nodes) - set(state))
    if unreachable:
        raise TreeError(f"No answer leads to {', '.join(repr(n) for n in unreachable)}: remove it or link to it.")


def is_outcome(node: Mapping) -> bool:
    return "action" in node
