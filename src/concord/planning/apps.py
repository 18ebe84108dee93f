from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "concord.planning"
    label = "planning"
    verbose_name = "Capacity planning"
