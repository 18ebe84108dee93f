from .helpers import lake, write  # noqa: F401  (fixtures)
