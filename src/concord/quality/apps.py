from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "concord.quality"
    label = "quality"
    verbose_name = "Quality"
