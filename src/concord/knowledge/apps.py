from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "concord.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge"
    default_auto_field = "django.db.models.BigAutoField"
