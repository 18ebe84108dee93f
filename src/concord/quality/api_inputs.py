"""What the QA endpoints take, as serializers: the schema documents each body and the shape is checked
before the services see it (they still judge what a shape cannot say: a code used twice, a points
criterion without its maximum)."""

from __future__ import annotations

from rest_framework import serializers

from concord.web import api as api_base

from .coaching import _coachable_metrics
from .scoring import SCALES


class CriterionInput(api_base.Serializer):
    code = serializers.RegexField(r"^[a-z0-9][a-z0-9_-]*$", max_length=60, help_text="Unique in the form")
    label = serializers.CharField(max_length=200, help_text="The question")
    scale = serializers.ChoiceField(choices=list(SCALES))
    weight = serializers.FloatField(min_value=0.01, max_value=9999, default=1)
    guidance = serializers.CharField(required=False, allow_blank=True, default="")
    na_allowed = serializers.BooleanField(default=False)
    critical = serializers.BooleanField(default=False, help_text="Only on a yes_no criterion")
    max_points = serializers.IntegerField(
        min_value=1, max_value=1000, required=False, allow_null=True, help_text="Only on a points criterion"
    )


class SectionInput(api_base.Serializer):
    title = serializers.CharField(max_length=200)
    criteria = CriterionInput(many=True, allow_empty=False)


class FormCreateInput(api_base.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    sections = SectionInput(many=True, allow_empty=False)


class FormReviseInput(api_base.Serializer):
    sections = SectionInput(many=True, allow_empty=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationStartInput(api_base.Serializer):
    agent = serializers.IntegerField(min_value=1, help_text="The agent's id")
    source = serializers.CharField(max_length=64, help_text="The interaction's source")
    external_id = serializers.CharField(max_length=200, help_text="The interaction's id in its source")
    form = serializers.IntegerField(min_value=1, required=False, help_text="QA form id (default: the first)")


class RatingInput(api_base.Serializer):
    value = serializers.FloatField(required=False, allow_null=True, min_value=0, max_value=1000)
    not_applicable = serializers.BooleanField(default=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationSaveInput(api_base.Serializer):
    ratings = serializers.DictField(child=RatingInput(), required=False, help_text="Keyed by criterion code")
    comment = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    complete = serializers.BooleanField(default=False)


class InteractionRef(api_base.Serializer):
    source = serializers.CharField(max_length=64)
    external_id = serializers.CharField(max_length=200)


class CalibrationCreateInput(api_base.Serializer):
    provider = serializers.IntegerField(min_value=1, help_text="The provider's id")
    participants = serializers.ListField(child=serializers.CharField(max_length=150), help_text="Usernames")
    interactions = InteractionRef(many=True)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=160)
    key_grader = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=150)


class CalibrationScoreInput(api_base.Serializer):
    item = serializers.IntegerField(min_value=1, help_text="The item's number in the session (1, 2, ...)")
    ratings = serializers.DictField(child=RatingInput(), required=False, help_text="Keyed by criterion code")


class DisputeRaiseInput(api_base.Serializer):
    evaluation = serializers.IntegerField(min_value=1, help_text="The evaluation disputed")
    criterion = serializers.CharField(max_length=60, help_text="The criterion's code")
    reason = serializers.CharField(max_length=4000, help_text="Why the rating is wrong")
    proposed = RatingInput(required=False, allow_null=True, help_text="The rating the disputer asks for")


class DisputeDecideInput(api_base.Serializer):
    outcome = serializers.ChoiceField(
        choices=["accepted", "partly_accepted", "rejected"],
        error_messages={"invalid_choice": "The outcome is accepted, partly_accepted or rejected."},
    )
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    rating = RatingInput(required=False, allow_null=True, help_text="The new rating (accepted or partly accepted)")


class CoachingRecordInput(api_base.Serializer):
    agent = serializers.IntegerField(min_value=1, help_text="The agent's id")
    held_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    evaluations = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)
    # the metric keys a session can link, listed so the schema says which are known
    metrics = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(_coachable_metrics())), required=False, default=list
    )
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    commitments = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    follow_up_on = serializers.DateField(required=False, allow_null=True)


class RiskInput(api_base.Serializer):
    low_csat = serializers.IntegerField(min_value=0, max_value=10, required=False, default=0)
    long_handle = serializers.IntegerField(min_value=0, max_value=10, required=False, default=0)
    repeat = serializers.IntegerField(min_value=0, max_value=10, required=False, default=0)


class SamplingPlanInput(api_base.Serializer):
    provider = serializers.IntegerField(min_value=1, help_text="The provider's id")
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    week_start = serializers.DateField(help_text="The Monday of the week drawn from")
    per_agent = serializers.IntegerField(min_value=1, max_value=100, help_text="Evaluations per agent")
    evaluators = serializers.ListField(child=serializers.CharField(max_length=150), min_length=1)
    due_on = serializers.DateField(required=False, allow_null=True)
    stratify = serializers.BooleanField(required=False, default=True)
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False, allow_null=True)
    risk = RiskInput(required=False)


def validated(serializer_class, request) -> dict:
    """The body checked against its serializer (a 400 naming each field), as plain JSON-like data."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return request.data
