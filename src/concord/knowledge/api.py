"""REST endpoints for the knowledge base: the same selectors and services as the pages.

A partner's LMS or helpdesk records acknowledgements here for its own agents (by the provider's
own employee id); an agent's own login acknowledges for itself by leaving ``employee_id`` out.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.providers.models import Agent
from concord.web.api import Serializer, capability

from . import adoption_detail, selectors, services
from .adoption import GROUPINGS, adoption
from .models import ArticleVersion

PROBLEM = {"description": "RFC 9457 problem details naming what is wrong."}


class ArticleOut(Serializer):
    id = serializers.IntegerField()
    program = serializers.CharField()
    slug = serializers.CharField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    contact_type = serializers.CharField(allow_null=True)
    requires_ack = serializers.BooleanField()
    published_at = serializers.DateTimeField()
    review_by = serializers.DateField(allow_null=True)
    review_overdue = serializers.BooleanField()


class ArticleDetailOut(ArticleOut):
    body_markdown = serializers.CharField()
    body_html = serializers.CharField()
    note = serializers.CharField()


class HitOut(Serializer):
    program = serializers.CharField()
    slug = serializers.CharField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    score = serializers.FloatField()


class SearchOut(Serializer):
    hits = HitOut(many=True)


class ArticleIn(Serializer):
    """One input schema with ``services.ArticleInput`` (the page's form and the import CLI use it too)."""

    program = serializers.CharField(max_length=32)
    slug = serializers.SlugField(max_length=120)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=200_000)
    contact_type = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    requires_ack = serializers.BooleanField(required=False, default=False)
    ack_due_days = serializers.IntegerField(min_value=1, max_value=90, required=False, default=7)
    audience = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=64)), required=False, default=dict
    )
    review_by = serializers.DateField(required=False, allow_null=True, default=None)


class PublishedOut(Serializer):
    article = ArticleOut()
    created = serializers.BooleanField(help_text="False: the current version already said this; nothing changed.")


class AcknowledgementIn(Serializer):
    program = serializers.CharField(max_length=32)
    slug = serializers.SlugField(max_length=120)
    version = serializers.IntegerField(min_value=1, max_value=100_000, help_text="The version the agent read.")
    employee_id = serializers.CharField(
        max_length=64,
        required=False,
        help_text="Your provider's id for the agent; leave out to acknowledge as yourself.",
    )
    acknowledged_at = serializers.DateTimeField(required=False, help_text="When they read it (default: now).")


class AcknowledgementOut(Serializer):
    program = serializers.CharField()
    slug = serializers.CharField()
    version = serializers.IntegerField()
    employee_id = serializers.CharField()
    acknowledged_at = serializers.DateTimeField()


class AdoptionRowOut(Serializer):
    provider = serializers.CharField()
    site = serializers.CharField()
    team = serializers.CharField()
    required = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    overdue = serializers.IntegerField()
    share_percent = serializers.FloatField(allow_null=True)
    median_hours_to_acknowledge = serializers.FloatField(allow_null=True)


class AdoptionOut(Serializer):
    by = serializers.CharField()
    rows = AdoptionRowOut(many=True)


class CurvePointOut(Serializer):
    provider = serializers.CharField()
    day = serializers.IntegerField(help_text="Days since publication.")
    share_percent = serializers.FloatField(help_text="Percent acknowledged within that many days.")
    pairs = serializers.IntegerField(help_text="Acknowledgements asked of versions at least that old.")


class CurveOut(Serializer):
    points = CurvePointOut(many=True)


def article_json(article, version: ArticleVersion, *, detail: bool = False) -> dict:
    data = {
        "id": article.pk,
        "program": article.program.code,
        "slug": article.slug,
        "title": version.title,
        "version": version.number,
        "contact_type": article.contact_type.code if article.contact_type_id else None,
        "requires_ack": version.requires_ack,
        "published_at": version.created_at,
        "review_by": article.review_by,
        "review_overdue": selectors.is_stale(article),
    }
    if detail:
        data |= {"body_markdown": version.body, "body_html": version.html, "note": version.note}
    return data


_PROGRAM = OpenApiParameter("program", str, description="Only this program's articles (its code).")


