"""The metric engine: every metric defined once, computed the same for every team.

Pure (no Django). Importing the package registers the built-in metrics.
"""

from . import interactions as _interactions  # noqa: F401  (registers metrics)
from . import quality as _quality  # noqa: F401  (registers metrics)
from . import resolution as _resolution  # noqa: F401  (registers metrics)
from . import workforce as _workforce  # noqa: F401  (registers metrics)
from .backends import connect, table_from_snapshot
from .query import (
    CompiledQuery,
    MetricRef,
    MetricRequest,
    MetricResult,
    MetricValue,
    ResultRow,
    compile_request,
    run,
    run_on_tables,
)
from .registry import REGISTRY, Direction, Metric, Param, get, metrics_for, register

__all__ = [
    "REGISTRY",
    "CompiledQuery",
    "Direction",
    "Metric",
    "MetricRef",
    "MetricRequest",
    "MetricResult",
    "MetricValue",
    "Param",
    "ResultRow",
    "compile_request",
    "connect",
    "get",
    "metrics_for",
    "register",
    "run",
    "run_on_tables",
    "table_from_snapshot",
]
