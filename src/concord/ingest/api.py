"""REST endpoints for ingestion: JSON batches for near-real-time feeds, and the runs (scoped like the pages).

``POST /api/ingest/batches/`` takes ``{"profile": NAME, "provider": CODE?, "dry_run": false, "rows": [...]}``
with at most 10,000 rows and answers with the run's counts and every rejected row (row, column, reason).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.roles import Cap
from concord.jobs import lifecycle
from concord.providers.models import Provider
from concord.web import api as api_base
from concord.web.api import capability

from . import selectors, services
from .engine.profiles import IngestOptions
from .engine.run import MAX_API_ROWS
from .models import IngestRun

#: a batch body above this many bytes is refused before it is parsed
MAX_BATCH_BYTES = 64 << 20


class RunSerializer(api_base.ModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # a client run
    # plain text, not an enum: "status" choice sets of several models would collide in the schema
    status = serializers.CharField(read_only=True, help_text="queued, running, succeeded or failed")
    waiting_for_worker = serializers.SerializerMethodField(
        help_text="True while the run is queued and no background worker is running: it waits until one starts."
    )

    class Meta:
        model = IngestRun
        fields = (
            "id", "status", "via", "file_name", "file_sha256", "profile_name", "table", "provider", "dry_run",
            "started_by_name", "created_at", "started_at", "finished_at", "read", "accepted", "rejected", "skipped",
            "inserted", "updated", "unchanged", "version_before", "version_after", "duration_seconds",
            "new_agents", "error_message", "progress_rows", "progress_bytes", "progress_total_bytes",
            "waiting_for_worker",
        )
        read_only_fields = fields

    def get_waiting_for_worker(self, run) -> bool:
        return run.status == IngestRun.Status.QUEUED and lifecycle.waiting_for_worker()


class RunDetailSerializer(RunSerializer):
    class Meta(RunSerializer.Meta):
        fields = (*RunSerializer.Meta.fields, "rejections")
        read_only_fields = fields


class RejectedRowSerializer(api_base.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    reason = serializers.CharField()


class BatchRequestSerializer(api_base.Serializer):
    profile = serializers.CharField(max_length=200, help_text="A built-in or saved profile, e.g. canonical-jsonl.")
    provider = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text="Bind every row to this provider (code)."
    )
    dry_run = serializers.BooleanField(default=False, help_text="Validate only; write nothing to the lake.")
    program = serializers.CharField(
        max_length=32, required=False, allow_null=True, help_text="Program (code) of rows that name none."
    )
    contact_type = serializers.CharField(
        max_length=32, required=False, allow_null=True, help_text="Contact type (code) of rows that name none."
    )
    timezone = api_base.TimeZoneField(
        required=False,
        allow_null=True,
        help_text="IANA zone of times without an offset; default: the provider's site zone, else the reporting zone.",
    )
    maps = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)),
        required=False,
        help_text='Value maps per column, e.g. {"channel": {"phone": "voice"}}.',
    )
    rows = serializers.ListField(
        child=serializers.DictField(), help_text=f"A JSON array of at most {MAX_API_ROWS} objects, one a row."
    )


class BatchResponseSerializer(RunSerializer):
    rejected_rows = RejectedRowSerializer(many=True, read_only=True)

    class Meta(RunSerializer.Meta):
        fields = (*RunSerializer.Meta.fields, "rejected_rows")
        read_only_fields = fields


class BatchView(APIView):
    permission_classes = [capability(Cap.INGEST)]

    @extend_schema(request=BatchRequestSerializer, responses={201: BatchResponseSerializer, 400: None, 413: None})
    def post(self, request):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > MAX_BATCH_BYTES:
            return _too_large(f"the body has {length} bytes; send at most {MAX_BATCH_BYTES} bytes per batch.")
        payload = BatchRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        rows = data["rows"]
        if len(rows) > MAX_API_ROWS:
            return _too_large(f"{len(rows)} rows sent; send at most {MAX_API_ROWS} rows per batch (split it).")
        provider = None
        # One answer for a code that exists but is not the caller's and for one that does not exist.
        no_provider = NotFound(f"No provider with code {data.get('provider')!r} that you may load data for.")
        if data.get("provider"):
            provider = Provider.objects.filter(code=data["provider"]).first()
            if provider is None:
                raise no_provider
        try:
            run, rejected = services.ingest_batch(
                actor=request.user, rows=rows, profile_name=data["profile"], provider=provider, dry_run=data["dry_run"],
                options=_options(data),
            )
        except Http404:
            raise no_provider from None
        except services.IngestRefused as exc:
            if exc.unknown:  # an unknown profile or program names nothing the caller may use: 404, like a URL
                raise api_base.UnknownReference({exc.field or "detail": [str(exc)]}) from None
            raise serializers.ValidationError({"detail": [str(exc)]}) from None
        body = RunSerializer(run).data | {"rejected_rows": rejected}
        code = status.HTTP_201_CREATED if run.status == IngestRun.Status.SUCCEEDED else status.HTTP_400_BAD_REQUEST
        if run.status != IngestRun.Status.SUCCEEDED:
            body["detail"] = run.error_message
        return Response(body, status=code)


def _options(data: dict) -> IngestOptions:
    return IngestOptions(
        program=data.get("program"),
        contact_type=data.get("contact_type"),
        timezone=data.get("timezone"),
        maps=data.get("maps") or {},
    )


def _too_large(message: str) -> Response:
    return Response({"detail": message}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)


class RunListView(generics.ListAPIView):
    permission_classes = [capability(Cap.INGEST)]
    serializer_class = RunSerializer
    queryset = IngestRun.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return IngestRun.objects.none()
        return selectors.runs(self.request.user)


class RunDetailView(generics.RetrieveAPIView):
    permission_classes = [capability(Cap.INGEST)]
    serializer_class = RunDetailSerializer
    queryset = IngestRun.objects.none()

    def get_object(self):
        return selectors.run(self.request.user, self.kwargs["pk"])


urlpatterns = [
    path("batches/", BatchView.as_view(), name="ingest-batch"),
    path("runs/", RunListView.as_view(), name="ingest-run-list"),
    path("runs/<int:pk>/", RunDetailView.as_view(), name="ingest-run-detail"),
]
