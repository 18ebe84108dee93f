"""Knowledge API routes, mounted under ``api/knowledge/`` by the project's urls."""

from django.urls import include, path

from . import api, attachment_api
from .transition import api as transition_api

urlpatterns = [
    path("articles/", api.ArticleListView.as_view(), name="knowledge-article-list"),
    path("articles/<int:pk>/", api.ArticleDetailView.as_view(), name="knowledge-article-detail"),
    path(
        "articles/<int:pk>/attachments/",
        attachment_api.AttachmentListView.as_view(),
        name="knowledge-attachment-list",
    ),
    path("search/", api.SearchView.as_view(), name="knowledge-search"),
    path("acknowledgements/", api.AcknowledgementView.as_view(), name="knowledge-acknowledge"),
    path("adoption/", api.AdoptionView.as_view(), name="knowledge-adoption"),
    path("adoption/curve/", api.AdoptionCurveView.as_view(), name="knowledge-adoption-curve"),
    path("trees/", api.TreeListView.as_view(), name="knowledge-tree-list"),
    path("trees/<int:pk>/", api.TreeDetailView.as_view(), name="knowledge-tree-detail"),
    path("training/", include("concord.knowledge.training.api_urls")),
    path("transitions/", transition_api.PlanListView.as_view(), name="knowledge-transition-list"),
    path("transitions/<int:pk>/", transition_api.PlanDetailView.as_view(), name="knowledge-transition-detail"),
    path(
        "transitions/<int:pk>/comments/", transition_api.PlanCommentView.as_view(), name="knowledge-transition-comment"
    ),
    path(
        "transitions/milestones/<int:pk>/decision/",
        transition_api.MilestoneDecisionView.as_view(),
        name="knowledge-transition-decision",
    ),
]
