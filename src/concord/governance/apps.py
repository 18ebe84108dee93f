from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "concord.governance"
    label = "governance"
    verbose_name = "Governance"
