from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "concord.ingest"
    label = "ingest"
    verbose_name = "Ingestion"
