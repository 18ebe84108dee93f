from django.urls import include, path

from . import attachment_views, tree_views, views

app_name = "knowledge"
urlpatterns = [
    path("", views.index, name="index"),
    path("adoption/", views.adoption_page, name="adoption"),
    path("new/", views.edit, name="new"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("articles/<int:pk>/edit/", views.edit, name="edit"),
    path("articles/<int:pk>/changes/", views.diff, name="diff"),
    path("articles/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("articles/<int:pk>/attachments/", attachment_views.upload, name="attachment-upload"),
    path("attachments/<int:pk>/", attachment_views.download, name="attachment"),
    path("attachments/<int:pk>/remove/", attachment_views.remove, name="attachment-remove"),
    path("trees/", tree_views.tree_list, name="trees"),
    path("trees/new/", tree_views.tree_edit, name="tree-new"),
    path("trees/<int:pk>/", tree_views.tree_detail, name="tree"),
    path("trees/<int:pk>/edit/", tree_views.tree_edit, name="tree-edit"),
    path("trees/<int:pk>/start/", tree_views.tree_start, name="tree-start"),
    path("walks/<int:pk>/", tree_views.walk_page, name="walk"),
    path("walks/<int:pk>/answer/", tree_views.walk_answer, name="walk-answer"),
    path("walks/<int:pk>/back/", tree_views.walk_back, name="walk-back"),
    path("training/", include("concord.knowledge.training.urls")),  # names stay in the knowledge namespace
    path("transitions/", include("concord.knowledge.transition.urls")),
]
