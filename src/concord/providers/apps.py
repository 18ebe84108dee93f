from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "concord.providers"
    label = "providers"
    verbose_name = "Providers and people"
