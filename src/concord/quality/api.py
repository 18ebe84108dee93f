"""REST endpoints for QA forms and evaluations: the same selectors and services as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.roles import Cap
from concord.web.api import LIST_OF_OBJECTS, Conflict, capability
from concord.web.validators import refuse_control_characters

from . import api_inputs, selectors, services
from .inputs import ratings_from_json, sections_from_json
from .models import Evaluation, FormVersion, QaForm


def form_version_json(version: FormVersion) -> dict:
    return {
        "id": version.pk,
        "number": version.number,
        "note": version.note,
        "created_at": version.created_at.isoformat(),
        "sections": [
            {
                "title": section.title,
                "criteria": [
                    {
                        "code": c.code,
                        "label": c.label,
                        "guidance": c.guidance,
                        "scale": c.scale,
                        "max_points": c.max_points,
                        "weight": float(c.weight),
                        "na_allowed": c.na_allowed,
                        "critical": c.critical,
                    }
                    for c in section.criteria.order_by("position")
                ],
            }
            for section in version.sections.order_by("position")
        ],
    }


def form_json(form: QaForm) -> dict:
    return {
        "id": form.pk,
        "name": form.name,
        "description": form.description,
        "versions": [v.number for v in form.versions.order_by("number")],
        "current": form_version_json(form.current),
    }


def evaluation_json(evaluation: Evaluation) -> dict:
    return {
        "id": evaluation.pk,
        "form": evaluation.form_version.form.name,
        "form_version": evaluation.form_version.number,
        "provider": evaluation.provider.code,
        "agent": {"id": evaluation.agent_id, "name": evaluation.agent.display_name},
        "interaction": {
            "source": evaluation.interaction_source,
            "external_id": evaluation.interaction_id,
            "created_at": evaluation.interaction_at.isoformat(),
            "program": evaluation.program,
            "contact_type": evaluation.contact_type,
            "channel": evaluation.channel,
        },
        "evaluator": evaluation.evaluator.username,
        "evaluator_side": evaluation.evaluator_side,
        "status": evaluation.status,
        "score_percent": None if evaluation.score is None else float(evaluation.score),
        "critical_failed": evaluation.critical_failed,
        "revision": evaluation.revision,
        "comment": evaluation.comment,
        "answers": {
            a.criterion.code: {
                "value": None if a.value is None else float(a.value),
                "not_applicable": a.not_applicable,
                "comment": a.comment,
            }
            for a in evaluation.answers.select_related("criterion")
        },
    }


def text(body: dict, key: str, default: str = "") -> str:
    """A text field of a JSON body, refused (400 naming the field) if it carries control characters,
    as every form and serializer refuses them."""
    value = str(body.get(key, default))
    try:
        refuse_control_characters(value)
    except DjangoValidationError as exc:
        raise ValidationError({key: exc.messages}) from None
    return value


class FormListView(APIView):
    """The QA forms (GET), or a new form from its sections (POST, the client's form editors)."""

    permission_classes = [capability(Cap.VIEW_OWN_EVALUATIONS)]

    @extend_schema(operation_id="quality_forms_list", responses={200: LIST_OF_OBJECTS})
    def get(self, request):
        return Response([form_json(f) for f in selectors.forms(request.user).order_by("pk")])

    @extend_schema(request=api_inputs.FormCreateInput, responses={201: dict})
    def post(self, request):
        body = api_inputs.validated(api_inputs.FormCreateInput, request)
        form = services.form_create(
            actor=request.user,
            name=str(body.get("name", "")),
            description=str(body.get("description", "")),
            sections=sections_from_json(body.get("sections")),
        )
        return Response(form_json(form), status=201)


class FormDetailView(APIView):
    """One form with its current version (GET); POST new sections to make the next version."""

    permission_classes = [capability(Cap.VIEW_OWN_EVALUATIONS)]

    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        return Response(form_json(selectors.form(request.user, pk)))

    @extend_schema(operation_id="quality_forms_revise", request=api_inputs.FormReviseInput, responses={200: dict})
    def post(self, request, pk: int):
        form = selectors.form(request.user, pk)
        body = api_inputs.validated(api_inputs.FormReviseInput, request)
        services.form_revise(
            actor=request.user,
            form=form,
            sections=sections_from_json(body.get("sections")),
            note=str(body.get("note", "")),
        )
        return Response(form_json(form))


class EvaluationListView(APIView):
    """Evaluations the user may see (an agent: their own); POST starts one of a lake interaction."""

    permission_classes = [capability(Cap.VIEW_OWN_EVALUATIONS)]

    @extend_schema(operation_id="quality_evaluations_list", responses={200: LIST_OF_OBJECTS})
    def get(self, request):
        status = request.query_params.get("status") or None
        qs = selectors.evaluations(request.user, status=status).order_by("-pk")[:500]
        return Response([evaluation_json(e) for e in qs])

    @extend_schema(request=api_inputs.EvaluationStartInput, responses={201: dict})
    def post(self, request):
        body = api_inputs.validated(api_inputs.EvaluationStartInput, request)
        try:
            agent_id = int(body["agent"])
            source, external_id = str(body["source"]), str(body["external_id"])
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                {"detail": "Give agent (an id), source and external_id of the interaction."}
            ) from None
        agent = selectors.evaluable_agent(request.user, agent_id)
        interaction = selectors.interaction_to_evaluate(request.user, agent, source, external_id)
        form = (
            selectors.form(request.user, int(body["form"]))
            if body.get("form")
            else selectors.forms(request.user).first()
        )
        if form is None:
            raise Conflict({"detail": ["There is no QA form yet."]})
        evaluation = services.evaluation_start(actor=request.user, interaction=interaction, form_version=form.current)
        return Response(evaluation_json(evaluation), status=201)


class EvaluationDetailView(APIView):
    """One evaluation (GET); PATCH answers {"ratings": {code: {value, not_applicable, comment}}, "complete"}."""

    permission_classes = [capability(Cap.VIEW_OWN_EVALUATIONS)]

    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        return Response(evaluation_json(selectors.evaluation(request.user, pk)))

    @extend_schema(request=api_inputs.EvaluationSaveInput, responses={200: dict})
    def patch(self, request, pk: int):
        evaluation = selectors.evaluation(request.user, pk)
        body = api_inputs.validated(api_inputs.EvaluationSaveInput, request)
        saved = services.evaluation_save(
            actor=request.user,
            evaluation=evaluation,
            ratings=ratings_from_json(body.get("ratings", {})),
            comment=body.get("comment"),
            complete=bool(body.get("complete", False)),
        )
        return Response(evaluation_json(saved))
