"""REST endpoints for providers and people: selectors read, services write, same rules as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.metrics.calendars import WEEKDAYS
from concord.web import api as api_base
from concord.web.api import capability

from . import selectors, services
from .models import Agent, ContactType, Program, Provider, Site, Team, validate_business_hours
from .services import EDITABLE_FIELDS

#: Related fields a body may name, each looked up only among what the caller may see: another partner's
#: id then gets the same "Invalid pk - object does not exist" (a 404) as an id that does not exist.
_SCOPED_RELATIONS = {
    "provider": selectors.providers,
    "providers": selectors.providers,
    "site": selectors.sites,
    "team": selectors.teams,
    "program": selectors.programs,
}


class _Scoped:
    """Mixin for the model serializers below (before the base class)."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return fields  # the schema generator
        for name, select in _SCOPED_RELATIONS.items():
            field = fields.get(name)
            relation = getattr(field, "child_relation", field)
            if relation is None or getattr(relation, "read_only", True):
                continue
            try:
                relation.queryset = select(user)
            except PermissionDenied:
                relation.queryset = relation.queryset.none()
        return fields


class ProviderSerializer(api_base.ModelSerializer):
    class Meta:
        model = Provider
        fields = ("id", *EDITABLE_FIELDS[Provider], "created_at")


def _business_hours_pattern() -> str:
    """The shape ``calendars.parse_week`` reads, as a pattern: items "days spans" split by ``;`` or a new
    line, days (any case, Mon or Monday) alone, in ranges or comma lists, spans HH:MM-HH:MM split by commas.
    Rules between values (a span ends after it starts, ranges run forward, no overlaps) stay in words."""
    day = "(" + "|".join("".join(f"[{c.upper()}{c}]" for c in d) for d in WEEKDAYS) + ")[A-Za-z]*"
    days = f"{day}( *- *{day})?( *, *{day}( *- *{day})?)*"
    span = "([01]?[0-9]|2[0-3]):[0-5][0-9] *- *([01]?[0-9]|2[0-4]):[0-5][0-9]"
    item = f"{days} +{span}( *, *{span})*"
    # at least one item: blank is the schema's other branch (allow_blank), and oneOf needs exactly one match
    return f"^( *[;\\n])* *{item}( *[;\\n] *({item})?)* *$"


@extend_schema_field({"type": "string", "maxLength": 300, "pattern": _business_hours_pattern()})
class _BusinessHoursField(serializers.CharField):
    pass


class SiteSerializer(_Scoped, api_base.ModelSerializer):
    timezone = api_base.TimeZoneField()
    business_hours = _BusinessHoursField(
        required=False, allow_blank=True, max_length=300, validators=[validate_business_hours],
        help_text=Site._meta.get_field("business_hours").help_text,
    )  # fmt: skip

    class Meta:
        model = Site
        fields = ("id", "provider", *EDITABLE_FIELDS[Site])


class TeamSerializer(_Scoped, api_base.ModelSerializer):
    class Meta:
        model = Team
        fields = ("id", "provider", *EDITABLE_FIELDS[Team])


class AgentSerializer(_Scoped, api_base.ModelSerializer):
    class Meta:
        model = Agent
        fields = ("id", "provider", *EDITABLE_FIELDS[Agent])