class ArticleListView(APIView):
    permission_classes = [capability(Cap.VIEW_KNOWLEDGE)]

    @extend_schema(
        operation_id="knowledge_articles_list", parameters=[_PROGRAM], responses={200: ArticleOut(many=True)}
    )
    def get(self, request):
        rows = selectors.articles(request.user, program=request.query_params.get("program") or None)
        return Response([article_json(a, v) for a, v in rows])

    @extend_schema(
        operation_id="knowledge_articles_publish",
        request=ArticleIn,
        responses={201: PublishedOut, 200: PublishedOut, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    def post(self, request):
        access.require(request.user, Cap.EDIT_KNOWLEDGE)
        data = ArticleIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        program = selectors.visible_programs(request.user).filter(code=fields.pop("program")).first()
        if program is None:
            raise Http404
        published = services.publish(user=request.user, program=program, data=services.ArticleInput(**fields))
        version = published.version
        body = {"article": article_json(version.article, version), "created": published.created}
        return Response(body, status=201 if published.created else 200)


class ArticleDetailView(APIView):
    permission_classes = [capability(Cap.VIEW_KNOWLEDGE)]

    @extend_schema(operation_id="knowledge_articles_retrieve", responses={200: ArticleDetailOut, 404: PROBLEM})
    def get(self, request, pk: int):
        article = selectors.article(request.user, pk)
        return Response(article_json(article, article.current, detail=True))


class SearchView(APIView):
    permission_classes = [capability(Cap.VIEW_KNOWLEDGE)]

    @extend_schema(
        operation_id="knowledge_search",
        parameters=[OpenApiParameter("q", str, description="Words to look for (none: no hits)."), _PROGRAM],
        responses={200: SearchOut, 400: PROBLEM},
    )
    def get(self, request):
        query = (request.query_params.get("q") or "").strip()
        if len(query) > 200:
            raise serializers.ValidationError({"q": "Search with at most 200 characters."})
        hits = (
            []
            if not query
            else selectors.find(request.user, query, program=request.query_params.get("program") or None)
        )
        return Response(
            {
                "hits": [
                    {"program": h.program, "slug": h.slug, "title": h.title, "version": h.version, "score": h.score}
                    for h in hits
                ]
            }
        )


class AcknowledgementView(APIView):
    permission_classes = [capability(Cap.VIEW_KNOWLEDGE)]

    @extend_schema(
        operation_id="knowledge_acknowledge",
        request=AcknowledgementIn,
        responses={201: AcknowledgementOut, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    def post(self, request):
        data = AcknowledgementIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        article = selectors.article(request.user, program=fields["program"], slug=fields["slug"])
        version = selectors.version(request.user, article=article, number=fields["version"])
        agent = None
        if fields.get("employee_id"):
            access.require(request.user, Cap.RECORD_ACKNOWLEDGEMENTS)
            # another provider's agent and an unknown id get the same answer
            agent = Agent.objects.filter(
                provider_id=access.provider_scope(request.user), employee_id=fields["employee_id"]
            ).first()
            if agent is None:
                raise Http404
        ack = services.acknowledge(
            user=request.user, version=version, agent=agent, via="api", at=fields.get("acknowledged_at")
        )
        return Response(
            {
                "program": article.program.code,
                "slug": article.slug,
                "version": ack.version.number,
                "employee_id": ack.agent.employee_id,
                "acknowledged_at": ack.acknowledged_at,
            },
            status=201,
        )


class AdoptionView(APIView):
    permission_classes = [capability(Cap.VIEW_ADOPTION)]

    @extend_schema(
        operation_id="knowledge_adoption",
        parameters=[
            OpenApiParameter("by", str, enum=list(GROUPINGS), description="Group by provider, site or team."),
            OpenApiParameter("provider", str, description="Only this provider (its code)."),
        ],
        responses={200: AdoptionOut, 400: PROBLEM},
    )
    def get(self, request):
        by = request.query_params.get("by", "provider")  # sent empty is not one of the documented values: a 400
        if by not in GROUPINGS:
            raise serializers.ValidationError({"by": f"Group by one of {', '.join(GROUPINGS)}."})
        rows = adoption(request.user, by=by, provider=request.query_params.get("provider") or None)
        return Response({"by": by, "rows": [r.as_json() for r in rows]})


class AdoptionCurveView(APIView):
    """How fast each provider acknowledges: the share given within each day after publication."""

    permission_classes = [capability(Cap.VIEW_ADOPTION)]

    @extend_schema(
        operation_id="knowledge_adoption_curve",
        parameters=[OpenApiParameter("provider", str, description="Only this provider (its code).")],
        responses={200: CurveOut},
    )
    def get(self, request):
        points = adoption_detail.curve(request.user, provider=request.query_params.get("provider") or None)
        keep = ("provider", "day", "share_percent", "pairs")
        return Response({"points": [{k: p[k] for k in keep} for p in points]})


class TreeOut(Serializer):
    id = serializers.IntegerField()
    program = serializers.CharField()
    slug = serializers.CharField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    spec = serializers.DictField(help_text="start, then nodes: questions with answers, or outcomes with an action.")


def tree_json(tree) -> dict:
    version = tree.current
    return {"id": tree.pk, "program": tree.program.code, "slug": tree.slug, "title": version.title,
            "version": version.number, "spec": version.spec}  # fmt: skip


class TreeListView(APIView):
    permission_classes = [capability(Cap.VIEW_KNOWLEDGE)]

    @extend_schema(operation_id="knowledge_trees_list", responses={200: TreeOut(many=True)})
    def get(self, request):
        from . import tree_selectors

        return Response([tree_json(t) for t in tree_selectors.trees(request.user) if t.current is not None])


class TreeDetailView(APIView):
    permission_classes = [capability(Cap.VIEW_KNOWLEDGE)]

    @extend_schema(operation_id="knowledge_trees_retrieve", responses={200: TreeOut, 404: PROBLEM})
    def get(self, request, pk: int):
        from . import tree_selectors

        return Response(tree_json(tree_selectors.tree(request.user, pk)))
