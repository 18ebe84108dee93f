"""REST endpoints for providers and people: selectors read, services write, same rules as the pages."""

from __future__ import annotations

from rest_framework import mixins, serializers, viewsets

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.web import api as api_base
from concord.web.api import capability

from . import selectors, services
from .models import Agent, ContactType, Program, Provider, Site, Team
from .services import EDITABLE_FIELDS


class ProviderSerializer(api_base.ModelSerializer):
    class Meta:
        model = Provider
        fields = ("id", *EDITABLE_FIELDS[Provider], "created_at")


class SiteSerializer(api_base.ModelSerializer):
    class Meta:
        model = Site
        fields = ("id", "provider", *EDITABLE_FIELDS[Site])


class TeamSerializer(api_base.ModelSerializer):
    class Meta:
        model = Team
        fields = ("id", "provider", *EDITABLE_FIELDS[Team])


class AgentSerializer(api_base.ModelSerializer):
    class Meta:
        model = Agent
        fields = ("id", "provider", *EDITABLE_FIELDS[Agent])


class ProgramSerializer(api_base.ModelSerializer):
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


class ContactTypeSerializer(api_base.ModelSerializer):
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
