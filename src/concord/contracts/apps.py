from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "concord.contracts"
    label = "contracts"
    verbose_name = "Contracts"
