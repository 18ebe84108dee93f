"""The knowledge objects the access matrix needs: one article partner A's people may read (program
SHARED, acknowledgement asked, two versions) and one only partner B's may (program BONLY)."""

from __future__ import annotations


def _knowledge_articles(w):
    from concord.knowledge import services
    from concord.knowledge.models import Article

    if not Article.objects.exists():
        admin = w.users["client_admin"]
        for program, slug in ((w.program_shared, "shared-steps"), (w.program_b_only, "b-steps")):
            for number in (1, 2):
                services.publish(
                    user=admin,
                    program=program,
                    data=services.ArticleInput(
                        slug=slug,
                        title=f"{slug} guide",
                        body=f"# Steps\n\nVersion {number} of the refund steps.",
                        requires_ack=True,
                    ),
                )
    return (Article.objects.get(slug="shared-steps"), Article.objects.get(slug="b-steps"))


def _knowledge_target(w):
    return _knowledge_articles(w)[0]


def _article_post(w, obj=None):
    article = obj or _knowledge_target(w)
    return {"title": f"{article.slug} guide", "body": "# Steps\n\nVersion 3.", "ack_due_days": 7, "note": "matrix"}


def _new_article_post(w, obj=None):
    return {"program": "SHARED", "slug": "new-matrix", "title": "New", "body": "Text.", "ack_due_days": 7}


def _new_article_api_post(w, obj=None):
    return {"program": "SHARED", "slug": "new-matrix-api", "title": "New", "body": "Text."}


def _ack_api_post(w, obj=None):
    _knowledge_articles(w)
    return {"program": "SHARED", "slug": "shared-steps", "version": 2}


_SPEC = {
    "start": "q",
    "nodes": {
        "q": {"question": "Which?", "answers": [{"label": "A", "next": "a"}, {"label": "B", "next": "b"}]},
        "a": {"action": "Do A."},
        "b": {"action": "Do B."},
    },
}


def _trees(w):
    """A tree partner A's people serve (SHARED) and one only partner B serves (BONLY)."""
    from concord.knowledge import tree_services
    from concord.knowledge.models import DecisionTree

    if not DecisionTree.objects.exists():
        for program, slug in ((w.program_shared, "shared-tree"), (w.program_b_only, "b-tree")):
            tree_services.publish_tree(user=w.users["client_admin"], program=program, slug=slug, title=slug, spec=_SPEC)
    return (DecisionTree.objects.get(slug="shared-tree"), DecisionTree.objects.get(slug="b-tree"))


def _walks(w):
    """Partner A's agent's walk and partner B's lead's walk, both on the shared tree, at the first question."""
    from concord.knowledge import tree_services
    from concord.knowledge.models import TreeWalk

    shared, _ = _trees(w)
    if not TreeWalk.objects.exists():
        for persona in ("partner_a_agent", "partner_b_lead"):
            tree_services.start_walk(user=w.users[persona], version=shared.current)
    return (TreeWalk.objects.get(user=w.users["partner_a_agent"]), TreeWalk.objects.get(user=w.users["partner_b_lead"]))


def _tree_post(w, obj=None):
    import yaml

    return {"title": "Edited", "spec": yaml.safe_dump(_SPEC), "note": "matrix"}


def _new_tree_post(w, obj=None):
    import yaml

    return {"program": "SHARED", "slug": "new-tree", "title": "New", "spec": yaml.safe_dump(_SPEC)}


def _walk_answer_post(w, obj=None):
    return {"at": "q", "choice": "0"}
