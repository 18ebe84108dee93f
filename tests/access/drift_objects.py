"""Drift alerts (one of partner A's, one of partner B's) and the client's webhook, for the access matrix."""

from __future__ import annotations


def _drift_alert(w):
    import datetime as dt

    from concord.performance.models import DriftAlert, Scorecard, ScorecardMetric

    card, _ = Scorecard.objects.get_or_create(program=w.program_shared, name="Shared card")
    line, _ = ScorecardMetric.objects.get_or_create(scorecard=card, metric_key="fcr", defaults={"target": 80})
    evidence = {
        "label": "FCR",
        "unit": "percent",
        "days": ["2026-05-01", "2026-05-02"],
        "values": [80.0, 70.0],
        "expected": [80.0, 80.0],
        "upper": [0.0, 0.0],
        "lower": [0.0, 6.0],
        "sigma": 2.0,
        "baseline_start": "2026-02-01",
        "baseline_end": "2026-04-25",
        "parameters": {"k": 0.5, "h": 5.0, "min_volume": 10},
        "method": "weighted CUSUM",
        "lake_versions": {"interactions": 1},
    }
    made = []
    for provider in (w.partner_a, w.partner_b):
        alert, _ = DriftAlert.objects.get_or_create(
            provider=provider,
            line=line,
            day=dt.date(2026, 5, 2),
            direction="down",
            defaults={"metric_key": "fcr", "since": dt.date(2026, 5, 1), "evidence": evidence},
        )
        made.append(alert)
    return tuple(made)


def _webhook(w):
    """The client's one webhook (client-level: partners' people never reach it)."""
    from concord.notifications.models import Webhook

    hook = Webhook.objects.filter(name="Client channel").first()
    return hook or Webhook.objects.create(name="Client channel", url="https://8.8.8.8/h", secret="s" * 32)
