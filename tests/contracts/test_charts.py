"""Every SLA chart colours a status the same way: met green, missed red (the walk of the demo found
"Missed" blue on one chart and "Met" blue on the next, colours given in the order the legend met them)."""

from __future__ import annotations

import json

from concord.contracts.charts import sla_history
from concord.contracts.models import SLA


def _colours(points):
    spec = json.dumps(sla_history(SLA(name="SL", metric_key="service_level", target=80), points))
    layer = json.loads(spec)["layer"][1]
    scale = layer["encoding"]["color"]["scale"]
    return dict(zip(scale["domain"], scale["range"], strict=True))


def test_met_is_green_and_missed_red_whatever_the_months_hold():
    only_missed = _colours([{"month": "2026-09-01", "value": 70.0, "status": "Missed", "volume": 10}])
    only_met = _colours([{"month": "2026-09-01", "value": 90.0, "status": "Met", "volume": 10}])
    assert only_missed == only_met
    assert (only_met["Met"], only_met["Missed"]) == ("#1a7f37", "#b42318")  # web/palette.py GOOD and BAD
