"""Governance rhythm: cadences and meetings, review packs frozen at close, minutes, decisions,
actions, RACI per program, escalation ladders with business- or calendar-time timers.

Other apps make an action item from what they show (a drift alert, an SLA result, an evaluation)
with one call::

    from concord.governance.services import create_action
    create_action(user=..., title=..., owner=..., due=date, cause_kind="drift_alert",
                  cause_id=str(alert.pk), cause_url=alert_url, provider=alert.provider)
"""
