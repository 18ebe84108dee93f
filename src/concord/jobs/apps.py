from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "concord.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
