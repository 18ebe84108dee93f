"""Demo decision trees from the ABCD dataset in ../shared/data (read at demo time, never copied).

``abcd_ontology.json`` gives the intents (flows) and their subflows; ``abcd_kb.json`` the actions an
agent must take, in order, for each subflow. Each flow becomes a tree: "What does the customer
need?" answered by its subflows, each ending in its required action sequence. Without the data
folder (a clone outside this workspace) the step says so and makes no trees.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import tree_services

#: ABCD flow -> the demo program it belongs to
PROGRAM_OF_FLOW = {"account_access": "TECH", "troubleshoot_site": "TECH"}


def _words(code: str) -> str:
    return code.replace("_", " ").replace("-", " ")


def build_trees(ctx, data_dir: Path | None = None) -> int:
    folder = data_dir or _data_dir()
    kb_file, ontology_file = (folder / "abcd_kb.json", folder / "abcd_ontology.json") if folder else (None, None)
    if not kb_file or not kb_file.exists() or not ontology_file.exists():
        ctx.progress("decision trees: ../shared/data/abcd_*.json not found, none made")
        return 0
    kb = json.loads(kb_file.read_text())
    flows = json.loads(ontology_file.read_text())["intents"]["subflows"]
    made = 0
    for flow, subflows in flows.items():
        nodes = {"need": {"question": f"{_words(flow).capitalize()}: what does the customer need?", "answers": []}}
        for sub in subflows:
            actions = kb.get(sub)
            if not actions:
                continue
            nodes["need"]["answers"].append({"label": _words(sub).capitalize(), "next": sub})
            steps = "; then ".join(_words(a) for a in actions)
            nodes[sub] = {"action": f"Take these steps in order: {steps}."}
        if len(nodes["need"]["answers"]) < 2:
            continue
        program = ctx.made["programs"][PROGRAM_OF_FLOW.get(flow, "RETAIL")]
        tree_services.publish_tree(
            user=ctx.actor, program=program, slug=flow.replace("_", "-"), title=_words(flow).capitalize(),
            spec={"start": "need", "nodes": nodes}, note="From the ABCD action sequences.",
        )  # fmt: skip
        made += 1
    ctx.progress(f"{made} decision trees")
    return made


def _data_dir() -> Path | None:
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data"
        if (parent / "pyproject.toml").exists():
            return candidate if candidate.exists() else None
    return None
