from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from concord.providers.api import ROUTES as PROVIDER_ROUTES

router = DefaultRouter()
for prefix, viewset, basename in PROVIDER_ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", include("concord.web.urls")),
    path("accounts/", include("concord.accounts.urls")),
    path("providers/", include("concord.providers.urls")),
    path("ingest/", include("concord.ingest.urls")),
    path("performance/", include("concord.performance.urls")),
    path("api/scorecards/", include("concord.performance.api_urls")),
    path("api/drift-alerts/", include("concord.performance.drift_api")),
    path("contracts/", include("concord.contracts.urls")),
    path("api/contracts/", include("concord.contracts.api_urls")),
    path("planning/", include("concord.planning.urls")),
    path("api/planning/", include("concord.planning.api_urls")),
    path("api/ingest/", include("concord.ingest.api")),
    path("quality/", include("concord.quality.urls")),
    path("api/quality/", include("concord.quality.api_urls")),
    path("knowledge/", include("concord.knowledge.urls")),
    path("api/knowledge/", include("concord.knowledge.api_urls")),
    path("ramp/", include("concord.knowledge.ramp.urls")),
    path("api/ramp/", include("concord.knowledge.ramp.api_urls")),
    path("governance/", include("concord.governance.urls")),
    path("api/governance/", include("concord.governance.api_urls")),
    path("notifications/", include("concord.notifications.urls")),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from its own URL (?script=): our CSP allows
    # only same-origin scripts, and the plain view's inline script was blocked (a blank page).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler400 = "concord.web.views.error_400"
handler403 = "concord.web.views.error_403"
handler404 = "concord.web.views.error_404"
handler500 = "concord.web.views.error_500"