class ProgramSerializer(_Scoped, api_base.ModelSerializer):
    class Meta:
        model = Program
        fields = ("id", *EDITABLE_FIELDS[Program], "providers")

    def to_representation(self, instance):
        """A partner sees only itself among the program's providers: who else serves it is not theirs to know."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        confined = access.provider_scope(request.user) if request is not None else None
        if confined is not None and "providers" in data:
            data["providers"] = [pk for pk in data["providers"] if pk == confined]
        return data


class ContactTypeSerializer(_Scoped, api_base.ModelSerializer):
    class Meta:
        model = ContactType
        fields = ("id", "program", *EDITABLE_FIELDS[ContactType])


class _ServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Reads through ``select``; writes through the services named by subclasses.

    The serializer only validates; the model itself is validated and saved by
    the service, which also checks access and writes the audit record.
    """

    read_capability = Cap.VIEW_PROVIDERS

    def get_permissions(self):
        return [capability(self.read_capability)()]

    def get_queryset(self):
        return self.select(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self.create_with(serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.update_with(serializer.instance, serializer.validated_data)


class ProviderViewSet(_ServiceViewSet):
    serializer_class = ProviderSerializer
    filterset_fields = ("code", "kind", "status")
    queryset = Provider.objects.none()

    def select(self, user):
        return selectors.providers(user).order_by("name")

    def create_with(self, data):
        return services.provider_create(actor=self.request.user, **data)

    def update_with(self, provider, data):
        return services.provider_update(actor=self.request.user, provider=provider, **data)


class _ProviderChildViewSet(_ServiceViewSet):
    """Sites, teams and agents: created under a provider the user may write to."""

    model: type

    def create_with(self, data):
        data = dict(data)
        provider = data.pop("provider")
        access.require_for_provider(self.request.user, services.capability_for(self.model), provider.pk)
        return services.create_for_provider(actor=self.request.user, model=self.model, provider=provider, **data)

    def update_with(self, instance, data):
        data = dict(data)
        provider = data.pop("provider", None)
        if provider is not None and provider.pk != instance.provider_id:
            raise serializers.ValidationError({"provider": "Moving to another provider is not allowed."})
        return services.update_for_provider(actor=self.request.user, instance=instance, **data)


class SiteViewSet(_ProviderChildViewSet):
    model = Site
    serializer_class = SiteSerializer
    filterset_fields = ("provider", "code", "country")
    queryset = Site.objects.none()

    def select(self, user):
        return selectors.sites(user).order_by("pk")


class TeamViewSet(_ProviderChildViewSet):
    model = Team
    serializer_class = TeamSerializer
    filterset_fields = ("provider", "site", "code")
    queryset = Team.objects.none()

    def select(self, user):
        return selectors.teams(user).order_by("pk")


class AgentViewSet(_ProviderChildViewSet):
    model = Agent
    read_capability = Cap.VIEW_ROSTER
    serializer_class = AgentSerializer
    filterset_fields = ("provider", "site", "team", "status", "role", "employee_id")
    queryset = Agent.objects.none()

    def select(self, user):
        return selectors.agents(user).order_by("pk")


class ProgramViewSet(_ServiceViewSet):
    serializer_class = ProgramSerializer
    filterset_fields = ("code",)
    queryset = Program.objects.none()

    def select(self, user):
        return selectors.programs(user).order_by("pk")

    def create_with(self, data):
        return services.program_create(actor=self.request.user, **data)

    def update_with(self, program, data):
        return services.program_update(actor=self.request.user, program=program, **data)


class ContactTypeViewSet(_ServiceViewSet):
    serializer_class = ContactTypeSerializer
    filterset_fields = ("program", "channel", "code")
    queryset = ContactType.objects.none()

    def select(self, user):
        return selectors.contact_types(user).order_by("pk")

    def create_with(self, data):
        data = dict(data)
        return services.contact_type_create(actor=self.request.user, program=data.pop("program"), **data)

    def update_with(self, contact_type, data):
        data = dict(data)
        program = data.pop("program", None)
        if program is not None and program.pk != contact_type.program_id:
            raise serializers.ValidationError({"program": "Moving to another program is not allowed."})
        return services.contact_type_update(actor=self.request.user, contact_type=contact_type, **data)


ROUTES = [
    ("providers", ProviderViewSet, "provider"),
    ("sites", SiteViewSet, "site"),
    ("teams", TeamViewSet, "team"),
    ("agents", AgentViewSet, "agent"),
    ("programs", ProgramViewSet, "program"),
    ("contact-types", ContactTypeViewSet, "contact-type"),
]
