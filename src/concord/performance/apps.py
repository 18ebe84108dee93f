from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "concord.performance"
    label = "performance"
    verbose_name = "Performance"
