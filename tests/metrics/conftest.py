from .metric_fixtures import con, measure  # noqa: F401  (fixtures for this folder)
