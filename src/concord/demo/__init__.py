"""The demo operation: one deterministic generator every domain adds its demo data to.

``build(seed=…, scale=…)`` runs the steps of ``STEPS`` in order. A domain adds
its demo data by adding one step here; each step gets the shared ``DemoContext``
(random generator, scale, the day the demo is anchored on, what earlier steps made).
"""

from __future__ import annotations

from .context import DemoContext, DemoResult
from .steps import STEPS, build

__all__ = ["STEPS", "DemoContext", "DemoResult", "build"]
