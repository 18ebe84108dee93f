from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "concord-demo-2026"  # noqa: S105 - printed to the person running the demo on purpose


@dataclass
class DemoContext:
    seed: int
    scale: float
    today: dt.date
    rng: random.Random
    actor: Any = None  # the client admin, who "makes" the demo changes in the audit log
    progress: Callable[[str], None] = lambda message: None
    made: dict[str, Any] = field(default_factory=dict)

    def scaled(self, n: int) -> int:
        return max(1, round(n * self.scale))


@dataclass
class DemoResult:
    logins: list[tuple[str, str, str]]  # username, password, who they are
    summary: dict[str, int]
