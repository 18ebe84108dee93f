"""Attachments through the API: list a readable article's files, upload one (multipart ``file``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.roles import Cap
from concord.web.api import Serializer, capability

from . import attachment_selectors, attachment_services, selectors

PROBLEM = {"description": "RFC 9457 problem details naming what is wrong."}


class AttachmentOut(Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    sha256 = serializers.CharField()
    version = serializers.IntegerField()
    url = serializers.CharField(help_text="Download (the article's audience rule applies).")


class AttachmentIn(Serializer):
    file = serializers.FileField()


def attachment_json(attachment, request) -> dict:
    from django.urls import reverse

    return {
        "id": attachment.pk,
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "version": attachment.version.number,
        "url": request.build_absolute_uri(reverse("knowledge:attachment", kwargs={"pk": attachment.pk})),
    }


class AttachmentListView(APIView):
    permission_classes = [capability(Cap.VIEW_KNOWLEDGE)]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="knowledge_attachments_list", responses={200: AttachmentOut(many=True), 404: PROBLEM})
    def get(self, request, pk: int):
        article = selectors.article(request.user, pk)
        rows = attachment_selectors.of_version(user=request.user, article=article)
        return Response([attachment_json(a, request) for a in rows])

    @extend_schema(
        operation_id="knowledge_attachments_create",
        request={"multipart/form-data": AttachmentIn},
        responses={201: AttachmentOut, 200: AttachmentOut, 400: PROBLEM, 404: PROBLEM},
    )
    def post(self, request, pk: int):
        article = selectors.article(request.user, pk)
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": "Send the file as multipart form data in the field 'file'."})
        before = set(article.current.attachments.values_list("pk", flat=True))
        attachment = attachment_services.attach(user=request.user, article=article, upload=upload)
        return Response(attachment_json(attachment, request), status=200 if attachment.pk in before else 201)
